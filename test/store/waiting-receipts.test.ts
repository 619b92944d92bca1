/**
 * A receipt for a notice the station does not know yet is kept, and applied in the transaction that
 * later loads that notice (create, bulk create, full replace): the REST answer shows the option paid,
 * and verify answers PAA_PAGAMENTO_DUPLICATO instead of letting the citizen pay again.
 */
import { expect } from "chai";
import type { PositionInput } from "../../src/domain/position.ts";
import { ADMIN_KEY, EC, startApp, type TestApp } from "../support/app.ts";
import { makeOption, makePosition } from "../support/factories.ts";
import { expectFault, expectOk, postSoap, receiptRequest, verifyRequest } from "../support/soap.ts";
import { createPosition, KEY_HEADER, readPosition } from "../support/rest.ts";

describe("receipts that arrive before their notice", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  /** Pays the first option of a position the station has not been given yet. */
  async function payBeforeLoading(input: PositionInput, receiptId: string): Promise<string> {
    const o = input.paymentOption[0]!;
    const nav = `3${o.iuv}`;
    expectOk(await postSoap(t, receiptRequest({ receiptId, nav, iuv: o.iuv, amount: (o.amount / 100).toFixed(2), v2: true }), "paSendRTV2"));
    expectFault(await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice"), "PAA_PAGAMENTO_SCONOSCIUTO");
    return nav;
  }

  async function expectPaid(nav: string, iupd: string, receiptId: string) {
    expectFault(await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice"), "PAA_PAGAMENTO_DUPLICATO");
    const receipts = await t.http.get(`/v1/organizations/${EC}/debtpositions/${iupd}/receipts`).set(KEY_HEADER, ADMIN_KEY);
    expect(receipts.status).to.equal(200);
    expect(JSON.stringify(receipts.body)).to.contain(receiptId);
  }

  it("is applied when the notice is created: the answer shows the option paid", async () => {
    const input = makePosition();
    const nav = await payBeforeLoading(input, "early-create");
    const created = await createPosition(t, input, { toPublish: true });
    expect(created.status).to.equal("PAID");
    expect(created.paymentOption[0]).to.include({ status: "PO_PAID", idReceipt: "early-create" });
    await expectPaid(nav, input.iupd, "early-create");
  });

  it("is applied when the notice comes in a bulk create", async () => {
    const input = makePosition();
    const nav = await payBeforeLoading(input, "early-bulk");
    const res = await t.http
      .post(`/v2/organizations/${EC}/debtpositions?toPublish=true`)
      .set(KEY_HEADER, ADMIN_KEY)
      .send({ paymentPositions: [makePosition(), input] });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect((await readPosition(t, input.iupd)).status).to.equal("PAID");
    await expectPaid(nav, input.iupd, "early-bulk");
  });

  it("is applied when a full replace gives a position that notice: the answer shows the option paid", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    const added = makeOption();
    const nav = await payBeforeLoading({ ...input, paymentOption: [added] }, "early-put");
    const res = await t.http
      .put(`/v1/organizations/${EC}/debtpositions/${input.iupd}`)
      .set(KEY_HEADER, ADMIN_KEY)
      .send({ ...input, paymentOption: [...input.paymentOption, added] });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.status).to.equal("PAID");
    expect(res.body.paymentOption.find((o: { nav: string }) => o.nav === nav)).to.include({ status: "PO_PAID", idReceipt: "early-put" });
    await expectPaid(nav, input.iupd, "early-put");
  });
});
