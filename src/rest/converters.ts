/** Store types to the GPD-compatible JSON of the REST API, and list queries to store filters. */
import { errors } from "../domain/errors.ts";
import type { StoredOption, StoredPosition, StoredReceipt, StoredRejectedReceipt, StoredTransfer } from "../domain/stored.ts";
import type { PositionInput, TransferInput } from "../domain/position.ts";
import type { PositionInputV3 } from "../domain/positionV3.ts";
import { installmentStatusV3, positionStatusesOfV3, positionStatusV3, type PositionStatus } from "../domain/states.ts";
import { isoTimestamp, parseTimestamp } from "../domain/time.ts";
import type { PositionFilter, StoredOptionWithPosition } from "../store/positions.ts";
import type { ListedReceipt, ReceiptFilter } from "../store/receipts.ts";
import type { Input } from "./validate.ts";

/** Timestamps leave with an explicit offset (GPD writes zone-less local times). */
const ts = (value: string | undefined) => (value === undefined ? undefined : isoTimestamp(new Date(value)));

export function transferToApi(t: StoredTransfer) {
  return {
    idTransfer: t.idTransfer,
    organizationFiscalCode: t.organizationFiscalCode,
    companyName: t.companyName,
    amount: t.amount,
    remittanceInformation: t.remittanceInformation,
    category: t.category,
    iban: t.iban,
    postalIban: t.postalIban,
    stamp: t.stamp,
    transferMetadata: t.metadata,
    status: t.status,
    insertedDate: ts(t.insertedDate),
    lastUpdatedDate: ts(t.lastUpdatedDate),
  };
}

/** What v1's option and v3's installment both tell. */
function installmentFields(o: StoredOption) {
  return {
    nav: o.nav,
    iuv: o.iuv,
    organizationFiscalCode: o.organizationFiscalCode,
    amount: o.amount,
    description: o.description,
    dueDate: ts(o.dueDate),
    paymentDate: ts(o.paymentDate),
    paymentMethod: o.paymentMethod,
    pspCompany: o.pspCompany,
    idReceipt: o.idReceipt,
    fee: o.fee,
    notificationFee: o.notificationFee,
    lastUpdatedDate: ts(o.lastUpdatedDate),
    transfer: o.transfers.map(transferToApi),
  };
}

export function optionToApi(o: StoredOption) {
  return {
    ...installmentFields(o),
    isPartialPayment: o.isPartialPayment,
    retentionDate: ts(o.retentionDate),
    status: o.status,
    lockedUntil: ts(o.lockedUntil),
    insertedDate: ts(o.insertedDate),
    paymentOptionMetadata: o.metadata,
  };
}

/** GPD's PaymentOptionWithDebtorInfoModelResponse. */
export function optionWithPositionToApi(o: StoredOptionWithPosition) {
  return { ...optionToApi(o), iupd: o.iupd, debtPositionStatus: o.debtPositionStatus, ...o.debtor, companyName: o.companyName, officeName: o.officeName, payStandIn: o.payStandIn };
}

/** "02,47" -> ["02", "47"]; absent: no limit. */
export const segregationCodesOf = (q: { segregationCodes?: string } | undefined) => q?.segregationCodes?.split(",");

export function positionToApi(p: StoredPosition) {
  return {
    iupd: p.iupd,
    organizationFiscalCode: p.organizationFiscalCode,
    ...p.debtor,
    companyName: p.companyName,
    officeName: p.officeName,
    validityDate: ts(p.validityDate),
    switchToExpired: p.switchToExpired,
    payStandIn: p.payStandIn,
    status: p.status,
    insertedDate: ts(p.insertedDate),
    publishDate: ts(p.publishDate),
    lastUpdatedDate: ts(p.lastUpdatedDate),
    paymentDate: ts(p.paymentDate),
    paymentOption: p.options.map(optionToApi),
  };
}

export function receiptToApi(r: StoredReceipt) {
  return {
    organizationFiscalCode: r.organizationFiscalCode,
    receiptId: r.receiptId,
    noticeNumber: r.noticeNumber,
    noticeFiscalCode: r.noticeFiscalCode,
    primitiveVersion: r.primitiveVersion,
    paymentAmount: r.paymentAmount,
    flags: r.flags,
    receipt: r.receipt,
    paymentDateTime: r.paymentDateTime === undefined || r.paymentDateTime === null ? undefined : isoTimestamp(new Date(r.paymentDateTime)),
    receivedAt: isoTimestamp(new Date(r.receivedAt)),
  };
}

export function rejectedReceiptToApi(r: StoredRejectedReceipt) {
  return {
    ...r,
    receiptId: r.receiptId ?? undefined,
    noticeNumber: r.noticeNumber ?? undefined,
    firstReceivedAt: isoTimestamp(new Date(r.firstReceivedAt)),
    lastReceivedAt: isoTimestamp(new Date(r.lastReceivedAt)),
  };
}

function dropEmptyPostalIbans(transfers: TransferInput[]): void {
  for (const t of transfers) if (t.postalIban === "") delete t.postalIban;
}

/** GPD clients may send postalIban "" for "none". */
export function positionFromApi(body: PositionInput): PositionInput {
  for (const option of body.paymentOption) dropEmptyPostalIbans(option.transfer);
  return body;
}

/** A timestamp of the request (ISO-8601, Europe/Rome without an offset), or a 400 naming the field. */
export function timestampOf(value: string, field: string): Date {
  const at = parseTimestamp(value);
  if (!at) throw errors.badRequest(field, "is not a valid date-time");
  return at;
}

