/** Store types to the GPD-compatible JSON of the REST API. */
import type { StoredOption, StoredPosition, StoredReceipt, StoredRejectedReceipt, StoredTransfer } from "../domain/stored.ts";
import type { PositionInput } from "../domain/position.ts";
import { isoTimestamp } from "../domain/time.ts";

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

export function optionToApi(o: StoredOption) {
  return {
    nav: o.nav,
    iuv: o.iuv,
    organizationFiscalCode: o.organizationFiscalCode,
    amount: o.amount,
    description: o.description,
    isPartialPayment: o.isPartialPayment,
    dueDate: ts(o.dueDate),
    retentionDate: ts(o.retentionDate),
    paymentDate: ts(o.paymentDate),
    paymentMethod: o.paymentMethod,
    pspCompany: o.pspCompany,
    idReceipt: o.idReceipt,
    fee: o.fee,
    notificationFee: o.notificationFee,
    status: o.status,
    lockedUntil: ts(o.lockedUntil),
    insertedDate: ts(o.insertedDate),
    lastUpdatedDate: ts(o.lastUpdatedDate),
    paymentOptionMetadata: o.metadata,
    transfer: o.transfers.map(transferToApi),
  };
}

export function optionWithPositionToApi(o: StoredOption & { iupd: string; positionStatus: string }) {
  return { ...optionToApi(o), iupd: o.iupd, positionStatus: o.positionStatus };
}

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
    ...r,
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

/** GPD clients may send postalIban "" for "none". */
export function positionFromApi(body: PositionInput): PositionInput {
  for (const option of body.paymentOption) {
    for (const t of option.transfer) if (t.postalIban === "") delete t.postalIban;
  }
  return body;
}
