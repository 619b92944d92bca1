/**
 * The paForNode examples of the reference copy (../shared/reference/pagopa-api/examples), sent as
 * they are. Every request gets a schema-valid answer; with positions loaded to match the examples
 * (EC 77777777777, notices 302000000001234559 and 302000000006789083) the answers are the examples'
 * own answers. Skipped when the reference copy is not next to this checkout.
 */
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { XMLParser } from "fast-xml-parser";
import type { PositionInput } from "../../src/domain/position.ts";
import { EC, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makePosition } from "../support/factories.ts";
import { expectFault, expectOk, expectValidAnswer, postSoap } from "../support/soap.ts";
import { OFFICIAL_REFERENCE_DIR } from "../support/xmlSchema.ts";
import { createPosition, readPosition, readReceipt } from "../support/rest.ts";

const CONSTRUCTED = path.join(OFFICIAL_REFERENCE_DIR, "examples", "constructed");
const UPSTREAM = path.join(OFFICIAL_REFERENCE_DIR, "examples", "upstream-2021");
const available = fs.existsSync(CONSTRUCTED);
const OPERATIONS = ["paDemandPaymentNotice", "paGetPayment", "paGetPaymentV2", "paSendRT", "paSendRTV2", "paVerifyPaymentNotice"];

const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), "utf8");
const requestFiles = available ? fs.readdirSync(CONSTRUCTED).filter((f) => f.endsWith("-req.xml")).sort() : [];
const upstreamRequests = fs.existsSync(UPSTREAM) ? fs.readdirSync(UPSTREAM).filter((f) => /^Req.*\.xml$/.test(f)).sort() : [];
const operationOf = (file: string) => file.replace(/-req\.xml$/, "");

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true });
/** The body root's children of an example response, read as postSoap reads ours. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function exampleBody(file: string): Record<string, any> {
  const body = parser.parse(read(CONSTRUCTED, file)).Envelope.Body;
  return body[Object.keys(body)[0]!];
}

/** Notice 302000000001234559: 30.00 in two transfers, to EC and to OTHER_EC (paGetPayment, paSendRT). */
const NOTICE_A: PositionInput = makePosition({
  iupd: "EXAMPLE-A",
  fiscalCode: "RSSMRA80A01H501U",
  fullName: "Mario Rossi",
  city: "Roma",
  country: "IT",
  email: "mario.rossi@example.org",
  companyName: "Comune di Esempio",
  officeName: "Ufficio Tributi",
  paymentOption: [
    {
      iuv: "02000000001234559",
      amount: 3000,
      description: "Tassa rifiuti 2026",
      isPartialPayment: false,
      dueDate: "2026-12-31T23:59:59+01:00",
      paymentOptionMetadata: [{ key: "codiceContribuente", value: "C-000123" }],
      transfer: [
        { idTransfer: "1", amount: 2000, remittanceInformation: "/RFB/02000000001234559/30.00/TXT/Tassa rifiuti 2026", category: "0101100IM", iban: "IT60X0542811101000000123456" },
        { idTransfer: "2", amount: 1000, organizationFiscalCode: OTHER_EC, remittanceInformation: "Quota provinciale TEFA", category: "0201102IM", iban: "IT60X0542811101000000654321" },
      ],
    },
  ],
});

/** Notice 302000000006789083: 32.00, an IBAN transfer with a postal account and an @e.bollo (paGetPaymentV2, paSendRTV2). */
const NOTICE_B: PositionInput = {
  iupd: "EXAMPLE-B",
  type: "F",
  fiscalCode: "RSSMRA80A01H501U",
  fullName: "Mario Rossi",
  companyName: "Comune di Esempio",
  officeName: "Ufficio Anagrafe",
  switchToExpired: false,
  paymentOption: [
    {
      iuv: "02000000006789083",
      amount: 3200,
      description: "Certificato con marca da bollo digitale",
      isPartialPayment: false,
      dueDate: "2026-12-31T23:59:59+01:00",
      transfer: [
        {
          idTransfer: "1",
          amount: 1600,
          companyName: "Comune di Esempio",
          remittanceInformation: "Diritti di segreteria",
          category: "0101100IM",
          iban: "IT60X0542811101000000123456",
          postalIban: "IT60X0760111101000000123456",
        },
        {
          idTransfer: "2",
          amount: 1600,
          remittanceInformation: "Marca da bollo digitale",
          category: "0115103TS",
          stamp: { hashDocument: "wHpFSLCGZjIvNSXxqtGbxg7275t446DRTk5ZrsdUQ6E=", stampType: "01", provincialResidence: "RM" },
        },
      ],
    },
  ],
};

