/** Domain values to paForNode XML fragments, and wire receipts to what the payment service takes. */
import { centsToAmount } from "../domain/money.ts";
import { accountFor, type TransferType } from "../domain/payment.ts";
import type { Debtor, MetadataEntry } from "../domain/position.ts";
import { isoTimestamp, parseTimestamp, romeDate } from "../domain/time.ts";
import type { NoticeSummary, NoticeTransfer, NoticeView } from "../domain/stored.ts";
import type { IncomingReceipt } from "../services/payments.ts";
import { escapeXml } from "./envelope.ts";
import type { SendRTRequest } from "./messages.ts";

const el = (name: string, value: string | undefined) => (value === undefined || value === "" ? "" : `<${name}>${escapeXml(value)}</${name}>`);

function metadataXml(entries: readonly MetadataEntry[]): string {
  if (entries.length === 0) return "";
  return `<metadata>${entries.map((e) => `<mapEntry>${el("key", e.key)}${el("value", e.value)}</mapEntry>`).join("")}</metadata>`;
}

function subjectXml(name: string, d: Debtor): string {
  return (
    `<${name}><uniqueIdentifier>${el("entityUniqueIdentifierType", d.type)}${el("entityUniqueIdentifierValue", d.fiscalCode)}</uniqueIdentifier>` +
    el("fullName", d.fullName) +
    el("streetName", d.streetName) +
    el("civicNumber", d.civicNumber) +
    el("postalCode", d.postalCode) +
    el("city", d.city) +
    el("stateProvinceRegion", d.province ?? d.region) +
    el("country", d.country) +
    el("e-mail", d.email) +
    `</${name}>`
  );
}

/** The children of paVerifyPaymentNoticeRes after <outcome>OK</outcome>. */
export function verifyResultXml(ec: string, notice: NoticeSummary): string {
  return (
    "<paymentList><paymentOptionDescription>" +
    el("amount", centsToAmount(notice.amount)) +
    "<options>EQ</options>" +
    el("dueDate", romeDate(notice.dueDate)) +
    `<allCCP>${notice.allPostal}</allCCP>` +
    "</paymentOptionDescription></paymentList>" +
    el("paymentDescription", notice.description) +
    el("fiscalCodePA", ec) +
    el("companyName", notice.companyName) +
    el("officeName", notice.officeName)
  );
}

function transferXml(t: NoticeTransfer, v2: boolean, transferType: TransferType): string {
  const { iban, metadata } = accountFor(t, transferType);
  let account: string;
  if (t.stamp) {
    account = `<richiestaMarcaDaBollo>${el("hashDocumento", t.stamp.hashDocument)}${el("tipoBollo", t.stamp.stampType)}${el("provinciaResidenza", t.stamp.provincialResidence)}</richiestaMarcaDaBollo>`;
  } else {
    account = el("IBAN", iban);
  }
  return (
    "<transfer>" +
    el("idTransfer", t.idTransfer) +
    el("transferAmount", centsToAmount(t.amount)) +
    el("fiscalCodePA", t.organizationFiscalCode) +
    (v2 ? el("companyName", t.companyName) : "") +
    account +
    el("remittanceInformation", t.remittanceInformation) +
    el("transferCategory", t.category) +
    metadataXml(metadata) +
    "</transfer>"
  );
}

/** The <data> of paGetPaymentRes (V1) or paGetPaymentV2Response (V2). */
export function paymentDataXml(notice: NoticeView, v2: boolean, transferType: TransferType): string {
  return (
    "<data>" +
    el("creditorReferenceId", notice.iuv) +
    el("paymentAmount", centsToAmount(notice.amount)) +
    el("dueDate", romeDate(new Date(notice.dueDate))) +
    (notice.retentionDate ? el("retentionDate", isoTimestamp(new Date(notice.retentionDate))) : "") +
    el("description", notice.description) +
    el("companyName", notice.companyName) +
    el("officeName", notice.officeName) +
    subjectXml("debtor", notice.debtor) +
    `<transferList>${notice.transfers.map((t) => transferXml(t, v2, transferType)).join("")}</transferList>` +
    metadataXml(notice.metadata) +
    "</data>"
  );
}

/** A paSendRT(V2) request as the payment service takes it: the header, and what the receipt says. */
export function receiptToIncoming(request: SendRTRequest, version: 1 | 2, rawBody: string): IncomingReceipt {
  const r = request.receipt;
  return {
    header: { idPA: request.idPA, idBrokerPA: request.idBrokerPA, idStation: request.idStation },
    receiptId: r.receiptId,
    noticeNumber: r.noticeNumber,
    noticeFiscalCode: r.fiscalCode,
    primitiveVersion: version,
    outcome: r.outcome,
    paymentAmount: r.paymentAmount,
    paymentDateTime: r.paymentDateTime ? parseTimestamp(r.paymentDateTime) : undefined,
    standIn: r.standIn === true,
    receipt: r,
    rawBody,
  };
}
