import { expect } from "chai";
import { EC, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makeOption, makePlan, makePosition, makeTransfer } from "../support/factories.ts";
import { faultCodeOf, postSoap, verifyRequest } from "../support/soap.ts";
import { expectProblem, expectValid, lockOption } from "./helpers.ts";
import { api, createPosition, positionPath } from "../support/rest.ts";

const payPath = (id: string, ec = EC) => `/v1/organizations/${ec}/paymentoptions/${id}/pay`;
const reportPath = (iuv: string, idTransfer: string, ec = EC) => `/v1/organizations/${ec}/paymentoptions/${iuv}/transfers/${idTransfer}/report`;
/** What GPD's side of the node sends when a receipt arrives (fee as a string, as GPD's model has it). */
const receiptData = { paymentDate: "2026-11-20T10:00:00", paymentMethod: "creditCard", pspCompany: "Banca Uno", idReceipt: "rcpt-42", fee: "150", pspCode: "PSP1" };

/** One option of 100.00 paid to two EC accounts. */
const twoTransfers = () =>
  makePosition({ paymentOption: [makeOption({ amount: 10000, transfer: [makeTransfer({ amount: 6000 }), makeTransfer({ idTransfer: "2", amount: 4000 })] })] });

describe("POST /v1/organizations/{ec}/paymentoptions/{nav}/pay (GPD's internal payment)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("marks the option paid with the receipt's data, answers it as GPD does, and the position is PAID", async () => {
    const input = makePosition();
    const created = await createPosition(t, input, { toPublish: true });
    const { nav } = created.paymentOption[0];
    const res = await api(t).post(payPath(nav), receiptData);
    expect(res.status, res.text).to.equal(200);
    expectValid("payment-option-response", res.body);
    expect(res.body).to.include({ nav, status: "PO_PAID", paymentDate: "2026-11-20T09:00:00Z", paymentMethod: "creditCard", pspCompany: "Banca Uno", idReceipt: "rcpt-42", fee: 150 });
    const position = (await api(t).get(positionPath(input.iupd))).body;
    expect(position).to.include({ status: "PAID", paymentDate: "2026-11-20T09:00:00Z" });
    expect(faultCodeOf(await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice"))).to.equal("PAA_PAGAMENTO_DUPLICATO");
  });

  it("takes an IUV and a numeric fee (as GPD's own test client sends), and pays an installment: the position is PARTIALLY_PAID", async () => {
    const input = makePlan(20000, 2);
    const created = await createPosition(t, input, { toPublish: true });
    const res = await api(t).post(payPath(created.paymentOption[1].iuv), { ...receiptData, fee: 0, paymentDate: "2026-11-20T08:23:52.127Z" });
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.include({ nav: created.paymentOption[1].nav, fee: 0 });
    expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("PARTIALLY_PAID");
  });

  it("answers 409 for an option already paid or held by a payment, and keeps the first payment", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const { nav } = created.paymentOption[0];
    expect((await api(t).post(payPath(nav), receiptData)).status).to.equal(200);
    expectProblem(await api(t).post(payPath(nav), { ...receiptData, idReceipt: "rcpt-43" }), 409, undefined);
    expect((await api(t).get(`/v1/organizations/${EC}/paymentoptions/${nav}`)).body.idReceipt).to.equal("rcpt-42");
    const held = await createPosition(t, makePosition(), { toPublish: true });
    await lockOption(t, held.paymentOption[0].nav);
    expectProblem(await api(t).post(payPath(held.paymentOption[0].nav), receiptData), 409, undefined);
  });

  it("answers 422 for a draft, 404 for an unknown option or another EC's", async () => {
    const draft = await createPosition(t, makePosition());
    expectProblem(await api(t).post(payPath(draft.paymentOption[0].nav), receiptData), 422, undefined);
    expectProblem(await api(t).post(payPath("399999999999999999"), receiptData), 404, undefined);
    const created = await createPosition(t, makePosition(), { toPublish: true });
    expectProblem(await api(t).post(payPath(created.paymentOption[0].nav, OTHER_EC), receiptData), 404, undefined);
  });

  it("refuses a body without pspCompany or idReceipt, or with a bad fee, and pays nothing", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const { nav } = created.paymentOption[0];
    expectProblem(await api(t).post(payPath(nav), { ...receiptData, pspCompany: undefined }), 400, "pspCompany");
    expectProblem(await api(t).post(payPath(nav), { ...receiptData, idReceipt: " " }), 400, "idReceipt");
    expect((await api(t).post(payPath(nav), { ...receiptData, fee: "-1" })).status).to.equal(400);
    expect((await api(t).get(`/v1/organizations/${EC}/paymentoptions/${nav}`)).body.status).to.equal("PO_UNPAID");
  });
});