/** timestampOf for an optional field: undefined when absent. */
export const optionalTimestampOf = (value: string | undefined, field: string): Date | undefined => (value === undefined ? undefined : timestampOf(value, field));

/** Date bounds: "from" at the start of its day, "to" inclusive up to the end of its day (Europe/Rome). */
function dayBound(value: string | undefined, field: string, endOfDay: boolean): Date | undefined {
  if (value === undefined) return undefined;
  const start = timestampOf(value, field);
  return endOfDay && value.length === 10 ? (parseTimestamp(nextDay(value)) ?? start) : start;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The filter of GET .../debtpositions: GPD's three date groups exclude each other. */
export function toFilter(q: Input<"positions-list"> | Input<"positions-list-v3">, statuses: readonly PositionStatus[] | undefined): PositionFilter {
  if ((q.due_date_from || q.due_date_to) && (q.payment_date_from || q.payment_date_to || q.payment_date_time_from || q.payment_date_time_to)) {
    throw errors.badRequest("due_date_from", "cannot be combined with a payment date filter");
  }
  if (q.payment_date_from && q.payment_date_time_from) throw errors.badRequest("payment_date_time_from", "cannot be combined with payment_date_from");
  if (q.payment_date_to && q.payment_date_time_to) throw errors.badRequest("payment_date_time_to", "cannot be combined with payment_date_to");
  return {
    dueDateFrom: dayBound(q.due_date_from, "due_date_from", false),
    dueDateTo: dayBound(q.due_date_to, "due_date_to", true),
    paymentDateFrom: dayBound(q.payment_date_time_from ?? q.payment_date_from, q.payment_date_time_from === undefined ? "payment_date_from" : "payment_date_time_from", false),
    paymentDateTo: dayBound(q.payment_date_time_to ?? q.payment_date_to, q.payment_date_time_to === undefined ? "payment_date_to" : "payment_date_time_to", q.payment_date_time_to === undefined),
    statuses,
    segregationCodes: segregationCodesOf(q),
  };
}

/** The filter of GET /v1/.../debtpositions. */
export const filterOf = (q: Input<"positions-list">) => toFilter(q, q.status && [q.status]);

/** The filter of GET /v3/.../debtpositions: a v3 status stands for the stored statuses it reads as. */
export const filterOfV3 = (q: Input<"positions-list-v3">) => toFilter(q, q.status && positionStatusesOfV3(q.status));

/** GPD v3's PaymentPositionModelResponseV3: the options (plans) with their installments. */
export function positionToApiV3(p: StoredPosition) {
  return {
    iupd: p.iupd,
    organizationFiscalCode: p.organizationFiscalCode,
    companyName: p.companyName,
    officeName: p.officeName,
    payStandIn: p.payStandIn,
    insertedDate: ts(p.insertedDate),
    publishDate: ts(p.publishDate),
    paymentDate: ts(p.paymentDate),
    status: positionStatusV3(p.status),
    lastUpdatedDate: ts(p.lastUpdatedDate),
    paymentOption: p.plans.map((plan, k) => ({
      description: plan.description,
      switchToExpired: plan.switchToExpired,
      retentionDate: ts(plan.retentionDate),
      insertedDate: ts(plan.insertedDate),
      validityDate: ts(plan.validityDate),
      debtor: plan.debtor,
      installments: p.options.filter((o) => o.plan === k).map(installmentToApiV3),
    })),
  };
}

function installmentToApiV3(o: StoredOption) {
  return { ...installmentFields(o), status: installmentStatusV3(o.status, o.noticeState), installmentMetadata: o.metadata };
}

/** GPD clients may send postalIban "" for "none". */
export function positionFromApiV3(body: PositionInputV3): PositionInputV3 {
  for (const option of body.paymentOption) for (const installment of option.installments) dropEmptyPostalIbans(installment.transfer);
  return body;
}

/** The filter of GET .../receipts. */
export const receiptFilterOf = (q: Input<"receipts-list">): ReceiptFilter => ({
  flag: q.flag,
  noticeNumber: q.noticeNumber,
  receivedFrom: dayBound(q.receivedFrom, "receivedFrom", false),
  receivedTo: dayBound(q.receivedTo, "receivedTo", true),
  paymentDateFrom: dayBound(q.paymentDateFrom, "paymentDateFrom", false),
  paymentDateTo: dayBound(q.paymentDateTo, "paymentDateTo", true),
});

/** The filter of gpd-payments' GET /payments/{ec}/receipts: payments only (no KO outcome). */
export const paymentsReceiptFilterOf = (q: Input<"payments-receipts-list">): ReceiptFilter => ({
  withoutFlag: "OUTCOME_KO",
  debtor: q.debtor,
  iuvPrefixes: segregationCodesOf(q),
  iuvStartsWith: q.service,
  iuvOrDebtorPrefix: q.debtorOrIuv,
  paymentDateFrom: dayBound(q.from, "from", false),
  paymentDateTo: dayBound(q.to, "to", true),
});

/** A receipt as gpd-payments lists it. */
export const receiptToPaymentsResult = (r: ListedReceipt) => ({
  organizationFiscalCode: r.organizationFiscalCode,
  iuv: r.iuv,
  debtor: r.debtor,
  paymentDateTime: r.paymentDateTime === undefined || r.paymentDateTime === null ? undefined : isoTimestamp(new Date(r.paymentDateTime)),
  status: "PAID",
});

/** GPD's page_info, with the true total. */
export const pageInfoOf = (page: number, limit: number, total: number) => ({ page, limit, items_found: total, total_pages: Math.ceil(total / limit) });
