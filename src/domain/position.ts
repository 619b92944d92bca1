/**
 * The debt position as EC administrators submit it (GPD's PaymentPositionModel shape) and the
 * rules JSON Schema cannot say. preparePosition() turns checked input into what the store writes.
 */
import { errors } from "./errors.ts";
import { iuvOutsideSegregationCodes, iuvProblem, navOfIuv, noticeNumberProblem, type NoticeScheme } from "./noticeNumber.ts";
import { parseDeadline, parseTimestamp } from "./time.ts";

export interface MetadataEntry {
  key: string;
  value: string;
}

export interface Stamp {
  hashDocument: string;
  stampType: string;
  provincialResidence: string;
}

export interface TransferInput {
  idTransfer: string;
  amount: number;
  organizationFiscalCode?: string;
  remittanceInformation: string;
  category: string;
  iban?: string;
  postalIban?: string;
  stamp?: Stamp;
  companyName?: string;
  transferMetadata?: MetadataEntry[];
}

export interface PaymentOptionInput {
  nav?: string;
  iuv: string;
  amount: number;
  description: string;
  isPartialPayment: boolean;
  dueDate: string;
  retentionDate?: string;
  transfer: TransferInput[];
  paymentOptionMetadata?: MetadataEntry[];
}

export interface Debtor {
  type: "F" | "G";
  fiscalCode: string;
  fullName: string;
  streetName?: string;
  civicNumber?: string;
  postalCode?: string;
  city?: string;
  province?: string;
  region?: string;
  country?: string;
  email?: string;
  phone?: string;
}

export interface PositionInput extends Debtor {
  iupd: string;
  companyName: string;
  officeName?: string;
  validityDate?: string;
  switchToExpired: boolean;
  payStandIn?: boolean;
  paymentOption: PaymentOptionInput[];
}

/** A transfer ready to store: beneficiary resolved. */
export interface NewTransfer extends Omit<TransferInput, "organizationFiscalCode" | "transferMetadata"> {
  organizationFiscalCode: string;
  metadata: MetadataEntry[];
}

export interface NewOption {
  /** Index of the plan (NewPosition.plans) this installment belongs to. */
  plan: number;
  /** Where the installment sits in the request body, for errors (e.g. "paymentOption[1].installments[0]"). */
  field: string;
  nav: string;
  iuv: string;
  amount: number;
  description: string;
  isPartialPayment: boolean;
  dueDate: Date;
  retentionDate: Date | undefined;
  metadata: MetadataEntry[];
  transfers: NewTransfer[];
}

/**
 * A payment option in GPD v3's sense: a plan of one installment (a single payment) or more, with its own
 * debtor (co-obligors each have theirs), validity, retention and expiry.
 */
export interface NewPlan {
  description: string | undefined;
  debtor: Debtor;
  validityDate: Date | undefined;
  retentionDate: Date | undefined;
  switchToExpired: boolean;
}

export interface NewPosition {
  organizationFiscalCode: string;
  iupd: string;
  debtor: Debtor;
  companyName: string;
  officeName: string | undefined;
  validityDate: Date | undefined;
  switchToExpired: boolean;
  payStandIn: boolean;
  plans: NewPlan[];
  /** The installments of every plan, in the order the EC gave them. */
  options: NewOption[];
}

/** Asserts that every IUV of a position (or an option) is within the caller's segregation codes (403 otherwise, as GPD). */
export function assertWithinSegregationCodes(ec: string, subject: string, iuvs: readonly string[], codes: readonly string[] | undefined): void {
  const outside = iuvOutsideSegregationCodes(iuvs, codes);
  if (outside !== undefined) throw errors.segregationForbidden(ec, subject, outside);
}

export function timestamp(text: string, field: string, parse = parseTimestamp): Date {
  const value = parse(text);
  if (!value) throw errors.ruleViolation(field, "is not a valid ISO-8601 date-time");
  return value;
}

function assertUniqueKeys(entries: readonly MetadataEntry[], field: string): void {
  const seen = new Set<string>();
  for (const [i, { key }] of entries.entries()) {
    if (seen.has(key)) throw errors.ruleViolation(`${field}[${i}].key`, `repeats the key "${key}"; metadata keys must be unique`);
    seen.add(key);
  }
}

function prepareTransfer(t: TransferInput, ec: string, field: string): NewTransfer {
  if ((t.iban === undefined) === (t.stamp === undefined)) {
    throw errors.ruleViolation(field, "must have exactly one of iban and stamp");
  }
  if (t.postalIban !== undefined && t.iban === undefined) {
    throw errors.ruleViolation(`${field}.postalIban`, "is allowed only beside an iban");
  }
  const metadata = t.transferMetadata ?? [];
  assertUniqueKeys(metadata, `${field}.transferMetadata`);
  return {
    idTransfer: t.idTransfer,
    amount: t.amount,
    organizationFiscalCode: t.organizationFiscalCode ?? ec,
    remittanceInformation: t.remittanceInformation,
    category: t.category,
    iban: t.iban,
    postalIban: t.postalIban,
    stamp: t.stamp,
    companyName: t.companyName,
    metadata,
  };
}

