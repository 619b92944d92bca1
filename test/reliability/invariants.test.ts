import { expect } from "chai";
import { ADMIN_KEY, EC, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { expectOk, postSoap, receiptRequest } from "../support/soap.ts";
import { brokenInvariants, NO_BROKEN_INVARIANTS, strandedReceipts } from "./invariants.ts";
import { KEY_HEADER } from "../support/rest.ts";

describe("the reliability invariants", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  async function load(position: ReturnType<typeof makePosition>) {
    const res = await t.http.post(`/v1/organizations/${EC}/debtpositions?toPublish=true`).set(KEY_HEADER, ADMIN_KEY).send(position);
    expect(res.status).to.equal(201);
  }

  /** Sends a receipt and asserts it was accepted: an invariant checked over refused receipts proves nothing. */
  async function pay(receiptId: string, iuv: string, amount: string) {
    expectOk(await postSoap(t, receiptRequest({ receiptId, nav: `3${iuv}`, iuv, amount }), "paSendRT"));
  }

  const statuses = async () => (await (await testDatabase()).query<{ status: string }>("SELECT status FROM payment_position ORDER BY id")).map((r) => r.status);

  it("hold after ordinary payments", async () => {
    const single = makePosition();
    const plan = makePlan(20000, 2);
    await load(single);
    await load(plan);
    const o = single.paymentOption[0]!;
    await pay("r1", o.iuv, "100.00");
    const i = plan.paymentOption[1]!;
    await pay("r2", i.iuv, (i.amount / 100).toFixed(2));
    expect(await statuses()).to.deep.equal(["PAID", "PARTIALLY_PAID"]);
    const db = await testDatabase();
    expect(await brokenInvariants(db)).to.deep.equal(NO_BROKEN_INVARIANTS);
    expect(await strandedReceipts(db, [{ ec: EC, receiptId: "r1" }, { ec: EC, receiptId: "r2" }])).to.deep.equal([]);
  });

  it("catch an option marked paid without a receipt, a wrong position status and an amount mismatch", async () => {
    const single = makePosition();
    await load(single);
    const db = await testDatabase();
    await db.query("UPDATE payment_option SET status = 'PO_PAID'");
    await db.query("UPDATE payment_position SET status = 'PARTIALLY_PAID'");
    const broken = await brokenInvariants(db);
    expect(broken.paidWithoutReceipt).to.have.length(2);
    expect(broken.inconsistentStatus).to.deep.equal([{ iupd: single.iupd, status: "PARTIALLY_PAID", expected: "UNPAID" }]);

    const other = makePosition();
    await load(other);
    const o = other.paymentOption[0]!;
    await pay("r3", o.iuv, "99.00");
    expect((await brokenInvariants(db)).paidAfterChange).to.have.length(1);
  });

  it("derive a plan's status from its receipts, not from the status the station wrote", async () => {
    const plan = makePlan(20000, 2);
    await load(plan);
    const [, first, second] = plan.paymentOption;
    await pay("i1", first!.iuv, (first!.amount / 100).toFixed(2));
    const db = await testDatabase();
    // the station wrote PARTIALLY_PAID; pretend it wrote PAID: the oracle expects PARTIALLY_PAID from the one receipt
    await db.query("UPDATE payment_position SET status = 'PAID'");
    expect((await brokenInvariants(db)).inconsistentStatus).to.deep.equal([{ iupd: plan.iupd, status: "PAID", expected: "PARTIALLY_PAID" }]);
    await db.query("UPDATE payment_position SET status = 'PARTIALLY_PAID'");
    await pay("i2", second!.iuv, (second!.amount / 100).toFixed(2));
    expect(await statuses()).to.deep.equal(["PAID"]);
    expect(await brokenInvariants(db)).to.deep.equal(NO_BROKEN_INVARIANTS);
  });

  it("catch a receipt answered OK whose notice is not paid, or that was never stored", async () => {
    const single = makePosition();
    await load(single);
    const o = single.paymentOption[0]!;
    await pay("r4", o.iuv, "100.00");
    const db = await testDatabase();
    // as a racing replace that re-inserted the option would leave it
    await db.query("UPDATE receipt SET payment_option_id = NULL");
    await db.query("UPDATE payment_option SET status = 'PO_UNPAID'");
    expect(await strandedReceipts(db, [{ ec: EC, receiptId: "r4" }, { ec: EC, receiptId: "never-sent" }])).to.deep.equal([
      { receiptId: "r4", nav: `3${o.iuv}`, problem: "notice PO_UNPAID" },
      { receiptId: "never-sent", problem: "not stored" },
    ]);
  });

  it("catch two first payments of one option and a plan paid both ways", async () => {
    const plan = makePlan(20000, 2);
    await load(plan);
    const [single, first] = plan.paymentOption;
    await pay("s", single!.iuv, "200.00");
    await pay("i", first!.iuv, "100.00");
    await pay("s2", single!.iuv, "200.00");
    const db = await testDatabase();
    expect(await brokenInvariants(db)).to.deep.equal(NO_BROKEN_INVARIANTS);
    await db.query("UPDATE receipt SET flags = '{}'");
    const broken = await brokenInvariants(db);
    expect(broken.twoFirstPayments).to.have.length(1);
    expect(broken.mixedPlanPayments).to.have.length(1);
  });
});
