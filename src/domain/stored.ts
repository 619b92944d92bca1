/** Debt positions as the store returns them (read side). Timestamps are ISO-8601 strings. */
import type { Debtor, MetadataEntry, Stamp } from "./position.ts";
import type { NoticeState, OptionStatus, PositionStatus, ReceiptFlag, TransferStatus } from "./states.ts";

export interface StoredTransfer {
  idTransfer: string;
  organizationFiscalCode: string;
  companyName?: string;
  amount: number;
  remittanceInformation: string;
  category: string;
  iban?: string;
  postalIban?: string;
  stamp?: Stamp;
  metadata: MetadataEntry[];
  status: TransferStatus;
  insertedDate: string;
  lastUpdatedDate: string;
}

export interface StoredOption {
  /** Index of its plan in StoredPosition.plans. */
  plan: number;
  nav: string;
  iuv: string;
  organizationFiscalCode: string;
  amount: number;
  description: string;
  isPartialPayment: boolean;
  dueDate: string;
  retentionDate?: string;
  fee: number;
  notificationFee: number;
  status: OptionStatus;
  paymentDate?: string;
  paymentMethod?: string;
  pspCompany?: string;
  idReceipt?: string;
  /** Set while a payment is in progress (paGetPayment lock). */
  lockedUntil?: string;
  /** Whether it can be paid now, as paVerifyPaymentNotice would answer. */
  noticeState: NoticeState;
  insertedDate: string;
  lastUpdatedDate: string;
  metadata: MetadataEntry[];
  transfers: StoredTransfer[];
}

/** A payment option in GPD v3's sense: a plan of one installment or more (StoredPosition.options with its index). */
export interface StoredPlan {
  description?: string;
  debtor: Debtor;
  validityDate?: string;
  retentionDate?: string;
  switchToExpired: boolean;
  insertedDate: string;
}

export interface StoredPosition {
  organizationFiscalCode: string;
  iupd: string;
  debtor: Debtor;
  companyName: string;
  officeName?: string;
  validityDate?: string;
  switchToExpired: boolean;
  payStandIn: boolean;
  /** The status a reader sees (publication and expiry applied at read time). */
  status: PositionStatus;
  insertedDate: string;
  publishDate?: string;
  lastUpdatedDate: string;
  paymentDate?: string;
  version: number;
  plans: StoredPlan[];
  /** The installments of every plan, in the order they were given. */
  options: StoredOption[];
}

export interface StoredReceipt {
  organizationFiscalCode: string;
  receiptId: string;
  noticeNumber: string;
  noticeFiscalCode: string;
  primitiveVersion: 1 | 2;
  paymentAmount: number;
  paymentDateTime?: string;
  flags: ReceiptFlag[];
  receivedAt: string;
  receipt: Record<string, unknown>;
}

/** A receipt refused because it breaks the schema, kept so that the payment is never invisible. */
export interface StoredRejectedReceipt {
  organizationFiscalCode: string;
  receiptId?: string;
  noticeNumber?: string;
  primitiveVersion: 1 | 2;
  reason: string;
  /** How many times the Node sent this same body. */
  attempts: number;
  firstReceivedAt: string;
  lastReceivedAt: string;
  rawBody: string;
}

export type { NoticeState } from "./states.ts";

/** What paVerifyPaymentNotice tells about a payable notice. */
export interface NoticeSummary {
  /** Frozen while an activation holds the option. */
  amount: number;
  description: string;
  dueDate: Date;
  companyName: string;
  officeName?: string;
  /** Every transfer can be paid to a postal account (allCCP). */
  allPostal: boolean;
}

export interface NoticeTransfer {
  idTransfer: string;
  amount: number;
  organizationFiscalCode: string;
  companyName?: string;
  iban?: string;
  postalIban?: string;
  stamp?: Stamp;
  remittanceInformation: string;
  category: string;
  metadata: MetadataEntry[];
}

/** A notice being paid (paGetPayment): the option, its position and its transfers. */
export interface NoticeView {
  iupd: string;
  nav: string;
  iuv: string;
  amount: number;
  description: string;
  dueDate: string;
  retentionDate?: string;
  isPartialPayment: boolean;
  metadata: MetadataEntry[];
  companyName: string;
  officeName?: string;
  debtor: Debtor;
  transfers: NoticeTransfer[];
}

export interface NoticeLookup<T> {
  state: NoticeState;
  /** Notice number of the option that keeps this one from being paid. */
  blocker?: string;
  notice?: T;
}
