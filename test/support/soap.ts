/** SOAP requests for tests: envelopes built from fields, posted to the app, answers read back. */
import { XMLParser } from "fast-xml-parser";
import { BROKER, EC, STATION, type TestApp } from "./app.ts";

const ENVELOPE_OPEN = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><soapenv:Header/><soapenv:Body>';
const ENVELOPE_CLOSE = "</soapenv:Body></soapenv:Envelope>";

export type XmlValue = string | number | boolean | XmlTree | XmlTree[] | undefined;
export interface XmlTree {
  [element: string]: XmlValue;
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Elements in insertion order; arrays repeat the element; undefined is left out. */
export function xml(tree: XmlTree): string {
  return Object.entries(tree)
    .map(([name, value]) => {
      if (value === undefined) return "";
      if (Array.isArray(value)) return value.map((item) => `<${name}>${xml(item)}</${name}>`).join("");
      if (typeof value === "object") return `<${name}>${xml(value)}</${name}>`;
      return `<${name}>${escape(String(value))}</${name}>`;
    })
    .join("");
}

export function envelope(root: string, fields: XmlTree): string {
  return `${ENVELOPE_OPEN}<pafn:${root}>${xml(fields)}</pafn:${root}>${ENVELOPE_CLOSE}`;
}

export const header = (idPA = EC) => ({ idPA, idBrokerPA: BROKER, idStation: STATION });

export const verifyRequest = (nav: string, ec = EC) => envelope("paVerifyPaymentNoticeReq", { ...header(ec), qrCode: { fiscalCode: ec, noticeNumber: nav } });

export const getPaymentRequest = (nav: string, options: { v2?: boolean; ec?: string; transferType?: string; amount?: string } = {}) =>
  envelope(options.v2 ? "paGetPaymentV2Request" : "paGetPaymentReq", {
    ...header(options.ec ?? EC),
    qrCode: { fiscalCode: options.ec ?? EC, noticeNumber: nav },
    amount: options.amount,
    transferType: options.transferType,
  });

export interface ReceiptOptions {
  receiptId: string;
  nav: string;
  iuv: string;
  amount: string;
  v2?: boolean;
  idPA?: string;
  fiscalCode?: string;
  transfers?: XmlTree[];
  extra?: XmlTree;
  header?: XmlTree;
}

export function receiptRequest(o: ReceiptOptions): string {
  const fiscalCode = o.fiscalCode ?? EC;
  return envelope(o.v2 ? "paSendRTV2Request" : "paSendRTReq", {
    ...header(o.idPA ?? fiscalCode),
    ...o.header,
    receipt: {
      receiptId: o.receiptId,
      noticeNumber: o.nav,
      fiscalCode,
      outcome: "OK",
      creditorReferenceId: o.iuv,
      paymentAmount: o.amount,
      description: "Tassa rifiuti 2026",
      companyName: "Comune di Esempio",
      debtor: { uniqueIdentifier: { entityUniqueIdentifierType: "F", entityUniqueIdentifierValue: "RSSMRA80A01H501U" }, fullName: "Mario Rossi" },
      transferList: {
        transfer: o.transfers ?? [
          { idTransfer: 1, transferAmount: o.amount, fiscalCodePA: fiscalCode, IBAN: "IT60X0542811101000000123456", remittanceInformation: "Tassa rifiuti", transferCategory: "0101100IM" },
        ],
      },
      idPSP: "ABCDITMMXXX",
      PSPCompanyName: "PSP di Esempio",
      idChannel: "99999999999_01",
      channelDescription: "app",
      paymentMethod: "creditCard",
      fee: "1.00",
      paymentDateTime: "2026-11-20T10:00:00",
      ...o.extra,
    },
  });
}

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true });

export interface SoapResult {
  status: number;
  text: string;
  /** The body root element's children (test code reads them freely). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: Record<string, any>;
  root: string;
}

export async function postSoap(t: TestApp, requestXml: string, action?: string): Promise<SoapResult> {
  const req = t.http.post(t.config.soapPath).set("content-type", "text/xml; charset=utf-8");
  if (action) req.set("SOAPAction", action);
  const res = await req.send(requestXml).buffer(true).parse((r, cb) => {
    let data = "";
    r.setEncoding("utf8");
    r.on("data", (c: string) => (data += c));
    r.on("end", () => cb(null, data));
  });
  const text = res.body as string;
  const doc = parser.parse(text);
  const bodyNode = doc.Envelope?.Body ?? {};
  const root = Object.keys(bodyNode)[0] ?? "";
  return { status: res.status, text, body: bodyNode[root] ?? {}, root };
}

export const faultCodeOf = (r: SoapResult): string | undefined => r.body.fault?.faultCode;
