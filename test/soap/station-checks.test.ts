/**
 * The station checks every paForNode request passes: idPA must be an EC served here, idBrokerPA and
 * idStation this station's. Receipts are the exception for broker and station (stored and flagged).
 */
import { expect } from "chai";
import { BROKER, EC, OTHER_EC, UNSERVED_EC, startApp, type TestApp } from "../support/app.ts";
import { makePosition } from "../support/factories.ts";
import { appOnFailingDatabase, envelope, expectFault, expectOk, header, postSoap, receiptRequest, type XmlTree } from "../support/soap.ts";
import { createPosition, readReceipt } from "../support/rest.ts";

const NAV = "302000000001234559";
const IUV = "02000000001234559";

interface Case {
  action: string;
  res: string;
  receipt: boolean;
  build: (head: XmlTree) => string;
}

const qrCode = (head: XmlTree) => ({ fiscalCode: /^\d{11}$/.test(String(head.idPA)) ? head.idPA : EC, noticeNumber: NAV });
const receiptBody = (v2: boolean) => (head: XmlTree) =>
  receiptRequest({ receiptId: `rcpt-${String(head.idPA)}-${String(head.idBrokerPA)}-${String(head.idStation)}`, nav: NAV, iuv: IUV, amount: "30.00", v2, idPA: String(head.idPA), fiscalCode: EC, header: head });

const CASES: Case[] = [
  { action: "paVerifyPaymentNotice", res: "paVerifyPaymentNoticeRes", receipt: false, build: (h) => envelope("paVerifyPaymentNoticeReq", { ...h, qrCode: qrCode(h) }) },
  { action: "paGetPayment", res: "paGetPaymentRes", receipt: false, build: (h) => envelope("paGetPaymentReq", { ...h, qrCode: qrCode(h) }) },
  { action: "paGetPaymentV2", res: "paGetPaymentV2Response", receipt: false, build: (h) => envelope("paGetPaymentV2Request", { ...h, qrCode: qrCode(h) }) },
  { action: "paSendRT", res: "paSendRTRes", receipt: true, build: receiptBody(false) },
  { action: "paSendRTV2", res: "paSendRTV2Response", receipt: true, build: receiptBody(true) },
  {
    action: "paDemandPaymentNotice",
    res: "paDemandPaymentNoticeResponse",
    receipt: false,
    build: (h) => envelope("paDemandPaymentNoticeRequest", { ...h, idServizio: "00009", idSoggettoServizio: "00035", datiSpecificiServizioRequest: "PGFtb3VudD4xMDA8L2Ftb3VudD4=" }),
  },
];

describe("station checks", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
    // a payable notice, so that only the header decides the answer
    await createPosition(t, makePosition({ paymentOption: [{ iuv: IUV, amount: 3000, description: "TARI", isPartialPayment: false, dueDate: "2099-12-31T23:59:59+01:00", transfer: [{ idTransfer: "1", amount: 3000, remittanceInformation: "TARI", category: "0101100IM", iban: "IT60X0542811101000000123456" }] }] }), { toPublish: true });
  });

  for (const c of CASES) {
    describe(c.action, () => {
      it("answers PAA_ID_DOMINIO_ERRATO when idPA is not an EC served here, with that idPA as fault id", async () => {
        const fault = expectFault(await postSoap(t, c.build(header(UNSERVED_EC)), c.action), "PAA_ID_DOMINIO_ERRATO", c.res);
        expect(fault.id).to.equal(UNSERVED_EC);
        expect(fault.faultString).to.equal("La PAA non corrisponde al Dominio indicato");
        expect(fault.description).to.include(UNSERVED_EC);
      });

      it("checks idPA before the broker and the station", async () => {
        expectFault(await postSoap(t, c.build({ idPA: UNSERVED_EC, idBrokerPA: "11111111111", idStation: "11111111111_01" }), c.action), "PAA_ID_DOMINIO_ERRATO", c.res);
      });

      if (c.receipt) {
        it("stores a receipt with a wrong broker or station instead of refusing it", async () => {
          const wrongBroker = { ...header(EC), idBrokerPA: "11111111111" };
          expectOk(await postSoap(t, c.build(wrongBroker), c.action), c.res);
          expect((await readReceipt(t, `rcpt-${EC}-11111111111-77777777777_01`))!.flags).to.include("STATION_MISMATCH");
          const wrongStation = { ...header(EC), idStation: "77777777777_02" };
          expectOk(await postSoap(t, c.build(wrongStation), c.action), c.res);
          expect((await readReceipt(t, `rcpt-${EC}-77777777777-77777777777_02`))!.flags).to.include("STATION_MISMATCH");
        });
      } else {
        it("answers PAA_ID_INTERMEDIARIO_ERRATO when idBrokerPA is not this station's broker, with the EC as fault id", async () => {
          const fault = expectFault(await postSoap(t, c.build({ ...header(EC), idBrokerPA: "11111111111" }), c.action), "PAA_ID_INTERMEDIARIO_ERRATO", c.res);
          expect(fault.id).to.equal(EC);
          expect(fault.faultString).to.equal("Identificativo intermediario non corrispondente");
          expect(fault.description).to.include("11111111111");
        });

        it("answers PAA_STAZIONE_INT_ERRATA when idStation is not this station, with the EC as fault id", async () => {
          const fault = expectFault(await postSoap(t, c.build({ ...header(EC), idStation: "77777777777_02" }), c.action), "PAA_STAZIONE_INT_ERRATA", c.res);
          expect(fault.id).to.equal(EC);
          expect(fault.faultString).to.equal("Stazione intermediario non corrispondente");
          expect(fault.description).to.include("77777777777_02");
        });

        it("checks the broker before the station", async () => {
          expectFault(await postSoap(t, c.build({ ...header(EC), idBrokerPA: "11111111111", idStation: "77777777777_02" }), c.action), "PAA_ID_INTERMEDIARIO_ERRATO", c.res);
        });

        it("answers with the other served EC's fiscal code as fault id for its requests", async () => {
          const fault = expectFault(await postSoap(t, c.build({ ...header(OTHER_EC), idStation: "77777777777_02" }), c.action), "PAA_STAZIONE_INT_ERRATA", c.res);
          expect(fault.id).to.equal(OTHER_EC);
        });

        it("checks the station before touching the database", async () => {
          const broken = appOnFailingDatabase(new Error("the station checks must not need the database"));
          expectFault(await postSoap(broken, c.build({ ...header(EC), idStation: "77777777777_02" }), c.action), "PAA_STAZIONE_INT_ERRATA", c.res);
        });
      }
    });
  }

  it("uses the broker's fiscal code as fault id when idPA is not a fiscal code at all", async () => {
    const fault = expectFault(await postSoap(t, CASES[0]!.build(header("NOT-A-CODE")), "paVerifyPaymentNotice"), "PAA_ID_DOMINIO_ERRATO", "paVerifyPaymentNoticeRes");
    expect(fault.id).to.equal(BROKER);
  });
});