describe("the reference paForNode examples", () => {
  let t: TestApp;
  before(function () {
    if (!available) {
      console.log(`      (skipping: ${CONSTRUCTED} is not present)`);
      this.skip();
    }
  });
  beforeEach(async () => {
    t = await startApp();
  });
  const post = (file: string, dir = CONSTRUCTED) => postSoap(t, read(dir, file), dir === CONSTRUCTED ? operationOf(file) : undefined);
  const loadExamplePositions = async () => {
    await createPosition(t, NOTICE_A, { toPublish: true });
    await createPosition(t, NOTICE_B, { toPublish: true });
  };

  it("hold one request per operation", () => {
    expect(requestFiles.map(operationOf)).to.deep.equal(OPERATIONS);
    for (const file of requestFiles) expect(read(CONSTRUCTED, file), file).to.include(`<idPA>${EC}</idPA>`);
  });

  describe("on a station with no positions", () => {
    for (const file of available ? requestFiles : OPERATIONS.map((op) => `${op}-req.xml`)) {
      it(`${file} gets a schema-valid answer`, async () => {
        const r = await post(file);
        expectValidAnswer(r);
        if (/^pa(Verify|Get)/.test(file)) expect(r.body.fault.faultCode).to.equal("PAA_PAGAMENTO_SCONOSCIUTO");
        // a receipt is never refused: it is stored for a notice we do not know
        if (/^paSendRT/.test(file)) expect(r.body.outcome).to.equal("OK");
      });
    }
  });

  describe("with the examples' positions loaded", () => {
    beforeEach(loadExamplePositions);

    it("paVerifyPaymentNotice-req.xml gets the answer of paVerifyPaymentNotice-res-OK.xml (without the optional detailDescription)", async () => {
      const r = await post("paVerifyPaymentNotice-req.xml");
      expectOk(r, "paVerifyPaymentNoticeRes");
      const expected = exampleBody("paVerifyPaymentNotice-res-OK.xml");
      delete expected.paymentList.paymentOptionDescription.detailDescription;
      expect(r.body).to.deep.equal(expected);
    });

    it("paGetPayment-req.xml gets the answer of paGetPayment-res-OK.xml", async () => {
      const r = await post("paGetPayment-req.xml");
      expectOk(r, "paGetPaymentRes");
      expect(r.body).to.deep.equal(exampleBody("paGetPayment-res-OK.xml"));
    });

    it("paGetPaymentV2-req.xml gets the answer of paGetPaymentV2-res-OK.xml (IBANAPPOGGIO and the stamp request)", async () => {
      const r = await post("paGetPaymentV2-req.xml");
      expectOk(r, "paGetPaymentV2Response");
      expect(r.body).to.deep.equal(exampleBody("paGetPaymentV2-res-OK.xml"));
    });

    it("paSendRT-req.xml gets the answer of paSendRT-res-OK.xml and pays the notice", async () => {
      expectOk(await post("paGetPayment-req.xml"));
      const r = await post("paSendRT-req.xml");
      expectOk(r, "paSendRTRes");
      expect(r.body).to.deep.equal(exampleBody("paSendRT-res-OK.xml"));
      expect((await readPosition(t, "EXAMPLE-A")).status).to.equal("PAID");
      const stored = await readReceipt(t, "c110729d258c4ab1b765fe902aae41d6");
      expect(stored!.flags).to.deep.equal([]);
      expect(stored!.receipt).to.deep.include({ standIn: false, applicationDate: "2026-01-15", transferDate: "2026-01-16" });
    });

    it("paSendRTV2-req.xml gets the answer of paSendRTV2-res-OK.xml, pays the notice and keeps the MBDAttachment", async () => {
      expectOk(await post("paGetPaymentV2-req.xml"));
      const r = await post("paSendRTV2-req.xml");
      expectOk(r, "paSendRTV2Response");
      expect(r.body).to.deep.equal(exampleBody("paSendRTV2-res-OK.xml"));
      expect((await readPosition(t, "EXAMPLE-B")).status).to.equal("PAID");
      const stored = await readReceipt(t, "d221820d258c4ab1b765fe902aae6d14");
      expect(stored!.flags).to.deep.equal([]);
      const transfers = (stored!.receipt.transferList as { transfer: Record<string, unknown>[] }).transfer;
      expect(Buffer.from(String(transfers[1]!.MBDAttachment), "base64").toString("utf8")).to.include("<marcaDaBollo");
      expect(stored!.receipt).to.include({ paymentNote: "cart-0001", primaryCiIncurredFee: 50, idBundle: "bundle-1", idCiBundle: "ci-bundle-2" });
    });

    it("paDemandPaymentNotice-req.xml gets a schema-valid PAA_SEMANTICA while spontaneous payments are not enabled", async () => {
      expectFault(await post("paDemandPaymentNotice-req.xml"), "PAA_SEMANTICA", "paDemandPaymentNoticeResponse");
    });

    it("paSendRT-req.xml sent twice gets the fault of paSendRT-res-KO-PAA_RECEIPT_DUPLICATA.xml", async () => {
      expectOk(await post("paSendRT-req.xml"));
      const fault = expectFault(await post("paSendRT-req.xml"), "PAA_RECEIPT_DUPLICATA", "paSendRTRes");
      const expected = exampleBody("paSendRT-res-KO-PAA_RECEIPT_DUPLICATA.xml").fault;
      expect({ ...fault, description: undefined }).to.deep.equal({ ...expected, description: undefined });
    });

    it("paGetPayment-req.xml for the paid notice gets the fault of paGetPayment-res-KO-PAA_PAGAMENTO_DUPLICATO.xml", async () => {
      expectOk(await post("paSendRT-req.xml"));
      const fault = expectFault(await post("paGetPayment-req.xml"), "PAA_PAGAMENTO_DUPLICATO", "paGetPaymentRes");
      const expected = exampleBody("paGetPayment-res-KO-PAA_PAGAMENTO_DUPLICATO.xml").fault;
      expect({ ...fault, description: undefined }).to.deep.equal({ ...expected, description: undefined });
    });

    it("paVerifyPaymentNotice-req.xml for the Stand-In probe gets the fault of paVerifyPaymentNotice-res-KO-PAA_PAGAMENTO_SCONOSCIUTO.xml", async () => {
      const probe = read(CONSTRUCTED, "paVerifyPaymentNotice-req.xml").replace("302000000001234559", "000000000000000000");
      const fault = expectFault(await postSoap(t, probe, "paVerifyPaymentNotice"), "PAA_PAGAMENTO_SCONOSCIUTO", "paVerifyPaymentNoticeRes");
      const expected = exampleBody("paVerifyPaymentNotice-res-KO-PAA_PAGAMENTO_SCONOSCIUTO.xml").fault;
      expect({ ...fault, description: undefined }).to.deep.equal({ ...expected, description: undefined });
    });
  });

  describe("the 2021 upstream requests (older schema)", () => {
    for (const file of upstreamRequests) {
      it(`${file} gets a schema-valid answer`, async () => {
        expectValidAnswer(await post(file, UPSTREAM));
      });
    }
  });

  it("leave both example notices PAID when the six requests are sent in turn", async () => {
    await loadExamplePositions();
    for (const file of requestFiles) expectValidAnswer(await post(file));
    expect((await readPosition(t, "EXAMPLE-A")).status).to.equal("PAID");
    expect((await readPosition(t, "EXAMPLE-B")).status).to.equal("PAID");
  });
});
