import { expect } from "chai";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { onPostgres } from "../support/db.ts";
import { makeOption, makePosition, makeTransfer } from "../support/factories.ts";
import { asArray, getPaymentRequest, postSoap } from "../support/soap.ts";
import { expectProblem, expectValid, lockOption, payOption } from "./helpers.ts";
import { api, createPosition, positionPath } from "../support/rest.ts";

/** An option of 150.00 split between the EC (idTransfer 1, 100.00) and another EC (idTransfer 2, 50.00). */
const sharedOption = () =>
  makeOption({ amount: 15000, transfer: [makeTransfer({ amount: 10000 }), makeTransfer({ idTransfer: "2", amount: 5000, organizationFiscalCode: OTHER_EC, iban: "IT02L1234512345123456789012" })] });

describe("PUT /v1/organizations/{ec}/paymentoptions/{nav}/notificationfee (GPD's notification fee)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  const feePath = (id: string, ec = EC) => `/v1/organizations/${ec}/paymentoptions/${id}/notificationfee`;
  const setFee = (id: string, body: unknown, key?: string) => api(t, key).put(feePath(id), body);
  const amountsOf = async (iupd: string) => {
    const option = (await api(t).get(positionPath(iupd))).body.paymentOption[0];
    return { amount: option.amount, notificationFee: option.notificationFee, transfers: (option.transfer as Array<{ amount: number }>).map((tr) => tr.amount) };
  };

  it("adds the fee to the option's amount and to the EC's first transfer, leaving other transfers alone", async () => {
    const input = makePosition({ paymentOption: [sharedOption()] });
    const created = await createPosition(t, input);
    const res = await setFee(created.paymentOption[0].nav, { notificationFee: 150 });
    expect(res.status, res.text).to.equal(200);
    expectValid("payment-option-response", res.body);
    expect(res.body).to.include({ nav: created.paymentOption[0].nav, amount: 15150, notificationFee: 150 });
    expect(res.body.transfer.map((tr: { amount: number }) => tr.amount)).to.deep.equal([10150, 5000]);
    expect(await amountsOf(input.iupd)).to.deep.equal({ amount: 15150, notificationFee: 150, transfers: [10150, 5000] });
  });

  it("finds the option by IUV too, and replaces a previous fee rather than adding to it", async () => {
    const input = makePosition({ paymentOption: [sharedOption()] });
    const created = await createPosition(t, input, { toPublish: true });
    expect((await setFee(created.paymentOption[0].iuv, { notificationFee: 150 })).status).to.equal(200);
    expect((await setFee(created.paymentOption[0].iuv, { notificationFee: 90 })).status).to.equal(200);
    expect(await amountsOf(input.iupd)).to.deep.equal({ amount: 15090, notificationFee: 90, transfers: [10090, 5000] });
    expect((await setFee(created.paymentOption[0].nav, { notificationFee: 0 })).status).to.equal(200);
    expect(await amountsOf(input.iupd)).to.deep.equal({ amount: 15000, notificationFee: 0, transfers: [10000, 5000] });
  });

  it("puts the fee on the EC's transfer with the lowest idTransfer, not on another EC's", async () => {
    const option = makeOption({
      amount: 15000,
      transfer: [makeTransfer({ amount: 5000, organizationFiscalCode: OTHER_EC }), makeTransfer({ idTransfer: "2", amount: 6000 }), makeTransfer({ idTransfer: "3", amount: 4000 })],
    });
    const input = makePosition({ paymentOption: [option] });
    const created = await createPosition(t, input);
    expect((await setFee(created.paymentOption[0].nav, { notificationFee: 200 })).status).to.equal(200);
    expect((await amountsOf(input.iupd)).transfers).to.deep.equal([5000, 6200, 4000]);
  });

  it("is what the Node is asked to collect at the next activation", async () => {
    const created = await createPosition(t, makePosition({ paymentOption: [sharedOption()] }), { toPublish: true });
    const { nav } = created.paymentOption[0];
    await setFee(nav, { notificationFee: 150 });
    const r = await postSoap(t, getPaymentRequest(nav, { v2: true }), "paGetPaymentV2");
    expect(r.body.data.paymentAmount).to.equal("151.50");
    expect(asArray(r.body.data.transferList.transfer).map((tr: { transferAmount: string }) => tr.transferAmount)).to.deep.equal(["101.50", "50.00"]);
  });

  it("refuses an option an activation holds (409), keeping the amount the Node was given", async () => {
    const input = makePosition({ paymentOption: [sharedOption()] });
    const created = await createPosition(t, input, { toPublish: true });
    await lockOption(t, created.paymentOption[0].nav);
    expectProblem(await setFee(created.paymentOption[0].nav, { notificationFee: 150 }), 409, undefined);
    expect(await amountsOf(input.iupd)).to.deep.equal({ amount: 15000, notificationFee: 0, transfers: [10000, 5000] });
  });

  it("refuses a paid option (422) and an unknown one (404)", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    await payOption(t, created.paymentOption[0], "rcpt-fee-paid");
    expectProblem(await setFee(created.paymentOption[0].nav, { notificationFee: 150 }), 422, undefined);
    expectProblem(await setFee("302999999999999999", { notificationFee: 150 }), 404, undefined);
  });

  it("refuses a missing, negative, fractional or textual fee, and one that would pass the largest amount, naming notificationFee", async () => {
    const created = await createPosition(t, makePosition({ paymentOption: [makeOption({ amount: 99_999_999_000, transfer: [makeTransfer({ amount: 99_999_999_000 })] })] }));
    const { nav } = created.paymentOption[0];
    for (const body of [{}, { notificationFee: -1 }, { notificationFee: 1.5 }, { notificationFee: "150" }]) expectProblem(await setFee(nav, body), 400, "notificationFee");
    expectProblem(await setFee(nav, { notificationFee: 1000 }), 422, "notificationFee");
    expect((await setFee(nav, { notificationFee: 999 })).body.amount).to.equal(99_999_999_999);
    expectProblem(await setFee("12x", { notificationFee: 1 }), 400, "nav");
  });

  it("keeps the fee across a full replace (PUT), on the option that keeps the notice number, as GPD", async () => {
    const input = makePosition({ paymentOption: [sharedOption()] });
    const created = await createPosition(t, input, { toPublish: true });
    await setFee(created.paymentOption[0].nav, { notificationFee: 150 });
    const { iuv } = created.paymentOption[0];
    const replaced = { ...input, paymentOption: [{ ...sharedOption(), iuv, amount: 20000, transfer: [makeTransfer({ amount: 15000 }), makeTransfer({ idTransfer: "2", amount: 5000, organizationFiscalCode: OTHER_EC })] }] };
    const res = await api(t).put(positionPath(input.iupd), replaced);
    expect(res.status, res.text).to.equal(200);
    expect(res.body.paymentOption[0]).to.include({ amount: 20150, notificationFee: 150 });
    expect(await amountsOf(input.iupd)).to.deep.equal({ amount: 20150, notificationFee: 150, transfers: [15150, 5000] });
    // a notice number that is gone takes its fee with it
    expect((await api(t).put(positionPath(input.iupd), { ...input, paymentOption: [sharedOption()] })).status).to.equal(200);
    expect(await amountsOf(input.iupd)).to.deep.equal({ amount: 15000, notificationFee: 0, transfers: [10000, 5000] });
  });

  it("refuses a replace that leaves a fee no transfer of the EC to carry it (422), changing nothing", async () => {
    const input = makePosition({ paymentOption: [sharedOption()] });
    const created = await createPosition(t, input);
    await setFee(created.paymentOption[0].nav, { notificationFee: 150 });
    const foreignOnly = { ...input, paymentOption: [makeOption({ iuv: created.paymentOption[0].iuv, transfer: [makeTransfer({ organizationFiscalCode: OTHER_EC })] })] };
    expectProblem(await api(t).put(positionPath(input.iupd), foreignOnly), 422, undefined);
    expect(await amountsOf(input.iupd)).to.deep.equal({ amount: 15150, notificationFee: 150, transfers: [10150, 5000] });
  });

  it("asks for a key that reaches the EC", async () => {
    const created = await createPosition(t, makePosition(), { ec: OTHER_EC });
    expectProblem(await api(t, EC_KEY).put(feePath(created.paymentOption[0].nav, OTHER_EC), { notificationFee: 1 }), 403, undefined);
  });

  (onPostgres ? it : it.skip)("never changes the amount of an activation that runs at the same time (PostgreSQL only)", async () => {
    for (let round = 0; round < 10; round++) {
      const created = await createPosition(t, makePosition({ paymentOption: [sharedOption()] }), { toPublish: true });
      const { nav } = created.paymentOption[0];
      const [fee, activation] = await Promise.all([setFee(nav, { notificationFee: 150 }), postSoap(t, getPaymentRequest(nav, { v2: true }), "paGetPaymentV2")]);
      const transfers = asArray(activation.body.data.transferList.transfer).map((tr: { transferAmount: string }) => Math.round(Number(tr.transferAmount) * 100));
      // either the fee came first and the Node collects it, or the activation did and the fee waits
      if (fee.status === 200) expect(activation.body.data.paymentAmount).to.equal("151.50");
      else {
        expect(fee.status, fee.text).to.equal(409);
        expect(activation.body.data.paymentAmount).to.equal("150.00");
      }
      expect(transfers.reduce((a, b) => a + b, 0)).to.equal(Math.round(Number(activation.body.data.paymentAmount) * 100));
    }
  });
});
