/** SOAP requests for tests: envelopes built from fields, posted to the app, answers read back. */
import { expect } from "chai";
import { XMLParser } from "fast-xml-parser";
import pino from "pino";
import request from "supertest";
import { createApp } from "../../src/app.ts";
import type { Database } from "../../src/store/db.ts";
import { BROKER, EC, STATION, testConfig, type TestApp } from "./app.ts";
import { officialSchema, projectSchema, validateSoapBody } from "./xmlSchema.ts";

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
  /** Elements placed in schema order: after paymentMethod (V2 paymentNote), after fee (V2 fee details). */
  afterPaymentMethod?: XmlTree;
  afterFee?: XmlTree;
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
      ...o.afterPaymentMethod,
      fee: "1.00",
      ...o.afterFee,
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
  return postRaw(t, requestXml, { "content-type": "text/xml; charset=utf-8", ...(action ? { SOAPAction: action } : {}) });
}

/** Posts any body with exactly these headers to the SOAP path and reads the answer as postSoap does. */
export async function postRaw(t: TestApp, body: string | Buffer, headers: Record<string, string>): Promise<SoapResult> {
  const req = t.http.post(t.config.soapPath);
  for (const [name, value] of Object.entries(headers)) req.set(name, value);
  const res = await req.send(body).buffer(true).parse((r, cb) => {
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

// ------------------------------------------------------------------------------------------------
// Checks every paForNode answer must pass, and the REST/database shortcuts SOAP tests use.

/** A repeated element as an array, whether the parser saw it once (object) or more (array). */
export const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const WIRE_AMOUNT_ELEMENTS = /<(amount|paymentAmount|transferAmount|fee|primaryCiIncurredFee)>([^<]*)</g;

/** Valid against our XSD and, when ../shared is present, the official one. */
export function expectSchemaValid(text: string): void {
  expect(validateSoapBody(text, projectSchema()), `project XSD:\n${text}`).to.deep.equal([]);
  const official = officialSchema();
  if (official) expect(validateSoapBody(text, official), `official XSD:\n${text}`).to.deep.equal([]);
}

/**
 * What the Node requires of any answer: HTTP 200, schema-valid, OK without a fault, KO with a full
 * fault bean, amounts with two decimals, and on an OK verify the four elements the Node needs.
 */
export function expectValidAnswer(r: SoapResult, root?: string): void {
  expect(r.status, r.text).to.equal(200);
  if (root) expect(r.root, r.text).to.equal(root);
  expectSchemaValid(r.text);
  for (const [, name, value] of r.text.matchAll(WIRE_AMOUNT_ELEMENTS)) expect(value, `${name} in\n${r.text}`).to.match(/^\d+\.\d{2}$/);
  if (r.body.outcome === "OK") {
    expect(r.body.fault, r.text).to.equal(undefined);
    if (r.root === "paVerifyPaymentNoticeRes") {
      for (const name of ["paymentList", "paymentDescription", "fiscalCodePA", "companyName"]) expect(r.body, r.text).to.have.property(name);
      expect(asArray(r.body.paymentList.paymentOptionDescription), r.text).to.have.length(1);
    }
  } else {
    expect(r.body.outcome, r.text).to.equal("KO");
    expect(r.body.fault, r.text).to.be.an("object");
    for (const name of ["faultCode", "faultString", "id"]) expect(r.body.fault[name], `${name} in\n${r.text}`).to.be.a("string").and.not.equal("");
  }
}

export function expectOk(r: SoapResult, root?: string): void {
  expectValidAnswer(r, root);
  expect(r.body.outcome, r.text).to.equal("OK");
}

/** A KO answer with this faultCode; returns the fault bean. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function expectFault(r: SoapResult, faultCode: string, root?: string): Record<string, any> {
  expectValidAnswer(r, root);
  expect(r.body.outcome, r.text).to.equal("KO");
  expect(r.body.fault.faultCode, r.text).to.equal(faultCode);
  return r.body.fault;
}

/** A SOAP 1.1 Fault (HTTP 500) with soapenv:<code>; returns its faultstring. */
export function expectSoapFault(r: SoapResult, code: "Client" | "Server" | "VersionMismatch"): string {
  expect(r.status, r.text).to.equal(500);
  expect(r.root, r.text).to.equal("Fault");
  expect(r.text).to.include('xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"');
  expect(r.body.faultcode, r.text).to.equal(`soapenv:${code}`);
  expect(r.body.faultstring, r.text).to.be.a("string").and.not.equal("");
  expect(r.text, "no stack trace on the wire").not.to.match(/\bat .+\.ts:\d+/);
  return r.body.faultstring as string;
}

/** The app on a database whose every call fails with `error` (for PAA_SYSTEM_ERROR). */
export function appOnFailingDatabase(error: unknown): TestApp {
  const fail = () => Promise.reject(error);
  const db = { engine: "postgres", query: fail, transaction: fail, ping: fail, close: () => Promise.resolve() } as unknown as Database;
  const config = testConfig();
  const app = createApp({ config, db, log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }) });
  return { app, config, http: request(app.listener) };
}
