/**
 * A plan: one single payment of the whole amount and installments that add up to it. Installments
 * are paid one by one (PARTIALLY_PAID, then PAID); once one is paid or while one is being paid the
 * single payment cannot be; paying the single payment closes the plan.
 */
import { expect } from "chai";
import { ADMIN_KEY, EC, startApp, type TestApp } from "../support/app.ts";
import { makePlan } from "../support/factories.ts";
import { expectOk, expectValidAnswer, getPaymentRequest, postSoap, receiptRequest, verifyRequest } from "../support/soap.ts";
import { createPosition, KEY_HEADER, readPosition, readReceipt } from "../support/rest.ts";

interface Option {
  nav: string;
  iuv: string;
  amount: number;
}

describe("an installment plan", () => {
  let t: TestApp;
  let iupd: string;
  let single: Option;
  let installments: Option[];
  beforeEach(async () => {
    t = await startApp();
    const input = makePlan(30000, 3);
    const created = await createPosition(t, input, { toPublish: true });
    iupd = input.iupd;
    const options = created.paymentOption as Option[];
    single = options[0]!;
    installments = options.slice(1);
  });

  /** "OK" or the faultCode, from paVerifyPaymentNotice. */
  async function verify(option: Option): Promise<string> {
    const r = await postSoap(t, verifyRequest(option.nav), "paVerifyPaymentNotice");
    expectValidAnswer(r, "paVerifyPaymentNoticeRes");
    return r.body.outcome === "OK" ? "OK" : r.body.fault.faultCode;
  }
  /** "OK" or the faultCode, from paGetPayment (V1) or paGetPaymentV2. */
  async function activate(option: Option, v2 = false): Promise<string> {
    const r = await postSoap(t, getPaymentRequest(option.nav, { v2 }), v2 ? "paGetPaymentV2" : "paGetPayment");
    expectValidAnswer(r, v2 ? "paGetPaymentV2Response" : "paGetPaymentRes");
    return r.body.outcome === "OK" ? "OK" : r.body.fault.faultCode;
  }
  async function pay(option: Option, receiptId: string, v2 = false): Promise<void> {
    const amount = (option.amount / 100).toFixed(2);
    expectOk(await postSoap(t, receiptRequest({ receiptId, nav: option.nav, iuv: option.iuv, amount, v2 }), v2 ? "paSendRTV2" : "paSendRT"));
  }
  const status = async () => (await readPosition(t, iupd)).status;
  const optionStatuses = async () => (await readPosition(t, iupd)).paymentOption.map((o: { status: string }) => o.status);

  it("offers the single payment and every installment while nothing is paid", async () => {
    expect(single.amount).to.equal(30000);
    expect(installments.map((o) => o.amount)).to.deep.equal([10000, 10000, 10000]);
    for (const option of [single, ...installments]) expect(await verify(option)).to.equal("OK");
  });

  it("is paid installment by installment: PARTIALLY_PAID after the first, PAID after the last", async () => {
    const [first, second, third] = installments as [Option, Option, Option];

    expect(await activate(first)).to.equal("OK");
    // installments do not exclude each other: two can be paid at once
    expect(await activate(second, true)).to.equal("OK");
    await pay(first, "rcpt-inst-1");
    expect(await status()).to.equal("PARTIALLY_PAID");
    expect(await optionStatuses()).to.deep.equal(["PO_UNPAID", "PO_PAID", "PO_UNPAID", "PO_UNPAID"]);
    expect(await verify(first)).to.equal("PAA_PAGAMENTO_DUPLICATO");
    expect(await verify(third)).to.equal("OK");

    await pay(second, "rcpt-inst-2", true);
    expect(await status()).to.equal("PARTIALLY_PAID");

    expect(await activate(third, true)).to.equal("OK");
    await pay(third, "rcpt-inst-3", true);
    const paid = await readPosition(t, iupd);
    expect(paid.status).to.equal("PAID");
    expect(paid.paymentDate).to.be.a("string");
    expect(paid.paymentOption.map((o: { status: string }) => o.status)).to.deep.equal(["PO_UNPAID", "PO_PAID", "PO_PAID", "PO_PAID"]);
    for (const option of [single, ...installments]) expect(await verify(option)).to.equal("PAA_PAGAMENTO_DUPLICATO");

    const receipts = await t.http.get(`/v1/organizations/${EC}/debtpositions/${iupd}/receipts`).set(KEY_HEADER, ADMIN_KEY);
    expect(receipts.body.map((r: { receiptId: string; flags: string[] }) => [r.receiptId, r.flags])).to.deep.equal([
      ["rcpt-inst-1", []],
      ["rcpt-inst-2", []],
      ["rcpt-inst-3", []],
    ]);
  });

  it("answers PAA_PAGAMENTO_IN_CORSO for the single payment while an installment is locked", async () => {
    expect(await activate(installments[0]!)).to.equal("OK");
    expect(await verify(single)).to.equal("PAA_PAGAMENTO_IN_CORSO");
    expect(await activate(single)).to.equal("PAA_PAGAMENTO_IN_CORSO");
    expect(await activate(single, true)).to.equal("PAA_PAGAMENTO_IN_CORSO");
    expect((await readPosition(t, iupd)).paymentOption[0].lockedUntil).to.equal(undefined);
  });

  it("answers PAA_PAGAMENTO_DUPLICATO for the single payment once an installment is paid, even while another is locked", async () => {
    await pay(installments[0]!, "rcpt-first");
    expect(await verify(single)).to.equal("PAA_PAGAMENTO_DUPLICATO");
    expect(await activate(single)).to.equal("PAA_PAGAMENTO_DUPLICATO");
    expect(await activate(installments[1]!, true)).to.equal("OK");
    expect(await verify(single)).to.equal("PAA_PAGAMENTO_DUPLICATO");
    expect(await activate(single, true)).to.equal("PAA_PAGAMENTO_DUPLICATO");
  });

  it("answers PAA_PAGAMENTO_IN_CORSO for every installment while the single payment is locked", async () => {
    expect(await activate(single, true)).to.equal("OK");
    for (const option of installments) {
      expect(await verify(option)).to.equal("PAA_PAGAMENTO_IN_CORSO");
      expect(await activate(option)).to.equal("PAA_PAGAMENTO_IN_CORSO");
    }
  });

  it("is closed by paying the single payment: PAID, and every installment answers PAA_PAGAMENTO_DUPLICATO", async () => {
    expect(await activate(single)).to.equal("OK");
    await pay(single, "rcpt-single");
    expect(await status()).to.equal("PAID");
    expect(await optionStatuses()).to.deep.equal(["PO_PAID", "PO_UNPAID", "PO_UNPAID", "PO_UNPAID"]);
    for (const option of installments) {
      expect(await verify(option)).to.equal("PAA_PAGAMENTO_DUPLICATO");
      expect(await activate(option, true)).to.equal("PAA_PAGAMENTO_DUPLICATO");
    }
    const receipts = await t.http.get(`/v1/organizations/${EC}/debtpositions/${iupd}/receipts`).set(KEY_HEADER, ADMIN_KEY);
    expect(receipts.body.map((r: { receiptId: string }) => r.receiptId)).to.deep.equal(["rcpt-single"]);
  });

  it("stores an installment's receipt that arrives after the single payment, flagged DOUBLE_PAYMENT, and stays PAID", async () => {
    await pay(single, "rcpt-single");
    await pay(installments[1]!, "rcpt-late-installment");
    expect((await readReceipt(t, "rcpt-late-installment"))!.flags).to.deep.equal(["DOUBLE_PAYMENT"]);
    expect(await status()).to.equal("PAID");
  });

  it("stores the single payment's receipt that arrives after an installment was paid, flagged DOUBLE_PAYMENT", async () => {
    await pay(installments[0]!, "rcpt-installment");
    await pay(single, "rcpt-late-single");
    expect((await readReceipt(t, "rcpt-late-single"))!.flags).to.deep.equal(["DOUBLE_PAYMENT"]);
    expect((await readReceipt(t, "rcpt-installment"))!.flags).to.deep.equal([]);
  });

  it("refuses REST changes once partially paid", async () => {
    await pay(installments[0]!, "rcpt-first");
    const res = await t.http.delete(`/v1/organizations/${EC}/debtpositions/${iupd}`).set(KEY_HEADER, ADMIN_KEY);
    expect(res.status, JSON.stringify(res.body)).to.equal(409);
    expect(res.body.code).to.equal("notEditable");
  });
});
