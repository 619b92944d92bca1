/** paForNode request types as reader specs (facets as in xsd/paForNode.xsd). */
import type { Complex, Field, Leaf } from "./reader.ts";

export const PAFN_NS = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";

const text = (max: number, min = 1): Leaf => ({ t: "text", min, max });
const fiscalCodePA: Leaf = { t: "pattern", re: /^\d{11}$/, hint: "11 digits" };
const noticeNumber: Leaf = { t: "pattern", re: /^\d{18}$/, hint: "18 digits" };
const nazioneProvincia: Leaf = { t: "pattern", re: /^[A-Z]{2}$/, hint: "two capital letters" };
const email: Leaf = { t: "pattern", re: /^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*$/, max: 256, hint: "an e-mail address" };
const complex = (...fields: Field[]): Complex => ({ t: "complex", fields });
const opt = (name: string, spec: Leaf | Complex): Field => ({ name, spec, optional: true });
const req = (name: string, spec: Leaf | Complex): Field => ({ name, spec });

const metadata = complex({ name: "mapEntry", spec: complex(req("key", text(140)), req("value", text(140))), max: 15 });

const subject = complex(
  req("uniqueIdentifier", complex(req("entityUniqueIdentifierType", { t: "enum", values: ["F", "G"] }), req("entityUniqueIdentifierValue", text(16, 2)))),
  req("fullName", text(70)),
  opt("streetName", text(70)),
  opt("civicNumber", text(16)),
  opt("postalCode", text(16)),
  opt("city", text(35)),
  opt("stateProvinceRegion", text(35)),
  opt("country", nazioneProvincia),
  opt("e-mail", email),
);

const header: Field[] = [req("idPA", text(35)), req("idBrokerPA", text(35)), req("idStation", text(35))];
const qrCode = complex(req("fiscalCode", fiscalCodePA), req("noticeNumber", noticeNumber));

const transferV1 = complex(
  req("idTransfer", { t: "idTransfer" }),
  req("transferAmount", { t: "amount", notZero: true }),
  req("fiscalCodePA", fiscalCodePA),
  req("IBAN", text(35)),
  req("remittanceInformation", text(140)),
  req("transferCategory", text(140)),
  opt("metadata", metadata),
);

const transferReceiptV2 = complex(
  req("idTransfer", { t: "idTransfer" }),
  req("transferAmount", { t: "amount", notZero: true }),
  req("fiscalCodePA", fiscalCodePA),
  opt("companyName", text(140)),
  { name: "IBAN", spec: text(35), choice: "account" },
  { name: "MBDAttachment", spec: { t: "base64" }, choice: "account" },
  req("remittanceInformation", text(140)),
  req("transferCategory", text(140)),
  opt("metadata", metadata),
);

function receipt(transfer: Complex, v2: boolean): Complex {
  return complex(
    // xsd:string in the XSD, but it is the payment token (stPaymentToken, 1 to 35) and the receipt's identity:
    // an empty one could not tell two receipts apart, so it is refused (and the body kept) like a schema break.
    req("receiptId", { t: "text", min: 1 }),
    req("noticeNumber", noticeNumber),
    req("fiscalCode", fiscalCodePA),
    req("outcome", { t: "enum", values: ["OK", "KO"] }),
    req("creditorReferenceId", text(35)),
    req("paymentAmount", { t: "amount" }),
    req("description", text(140)),
    req("companyName", text(140)),
    opt("officeName", text(140)),
    req("debtor", subject),
    req("transferList", complex({ name: "transfer", spec: transfer, max: 5 })),
    req("idPSP", text(35)),
    opt("pspFiscalCode", text(70)),
    opt("pspPartitaIVA", text(20)),
    req("PSPCompanyName", text(70)),
    req("idChannel", text(35)),
    req("channelDescription", text(35)),
    opt("payer", subject),
    opt("paymentMethod", text(35)),
    ...(v2 ? [opt("paymentNote", text(210))] : []),
    opt("fee", { t: "amount" }),
    ...(v2 ? [opt("primaryCiIncurredFee", { t: "amount" }), opt("idBundle", text(70)), opt("idCiBundle", text(70))] : []),
    opt("paymentDateTime", { t: "dateTime" }),
    opt("applicationDate", { t: "date" }),
    opt("transferDate", { t: "date" }),
    opt("metadata", metadata),
    opt("standIn", { t: "boolean" }),
  );
}

const getPaymentRequest = complex(
  ...header,
  req("qrCode", qrCode),
  opt("amount", { t: "amount" }),
  opt("paymentNote", text(210)),
  opt("transferType", { t: "enum", values: ["POSTAL", "PAGOPA"] }),
  opt("dueDate", { t: "date" }),
);

export const requestSpecs = {
  paVerifyPaymentNotice: complex(...header, req("qrCode", qrCode)),
  paGetPayment: getPaymentRequest,
  paGetPaymentV2: getPaymentRequest,
  paSendRT: complex(...header, req("receipt", receipt(transferV1, false))),
  paSendRTV2: complex(...header, req("receipt", receipt(transferReceiptV2, true))),
  paDemandPaymentNotice: complex(
    ...header,
    req("idServizio", text(5, 5)),
    req("idSoggettoServizio", text(5, 5)),
    req("datiSpecificiServizioRequest", { t: "base64" }),
  ),
} as const;

export type Operation = keyof typeof requestSpecs;

/** Request and response root elements of each operation (V1 says Req/Res, later ones Request/Response). */
export const OPERATIONS: Record<Operation, { request: string; response: string }> = {
  paVerifyPaymentNotice: { request: "paVerifyPaymentNoticeReq", response: "paVerifyPaymentNoticeRes" },
  paGetPayment: { request: "paGetPaymentReq", response: "paGetPaymentRes" },
  paGetPaymentV2: { request: "paGetPaymentV2Request", response: "paGetPaymentV2Response" },
  paSendRT: { request: "paSendRTReq", response: "paSendRTRes" },
  paSendRTV2: { request: "paSendRTV2Request", response: "paSendRTV2Response" },
  paDemandPaymentNotice: { request: "paDemandPaymentNoticeRequest", response: "paDemandPaymentNoticeResponse" },
};

export const OPERATION_BY_REQUEST = new Map(Object.entries(OPERATIONS).map(([op, { request }]) => [request, op as Operation]));

/** Plain shapes the reader returns (element names as on the wire, amounts in cents). */
export interface Header {
  idPA: string;
  idBrokerPA: string;
  idStation: string;
}
export interface QrCode {
  fiscalCode: string;
  noticeNumber: string;
}
export interface VerifyRequest extends Header {
  qrCode: QrCode;
}
export interface GetPaymentRequest extends VerifyRequest {
  amount?: number;
  paymentNote?: string;
  transferType?: "POSTAL" | "PAGOPA";
  dueDate?: string;
}
export interface WireReceipt {
  receiptId: string;
  noticeNumber: string;
  fiscalCode: string;
  outcome: "OK" | "KO";
  creditorReferenceId: string;
  paymentAmount: number;
  paymentDateTime?: string;
  standIn?: boolean;
  [element: string]: unknown;
}
export interface SendRTRequest extends Header {
  receipt: WireReceipt;
}
export interface DemandRequest extends Header {
  idServizio: string;
  idSoggettoServizio: string;
  datiSpecificiServizioRequest: string;
}