describe("POST /v1/organizations/{ec}/paymentoptions/{iuv}/transfers/{transferid}/report (GPD's reporting)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("reports the transfers of a paid option one by one; the position is REPORTED with the last (empty JSON body, as GPD's client sends)", async () => {
    const input = twoTransfers();
    const created = await createPosition(t, input, { toPublish: true });
    const { nav, iuv } = created.paymentOption[0];
    await api(t).post(payPath(nav), receiptData);
    const first = await api(t).post(reportPath(iuv, "2")).set("Content-Type", "application/json").send("");
    expect(first.status, first.text).to.equal(200);
    expectValid("transfer-response", first.body);
    expect(first.body).to.include({ idTransfer: "2", amount: 4000, status: "T_REPORTED" });
    let position = (await api(t).get(positionPath(input.iupd))).body;
    expect(position.status).to.equal("PAID");
    expect(position.paymentOption[0].status).to.equal("PO_PARTIALLY_REPORTED");
    expect((await api(t).post(reportPath(iuv, "1"))).status).to.equal(200);
    position = (await api(t).get(positionPath(input.iupd))).body;
    expect(position.status).to.equal("REPORTED");
    expect(position.paymentOption[0].status).to.equal("PO_REPORTED");
    expect(position.paymentOption[0].transfer.map((x: { status: string }) => x.status)).to.deep.equal(["T_REPORTED", "T_REPORTED"]);
  });

  it("answers 409 for a transfer of an unpaid option or one already reported, and 404 for an unknown transfer", async () => {
    const input = twoTransfers();
    const created = await createPosition(t, input, { toPublish: true });
    const { nav, iuv } = created.paymentOption[0];
    expectProblem(await api(t).post(reportPath(iuv, "1")), 409, undefined);
    expect((await api(t).get(positionPath(input.iupd))).body.paymentOption[0].transfer[0].status).to.equal("T_UNREPORTED");
    await api(t).post(payPath(nav), receiptData);
    expect((await api(t).post(reportPath(iuv, "1"))).status).to.equal(200);
    expectProblem(await api(t).post(reportPath(iuv, "1")), 409, undefined);
    expectProblem(await api(t).post(reportPath(iuv, "3")), 404, undefined);
    expectProblem(await api(t).post(reportPath(iuv, "1", OTHER_EC)), 404, undefined);
    expectProblem(await api(t).post(reportPath(nav, "1")), 404, undefined);
  });

  it("an installment reported leaves a plan's position PARTIALLY_PAID until every installment is reported", async () => {
    const input = makePlan(20000, 2);
    const created = await createPosition(t, input, { toPublish: true });
    for (const i of [1, 2]) await api(t).post(payPath(created.paymentOption[i].nav), receiptData);
    expect((await api(t).post(reportPath(created.paymentOption[1].iuv, "1"))).status).to.equal(200);
    expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("PAID");
    expect((await api(t).post(reportPath(created.paymentOption[2].iuv, "1"))).status).to.equal(200);
    expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("REPORTED");
  });
});
