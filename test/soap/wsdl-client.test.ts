/**
 * A WSDL client that knows nothing of this project (the `soap` package) imports the service from
 * the running app's /wsdl URL, resolves the XSDs over HTTP, and calls every operation.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { XmlDocument } from "libxml2-wasm";
import * as soap from "soap";
import { BROKER, EC, STATION, startApp, type TestApp } from "../support/app.ts";
import { makeOption, makePosition, makeTransfer } from "../support/factories.ts";
import { expectSchemaValid } from "../support/soap.ts";
import { projectSchema, validateSoapBody } from "../support/xmlSchema.ts";
import { createPosition, readPosition, readReceipt } from "../support/rest.ts";

const OPERATIONS = ["paVerifyPaymentNotice", "paGetPayment", "paGetPaymentV2", "paSendRT", "paSendRTV2", "paDemandPaymentNotice"];
const head = { idPA: EC, idBrokerPA: BROKER, idStation: STATION };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Call = (args: unknown) => Promise<[any, string, unknown, string]>;
const op = (client: soap.Client, name: string) => (client as unknown as Record<string, Call>)[`${name}Async`]!.bind(client);

function receipt(receiptId: string, nav: string, iuv: string, v2: boolean) {
  return {
    receiptId,
    noticeNumber: nav,
    fiscalCode: EC,
    outcome: "OK",
    creditorReferenceId: iuv,
    paymentAmount: "100.00",
    description: "Tassa rifiuti 2026",
    companyName: "Comune di Esempio",
    debtor: { uniqueIdentifier: { entityUniqueIdentifierType: "F", entityUniqueIdentifierValue: "RSSMRA80A01H501U" }, fullName: "Mario Rossi" },
    transferList: {
      transfer: [
        {
          idTransfer: 1,
          transferAmount: "100.00",
          fiscalCodePA: EC,
          ...(v2 ? { companyName: "Comune di Esempio" } : {}),
          IBAN: "IT60X0542811101000000123456",
          remittanceInformation: "Tassa rifiuti",
          transferCategory: "0101100IM",
        },
      ],
    },
    idPSP: "ABCDITMMXXX",
    PSPCompanyName: "PSP di Esempio",
    idChannel: "99999999999_01",
    channelDescription: "app",
    paymentMethod: "creditCard",
    fee: "1.00",
    ...(v2 ? { primaryCiIncurredFee: "0.50", idBundle: "bundle-1" } : {}),
    paymentDateTime: "2026-11-20T10:00:00",
  };
}

describe("a WSDL client of the running app", () => {
  let t: TestApp;
  let server: Server;
  let base: string;
  let client: soap.Client;
  const fetched: string[] = [];

  before(async () => {
    t = await startApp();
    server = t.app.createServer();
    server.on("request", (req: { method?: string; url?: string }) => fetched.push(`${req.method} ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = await soap.createClientAsync(`${base}/wsdl`);
  });

  after(async () => {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  it("imports the WSDL from /wsdl and the XSDs it names over HTTP", () => {
    expect(fetched).to.include("GET /wsdl");
    expect(fetched).to.include("GET /xsd/paForNode.xsd");
    expect(fetched).to.include("GET /xsd/sac-common-types.xsd");
  });

  it("serves the same WSDL on the SOAP path with ?wsdl", async () => {
    const [fromWsdl, fromQuery] = await Promise.all([fetch(`${base}/wsdl`), fetch(`${base}${t.config.soapPath}?wsdl`)]);
    expect(fromQuery.status).to.equal(200);
    expect(fromQuery.headers.get("content-type")).to.match(/^text\/xml/);
    expect(await fromQuery.text()).to.equal(await fromWsdl.text());
  });

  it("sees the six operations on paForNodeService/paForNodePort, bound to the app's own SOAP URL", () => {
    const described = client.describe() as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(described)).to.deep.equal(["paForNodeService"]);
    expect(Object.keys(described.paForNodeService!)).to.deep.equal(["paForNodePort"]);
    expect(Object.keys(described.paForNodeService!.paForNodePort!).sort()).to.deep.equal([...OPERATIONS].sort());
    const port = client.wsdl.definitions.services.paForNodeService!.ports.paForNodePort as unknown as { location: string };
    expect(port.location).to.equal(`${base}${t.config.soapPath}`);
  });

  it("knows the request elements' types from the XSD (not just their names)", () => {
    const described = client.describe() as Record<string, Record<string, Record<string, { input: Record<string, unknown> }>>>;
    const input = described.paForNodeService!.paForNodePort!.paVerifyPaymentNotice!.input;
    expect(input).to.include.keys("idPA", "idBrokerPA", "idStation", "qrCode");
    expect(input.qrCode).to.include.keys("fiscalCode", "noticeNumber");
  });

  describe("calls", () => {
    let nav: string;
    let iuv: string;
    let iupd: string;
    before(async () => {
      const input = makePosition({ paymentOption: [makeOption({ transfer: [makeTransfer({ companyName: "Comune di Esempio" })] })] });
      const created = await createPosition(t, input, { toPublish: true });
      ({ nav, iuv } = created.paymentOption[0]);
      iupd = input.iupd;
    });

    it("paVerifyPaymentNotice, whose request is schema-valid and whose answer it reads", async () => {
      const [result, raw, , rawRequest] = await op(client, "paVerifyPaymentNotice")({ ...head, qrCode: { fiscalCode: EC, noticeNumber: nav } });
      expect(validateSoapBody(rawRequest, projectSchema()), rawRequest).to.deep.equal([]);
      expectSchemaValid(raw);
      expect(result.outcome, raw).to.equal("OK");
      expect(result.paymentList.paymentOptionDescription.amount).to.equal("100.00");
      expect(result.fiscalCodePA).to.equal(EC);
    });

    it("paGetPayment", async () => {
      const [result, raw, , rawRequest] = await op(client, "paGetPayment")({ ...head, qrCode: { fiscalCode: EC, noticeNumber: nav }, amount: "100.00" });
      expect(validateSoapBody(rawRequest, projectSchema()), rawRequest).to.deep.equal([]);
      expectSchemaValid(raw);
      expect(result.outcome, raw).to.equal("OK");
      expect(result.data.creditorReferenceId).to.equal(iuv);
      expect(result.data.transferList.transfer[0] ?? result.data.transferList.transfer).to.include({ fiscalCodePA: EC });
    });

    it("paGetPaymentV2", async () => {
      const [result, raw, , rawRequest] = await op(client, "paGetPaymentV2")({ ...head, qrCode: { fiscalCode: EC, noticeNumber: nav }, transferType: "PAGOPA" });
      expect(validateSoapBody(rawRequest, projectSchema()), rawRequest).to.deep.equal([]);
      expectSchemaValid(raw);
      expect(result.outcome, raw).to.equal("OK");
      expect(result.data.companyName).to.equal("Comune di Esempio");
      expect(raw).to.include("<companyName>Comune di Esempio</companyName><IBAN>");
    });

    it("paSendRT", async () => {
      const [result, raw, , rawRequest] = await op(client, "paSendRT")({ ...head, receipt: receipt("wsdl-rcpt-1", nav, iuv, false) });
      expect(validateSoapBody(rawRequest, projectSchema()), rawRequest).to.deep.equal([]);
      expectSchemaValid(raw);
      expect(result.outcome, raw).to.equal("OK");
      expect((await readPosition(t, iupd)).status).to.equal("PAID");
    });

    it("paSendRTV2", async () => {
      const [result, raw, , rawRequest] = await op(client, "paSendRTV2")({ ...head, receipt: receipt("wsdl-rcpt-2", nav, iuv, true) });
      expect(validateSoapBody(rawRequest, projectSchema()), rawRequest).to.deep.equal([]);
      expectSchemaValid(raw);
      expect(result.outcome, raw).to.equal("OK");
      const stored = await readReceipt(t, "wsdl-rcpt-2");
      expect(stored!.flags).to.deep.equal(["DOUBLE_PAYMENT"]);
      expect(stored!.receipt).to.include({ primaryCiIncurredFee: 50, idBundle: "bundle-1" });
    });

    it("paSendRT again with the same receiptId, and reads the KO with its fault", async () => {
      const [result, raw] = await op(client, "paSendRT")({ ...head, receipt: receipt("wsdl-rcpt-1", nav, iuv, false) });
      expectSchemaValid(raw);
      expect(result.outcome, raw).to.equal("KO");
      expect(result.fault.faultCode).to.equal("PAA_RECEIPT_DUPLICATA");
      expect(result.fault.id).to.equal(EC);
    });

    it("paDemandPaymentNotice, and reads the KO with its fault", async () => {
      const args = { ...head, idServizio: "00009", idSoggettoServizio: "00035", datiSpecificiServizioRequest: Buffer.from('<service xmlns="http://PuntoAccessoPSP.spcoop.gov.it/GeneralService"><amount>100</amount></service>').toString("base64") };
      const [result, raw, , rawRequest] = await op(client, "paDemandPaymentNotice")(args);
      expect(validateSoapBody(rawRequest, projectSchema()), rawRequest).to.deep.equal([]);
      expectSchemaValid(raw);
      expect(result.outcome, raw).to.equal("KO");
      expect(result.fault.faultCode).to.equal("PAA_SEMANTICA");
    });
  });
});

describe("the address written into the served WSDL", () => {
  const ADDRESS = /<soap:address location="([^"]*)"\/>/;
  /** The WSDL served for these request headers: its SOAP address and its first schemaLocation. */
  async function served(t: TestApp, headers: Record<string, string>): Promise<{ address: string; schema: string; text: string }> {
    const req = t.http.get("/wsdl");
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    const res = await req.buffer(true).parse((r, cb) => {
      let data = "";
      r.setEncoding("utf8");
      r.on("data", (c: string) => (data += c));
      r.on("end", () => cb(null, data));
    });
    expect(res.status).to.equal(200);
    const text = res.body as string;
    return { address: ADDRESS.exec(text)?.[1] ?? "", schema: /schemaLocation="([^"]*)"/.exec(text)?.[1] ?? "", text };
  }

  it("is the one the client used when Host is a host[:port] and X-Forwarded-Proto is http or https", async () => {
    const t = await startApp();
    expect((await served(t, { Host: "stazione.example.org:8443", "X-Forwarded-Proto": "https" })).address).to.equal(`https://stazione.example.org:8443${t.config.soapPath}`);
    expect((await served(t, { Host: "[::1]:3000" })).address).to.equal(`http://[::1]:3000${t.config.soapPath}`);
    const plain = await served(t, { Host: "10.0.0.7", "X-Forwarded-Proto": "HTTP, https" });
    expect(plain.address).to.equal(`http://10.0.0.7${t.config.soapPath}`);
    expect(plain.schema).to.equal("http://10.0.0.7/xsd/paForNode.xsd");
  });

  it("falls back to this server's own address for any other Host or X-Forwarded-Proto, and is always well-formed XML", async () => {
    const t = await startApp();
    const hostile = ['evil.example"/><x a="', "a b", "evil.example/path", "evil.example:99999x", "user@evil.example", `${"a".repeat(64)}.example`, "&amp;"];
    for (const host of hostile) {
      const wsdl = await served(t, { Host: host });
      expect(wsdl.address, host).to.match(new RegExp(`^http://localhost:\\d+${t.config.soapPath}$`));
      expect(validateXmlWellFormed(wsdl.text), host).to.equal(true);
    }
    for (const proto of ["javascript", "ftp", "https\"><x"]) {
      expect((await served(t, { Host: "stazione.example.org", "X-Forwarded-Proto": proto })).address, proto).to.match(/^http:\/\/localhost:\d+\//);
    }
  });

  it("is PUBLIC_URL when it is set, whatever the client sends, escaped", async () => {
    const t = await startApp({ PUBLIC_URL: "https://pagopa.example.org/ente?a=1&b=2" });
    const wsdl = await served(t, { Host: "other.example", "X-Forwarded-Proto": "http" });
    expect(wsdl.address).to.equal(`https://pagopa.example.org/ente?a=1&amp;b=2${t.config.soapPath}`);
    expect(validateXmlWellFormed(wsdl.text)).to.equal(true);
  });
});

/** Whether libxml2 reads the text as a well-formed document. */
function validateXmlWellFormed(text: string): boolean {
  try {
    XmlDocument.fromString(text).dispose();
    return true;
  } catch {
    return false;
  }
}
