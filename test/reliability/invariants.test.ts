import { expect } from "chai";
import { ADMIN_KEY, EC, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { postSoap, receiptRequest } from "../support/soap.ts";
import { brokenInvariants, NO_BROKEN_INVARIANTS } from "./invariants.ts";

describe("the reliability invariants", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  async function load(position: ReturnType<typeof makePosition>) {
    const res = await t.http.post(`/v1/organizations/${EC}/debtpositions?toPublish=true`).set("Ocp-Apim-Subscription-Key", ADMIN_KEY).send(position);
    expect(res.status).to.equal(201);
  }

  it("hold after ordinary payments", async () => {
    const single = makePosition();
    const plan = makePlan(20000, 2);
    await load(single);
    await load(plan);
    const o = single.paymentOption[0]!;
    await postSoap(t, receiptRequest({ receiptId: "r1", nav: `3${o.iuv}`, iuv: o.iuv, amount: "100.00" }), "paSendRT");
    const i = plan.paymentOption[1]!;
    await postSoap(t, receiptRequest({ receiptId: "r2", nav: `3${i.iuv}`, iuv: i.iuv, amount: (i.amount / 100).toFixed(2) }), "paSendRT");
    expect(await brokenInvariants(await testDatabase())).to.deep.equal(NO_BROKEN_INVARIANTS);
  });

  it("catch an option marked paid without a receipt, a wrong position status and an amount mismatch", async () => {
    const single = makePosition();
    await load(single);
    const db = await testDatabase();
    await db.query("UPDATE payment_option SET status = 'PO_PAID'");
    await db.query("UPDATE payment_position SET status = 'PARTIALLY_PAID'");
    const broken = await brokenInvariants(db);
    expect(broken.paidWithoutReceipt).to.have.length(1);
    expect(broken.inconsistentStatus).to.have.length(1);

    const other = makePosition();
    await load(other);
    const o = other.paymentOption[0]!;
    await postSoap(t, receiptRequest({ receiptId: "r3", nav: `3${o.iuv}`, iuv: o.iuv, amount: "99.00" }), "paSendRT");
    expect((await brokenInvariants(db)).paidAfterChange).to.have.length(1);
  });

  it("catch two first payments of one option and a plan paid both ways", async () => {
    const plan = makePlan(20000, 2);
    await load(plan);
    const [single, first] = plan.paymentOption;
    await postSoap(t, receiptRequest({ receiptId: "s", nav: `3${single!.iuv}`, iuv: single!.iuv, amount: "200.00" }), "paSendRT");
    await postSoap(t, receiptRequest({ receiptId: "i", nav: `3${first!.iuv}`, iuv: first!.iuv, amount: "100.00" }), "paSendRT");
    await postSoap(t, receiptRequest({ receiptId: "s2", nav: `3${single!.iuv}`, iuv: single!.iuv, amount: "200.00" }), "paSendRT");
    const db = await testDatabase();
    expect(await brokenInvariants(db)).to.deep.equal(NO_BROKEN_INVARIANTS);
    await db.query("UPDATE receipt SET flags = '{}'");
    const broken = await brokenInvariants(db);
    expect(broken.twoFirstPayments).to.have.length(1);
    expect(broken.mixedPlanPayments).to.have.length(1);
  });
});
