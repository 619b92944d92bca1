/** Debt positions as the store returns them (read side). Timestamps are ISO-8601 strings. */
import type { Debtor, MetadataEntry, Stamp } from "./position.ts";
import type { OptionStatus, PositionStatus, TransferStatus } from "./states.ts";

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
  insertedDate: string;
  lastUpdatedDate: string;
  metadata: MetadataEntry[];
  transfers: StoredTransfer[];
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
  flags: string[];
  receivedAt: string;
  receipt: Record<string, unknown>;
}