export function prepareOption(o: PaymentOptionInput, ec: string, scheme: NoticeScheme, validityDate: Date | undefined, field: string): Omit<NewOption, "plan" | "field"> {
  const iuvIssue = iuvProblem(o.iuv, scheme);
  if (iuvIssue) throw errors.ruleViolation(`${field}.iuv`, iuvIssue);
  const nav = o.nav ?? navOfIuv(o.iuv, scheme);
  const navIssue = noticeNumberProblem(nav, o.iuv, scheme.checkDigit ?? true);
  if (navIssue) throw errors.ruleViolation(o.nav === undefined ? `${field}.iuv` : `${field}.nav`, `gives the notice number ${nav}, which ${navIssue}`);

  const ids = new Set<string>();
  const transfers = o.transfer.map((t, i) => {
    if (ids.has(t.idTransfer)) throw errors.ruleViolation(`${field}.transfer[${i}].idTransfer`, `repeats the id ${t.idTransfer}; transfer ids must be unique`);
    ids.add(t.idTransfer);
    return prepareTransfer(t, ec, `${field}.transfer[${i}]`);
  });
  const total = transfers.reduce((sum, t) => sum + t.amount, 0);
  if (total !== o.amount) {
    throw errors.ruleViolation(`${field}.amount`, `is ${o.amount} cents but its transfers add up to ${total}`);
  }

  const dueDate = timestamp(o.dueDate, `${field}.dueDate`, parseDeadline);
  const retentionDate = o.retentionDate === undefined ? undefined : timestamp(o.retentionDate, `${field}.retentionDate`, parseDeadline);
  if (retentionDate && retentionDate < dueDate) throw errors.ruleViolation(`${field}.retentionDate`, "is before the due date");
  if (validityDate && dueDate < validityDate) throw errors.ruleViolation(`${field}.dueDate`, "is before the position's validity date");

  const metadata = o.paymentOptionMetadata ?? [];
  assertUniqueKeys(metadata, `${field}.paymentOptionMetadata`);
  return { nav, iuv: o.iuv, amount: o.amount, description: o.description, isPartialPayment: o.isPartialPayment, dueDate, retentionDate, metadata, transfers };
}

/** Checks a plan: installments come at least two at a time, each IUV (and so each notice number) once. */
function assertPlanConsistent(options: ReadonlyArray<Omit<NewOption, "plan" | "field">>, prefix: string): void {
  const installments = options.filter((o) => o.isPartialPayment);
  if (installments.length === 1) {
    throw errors.ruleViolation(`${prefix}paymentOption[${options.indexOf(installments[0]!)}].isPartialPayment`, "marks the only installment of the plan; a plan needs at least two installments (use isPartialPayment=false for a single payment)");
  }
  assertIuvsUnique(options.map((o, i) => ({ iuv: o.iuv, field: `${prefix}paymentOption[${i}]` })));
}

/** Each IUV (and so each notice number) once in a position. */
export function assertIuvsUnique(options: ReadonlyArray<{ iuv: string; field: string }>): void {
  const iuvs = new Set<string>();
  for (const o of options) {
    if (iuvs.has(o.iuv)) throw errors.ruleViolation(`${o.field}.iuv`, `repeats the IUV ${o.iuv}`);
    iuvs.add(o.iuv);
  }
}

const DEBTOR_FIELDS = ["type", "fiscalCode", "fullName", "streetName", "civicNumber", "postalCode", "city", "province", "region", "country", "email", "phone"] as const;

export function pickDebtor(input: Debtor): Debtor {
  const debtor: Record<string, unknown> = {};
  for (const key of DEBTOR_FIELDS) if (input[key] !== undefined) debtor[key] = input[key];
  return debtor as unknown as Debtor;
}

/**
 * Applies every rule beyond the JSON Schema and returns the position to store. `prefix` locates the
 * position in the request body for error fields (e.g. "paymentPositions[3].").
 */
export function preparePosition(input: PositionInput, ec: string, scheme: NoticeScheme, prefix = ""): NewPosition {
  const validityDate = input.validityDate === undefined ? undefined : timestamp(input.validityDate, `${prefix}validityDate`);
  const prepared = input.paymentOption.map((o, i) => prepareOption(o, ec, scheme, validityDate, `${prefix}paymentOption[${i}]`));
  assertPlanConsistent(prepared, prefix);
  const debtor = pickDebtor(input);
  // v1 shape: each single payment is a plan of its own, the installments (isPartialPayment) one plan
  const singles = prepared.filter((o) => !o.isPartialPayment);
  const installments = prepared.filter((o) => o.isPartialPayment);
  const groups = [...singles.map((o) => [o]), ...(installments.length > 0 ? [installments] : [])];
  const plans: NewPlan[] = groups.map((group) => ({
    description: undefined,
    debtor,
    validityDate,
    retentionDate: latest(group.map((o) => o.retentionDate)),
    switchToExpired: input.switchToExpired,
  }));
  const options = prepared.map((o, i) => ({ ...o, plan: groups.findIndex((g) => g.includes(o)), field: `paymentOption[${i}]` }));
  return {
    organizationFiscalCode: ec,
    iupd: input.iupd,
    debtor,
    companyName: input.companyName,
    officeName: input.officeName,
    validityDate,
    switchToExpired: input.switchToExpired,
    payStandIn: input.payStandIn ?? true,
    plans,
    options,
  };
}

export function latest(dates: ReadonlyArray<Date | undefined>): Date | undefined {
  const defined = dates.filter((d): d is Date => d !== undefined);
  return defined.length === 0 ? undefined : new Date(Math.max(...defined.map((d) => d.getTime())));
}
