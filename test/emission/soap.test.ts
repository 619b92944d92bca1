/**
 * What the pagoPA Node does writes its events in the same transaction: an activation (a new lock, not its
 * refresh), a receipt (the payment, the receipt, a double payment), a receipt refused for breaking the
 * schema (once, however often the Node sends it again), and a notice made on demand.
 */
import { expect } from "chai";
import { EC, startApp, type TestApp } from "../support/app.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { createPosition } from "../support/rest.ts";
import { envelope, expectOk, faultCodeOf, getPaymentRequest, header, postSoap, receiptRequest } from "../support/soap.ts";
import { loadCatalogue, SERVICE_ID } from "../spontaneous/support.ts";
import { outboxEvents, typesOf } from "../store/outbox.ts";

const pay = (t: TestApp, receiptId: string, nav: string, amount: string) =>
  postSoap(t, receiptRequest({ receiptId, nav, iuv: nav.slice(1), amount, v2: true }), "paSendRTV2");

describe("paForNode writes its events", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("activation, its refresh, receipt, a repeated receipt, a second payment: ACTIVATED, PAID, RECEIPT_STORED, then RECEIPT_STORED and DOUBLE_PAYMENT", async () => {
    const input = makePosition();
    const nav = (await createPosition(t, input, { toPublish: true })).paymentOption[0].nav as string;
    expectOk(await postSoap(t, getPaymentRequest(nav, { v2: true }), "paGetPaymentV2"));
    expectOk(await postSoap(t, getPaymentRequest(nav, { v2: true }), "paGetPaymentV2"));
    expectOk(await pay(t, "rt-1", nav, "100.00"));
    expect(faultCodeOf(await pay(t, "rt-1", nav, "100.00"))).to.equal("PAA_RECEIPT_DUPLICATA");
    expectOk(await pay(t, "rt-2", nav, "100.00"));

    const events = await outboxEvents(input.iupd);
    expect(events.map((e) => [e.type, e.sequence, e.aca])).to.deep.equal([
      ["CREATED", 1, true],
      ["ACTIVATED", 2, false],
      ["PAID", 3, true],
      ["RECEIPT_STORED", 4, false],
      ["RECEIPT_STORED", 5, false],
      ["DOUBLE_PAYMENT", 6, false],
    ]);
    expect(events[1]!.payload).to.deep.equal({ positionStatus: "VALID", noticeNumber: nav, iuv: nav.slice(1), amount: 10000 });
    expect(events[2]!.payload).to.deep.equal({ positionStatus: "PAID", noticeNumber: nav, iuv: nav.slice(1), amount: 10000, receiptId: "rt-1" });
    expect(events[3]!.payload).to.deep.include({ receiptId: "rt-1", noticeNumber: nav, positionStatus: "PAID", flags: [] });
    expect(events[5]!.payload).to.deep.include({ receiptId: "rt-2", noticeNumber: nav, positionStatus: "PAID", flags: ["DOUBLE_PAYMENT"] });
  });

  it("a plan's installment writes PARTIALLY_PAID, its last installment PAID", async () => {
    const input = makePlan(30000, 2);
    const created = await createPosition(t, input, { toPublish: true });
    const [first, second] = [created.paymentOption[1].nav as string, created.paymentOption[2].nav as string];
    expectOk(await pay(t, "inst-1", first, "150.00"));
    expectOk(await pay(t, "inst-2", second, "150.00"));
    const events = await outboxEvents(input.iupd);
    expect(events.filter((e) => e.aggregateType === "position").map((e) => [e.type, e.payload.noticeNumber, e.payload.positionStatus])).to.deep.equal([
      ["CREATED", undefined, "VALID"],
      ["PARTIALLY_PAID", first, "PARTIALLY_PAID"],
      ["PAID", second, "PAID"],
    ]);
  });

  it("a receipt refused for breaking the schema writes RECEIPT_QUARANTINED once, on the position of its notice", async () => {
    const input = makePosition();
    const nav = (await createPosition(t, input, { toPublish: true })).paymentOption[0].nav as string;
    const broken = receiptRequest({ receiptId: "bad-1", nav, iuv: nav.slice(1), amount: "100.00" }).replace(/<transferCategory>[^<]*<\/transferCategory>/, "");
    expect(faultCodeOf(await postSoap(t, broken, "paSendRT"))).to.equal("PAA_SINTASSI_XSD");
    expect(faultCodeOf(await postSoap(t, broken, "paSendRT"))).to.equal("PAA_SINTASSI_XSD");
    const events = await outboxEvents(input.iupd);
    expect(typesOf(events)).to.deep.equal(["CREATED", "RECEIPT_QUARANTINED"]);
    expect(events[1]).to.deep.include({ aggregateType: "rejected_receipt", sequence: 2, aca: false });
    expect(events[1]!.payload).to.include({ receiptId: "bad-1", noticeNumber: nav, positionStatus: "VALID" });
    expect(events[1]!.payload.flags).to.deep.equal([]);
    expect(events[1]!.payload.reason).to.include("transferCategory");
  });

  it("a refused receipt for a notice no position holds writes RECEIPT_QUARANTINED without a position", async () => {
    const broken = receiptRequest({ receiptId: "bad-2", nav: "302000000000000001", iuv: "02000000000000001", amount: "1.00" }).replace(/<transferCategory>[^<]*<\/transferCategory>/, "");
    expect(faultCodeOf(await postSoap(t, broken, "paSendRT"))).to.equal("PAA_SINTASSI_XSD");
    const events = await outboxEvents();
    expect(events.map((e) => [e.type, e.positionId, e.sequence])).to.deep.equal([["RECEIPT_QUARANTINED", null, null]]);
    expect(events[0]!.payload).to.not.have.property("positionStatus");
  });

  it("paDemandPaymentNotice writes CREATED for the notice it makes, kept off the ACA feed", async () => {
    await loadCatalogue(t);
    const data = Buffer.from(`<service xmlns="http://PuntoAccessoPSP.spcoop.gov.it/GeneralService"><certificateType>residenza</certificateType></service>`).toString("base64");
    const demanded = await postSoap(t, envelope("paDemandPaymentNoticeRequest", { ...header(EC), idServizio: SERVICE_ID, idSoggettoServizio: "00001", datiSpecificiServizioRequest: data }), "paDemandPaymentNotice");
    expectOk(demanded, "paDemandPaymentNoticeResponse");
    const events = await outboxEvents();
    expect(events.map((e) => [e.type, e.aca])).to.deep.equal([["CREATED", false]]);
    expect(events[0]!.payload.notices[0].noticeNumber).to.equal(demanded.body.qrCode.noticeNumber);
  });
});
