/**
 * The payment functions on positions of several payment options (GPD v3): each option a plan of
 * installments. Called by name, one row per situation that matters: which option a payment or a lock
 * leaves payable, and what the position becomes.
 */
import { expect } from "chai";
import { createPositionService } from "../../src/services/positions.ts";
import { EC } from "../support/app.ts";
import { resetDatabase, testDatabase } from "../support/db.ts";
import { makePositionV3 } from "../support/factoriesV3.ts";

interface Installment {
  nav: string;
  amount: number;
}

/** A published position of a single payment, plan A of 3 installments and plan B of 2. */
async function seedPlans(): Promise<{ single: Installment; a: Installment[]; b: Installment[] }> {
  const db = await testDatabase();
  const service = createPositionService({ db, scheme: { auxDigit: "3", segregationCodes: [] } });
  const created = await service.createV3(EC, makePositionV3([1, 3, 2]), true);
  const plan = (k: number) => created.options.filter((o) => o.plan === k).map((o) => ({ nav: o.nav, amount: o.amount }));
  return { single: plan(0)[0]!, a: plan(1), b: plan(2) };
}

async function call<R>(text: string, params: readonly unknown[]): Promise<R> {
  const [row] = await (await testDatabase()).query<{ r: R }>(text, params);
  return row!.r;
}

const activate = (i: Installment) => call<{ state: string; blocker?: string }>("SELECT stazione_activate($1, $2, 1800, true) AS r", [EC, i.nav]);
const stateOf = async (i: Installment) => (await activate(i)).state;

let receipts = 0;
const pay = (i: Installment) =>
  call<{ outcome: string; flags: string[]; positionStatus: string }>(
    "SELECT stazione_record_receipt($1, $2, $3, $1, 2::smallint, 'OK', $4, now(), false, false, '{}'::jsonb, '<raw/>') AS r",
    [EC, `plans-receipt-${++receipts}`, i.nav, i.amount],
  );

describe("payment plans in the payment functions", () => {
  beforeEach(resetDatabase);

  it("paying an installment of plan A leaves only plan A payable: the single payment and plan B answer PAID", async () => {
    const { single, a, b } = await seedPlans();
    expect((await pay(a[0]!)).positionStatus).to.equal("PARTIALLY_PAID");
    expect(await activate(single)).to.deep.equal({ state: "PAID", blocker: a[0]!.nav });
    expect(await stateOf(b[0]!)).to.equal("PAID");
    expect(await stateOf(b[1]!)).to.equal("PAID");
    expect(await stateOf(a[1]!)).to.equal("OK");
    expect(await stateOf(a[0]!)).to.equal("PAID");
  });

  it("paying every installment of plan A pays the position", async () => {
    const { a } = await seedPlans();
    expect((await pay(a[0]!)).positionStatus).to.equal("PARTIALLY_PAID");
    expect((await pay(a[1]!)).positionStatus).to.equal("PARTIALLY_PAID");
    expect((await pay(a[2]!)).positionStatus).to.equal("PAID");
  });

  it("paying the single payment closes the position: every installment answers PAID", async () => {
    const { single, a, b } = await seedPlans();
    expect((await pay(single)).positionStatus).to.equal("PAID");
    for (const i of [...a, ...b]) expect(await stateOf(i)).to.equal("PAID");
  });

  it("a lock on an installment of plan A blocks the single payment and plan B (IN_PROGRESS), not the rest of plan A", async () => {
    const { single, a, b } = await seedPlans();
    expect(await stateOf(a[1]!)).to.equal("OK");
    expect(await activate(single)).to.deep.equal({ state: "IN_PROGRESS", blocker: a[1]!.nav });
    expect(await stateOf(b[0]!)).to.equal("IN_PROGRESS");
    expect(await stateOf(a[0]!)).to.equal("OK");
  });

  it("a lock on plan B blocks plan A and the single payment", async () => {
    const { single, a, b } = await seedPlans();
    expect(await stateOf(b[1]!)).to.equal("OK");
    expect(await stateOf(a[2]!)).to.equal("IN_PROGRESS");
    expect(await stateOf(single)).to.equal("IN_PROGRESS");
    expect(await stateOf(b[0]!)).to.equal("OK");
  });

  it("stores a receipt for plan B after plan A began, flagged DOUBLE_PAYMENT, and the position becomes PAID only by a whole plan", async () => {
    const { a, b } = await seedPlans();
    await pay(a[0]!);
    const late = await pay(b[0]!);
    expect(late.outcome).to.equal("STORED");
    expect(late.flags).to.include("DOUBLE_PAYMENT");
    expect(late.positionStatus).to.equal("PARTIALLY_PAID");
    const last = await pay(b[1]!);
    expect(last.flags).to.include("DOUBLE_PAYMENT");
    expect(last.positionStatus).to.equal("PAID");
  });

  it("an installment of plan A paid by a second receipt is a double payment and changes nothing", async () => {
    const { a } = await seedPlans();
    await pay(a[0]!);
    const again = await pay(a[0]!);
    expect(again.flags).to.include("DOUBLE_PAYMENT");
    expect(again.positionStatus).to.equal("PARTIALLY_PAID");
  });
});
