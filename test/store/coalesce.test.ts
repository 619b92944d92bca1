/** Lookups that arrive together share one call; each waiter gets its own answer or the shared error. */
import { expect } from "chai";
import { batchWrites, coalesce } from "../../src/store/coalesce.ts";
import { ErrorCode } from "../../src/domain/errors.ts";
import { verifyNotices } from "../../src/store/payments.ts";
import { createPositionService } from "../../src/services/positions.ts";
import { navOfIuv } from "../../src/domain/noticeNumber.ts";
import { EC, OTHER_EC } from "../support/app.ts";
import { resetDatabase, testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";

/** A lookup that doubles numbers, recording every call it gets. */
function doubling() {
  const calls: number[][] = [];
  const lookup = coalesce(async (keys: readonly number[]) => {
    calls.push([...keys]);
    return keys.map((k) => k * 2);
  });
  return { calls, lookup };
}

describe("coalesced lookups", () => {
  it("answers lookups made in the same turn with one call, each with its own result", async () => {
    const { calls, lookup } = doubling();
    expect(await Promise.all([lookup(1), lookup(2), lookup(3), lookup(2)])).to.deep.equal([2, 4, 6, 4]);
    expect(calls).to.deep.equal([[1, 2, 3, 2]]);
  });

  it("sends a lone lookup at the end of its turn, before any timer", async () => {
    const { calls, lookup } = doubling();
    let timerFired = false;
    setTimeout(() => (timerFired = true), 0);
    const started = performance.now();
    expect(await lookup(21)).to.equal(42);
    expect(calls).to.deep.equal([[21]]);
    expect(performance.now() - started).to.be.below(20);
    // a lookup of a later turn makes a call of its own
    await new Promise((r) => setTimeout(r, 5));
    expect(timerFired).to.equal(true);
    expect(await lookup(5)).to.equal(10);
    expect(calls).to.deep.equal([[21], [5]]);
  });

  it("splits a crowd into calls of at most 256 keys", async () => {
    const { calls, lookup } = doubling();
    const keys = Array.from({ length: 600 }, (_, i) => i);
    expect(await Promise.all(keys.map(lookup))).to.deep.equal(keys.map((k) => k * 2));
    expect(calls.map((c) => c.length)).to.deep.equal([256, 256, 88]);
  });

  it("gives every waiter of a failed call its error, and later calls start afresh", async () => {
    let fail = true;
    const lookup = coalesce(async (keys: readonly string[]) => {
      if (fail) throw new Error("database unreachable");
      return keys.map((k) => k.toUpperCase());
    });
    const settled = await Promise.allSettled([lookup("a"), lookup("b")]);
    expect(settled.map((s) => (s.status === "rejected" ? (s.reason as Error).message : s.value))).to.deep.equal(["database unreachable", "database unreachable"]);
    fail = false;
    expect(await Promise.all([lookup("a"), lookup("b")])).to.deep.equal(["A", "B"]);
  });

  it("refuses a call that answers fewer results than keys, to every waiter", async () => {
    const lookup = coalesce(async (keys: readonly number[]) => keys.slice(1));
    const settled = await Promise.allSettled([lookup(1), lookup(2)]);
    expect(settled.map((s) => s.status)).to.deep.equal(["rejected", "rejected"]);
  });
});

/** A write that takes `ms` and refuses the key "bad" (and any call holding it), recording its calls. */
function slowWrites(ms: number, maxInFlight?: number) {
  const calls: string[][] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const write = batchWrites(async (keys: readonly string[]) => {
    calls.push([...keys]);
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    await new Promise((r) => setTimeout(r, ms));
    inFlight--;
    if (keys.includes("bad")) throw new Error("clash");
  }, maxInFlight);
  return { calls, write, mostInFlight: () => mostInFlight };
}

describe("batched writes", () => {
  it("sends a lone write at the end of its turn", async () => {
    const { calls, write } = slowWrites(0);
    await write("a");
    expect(calls).to.deep.equal([["a"]]);
  });

  it("gathers the writes that arrive while calls are in flight into one call, sent when one finishes", async () => {
    const { calls, write } = slowWrites(20, 1);
    const first = write("a");
    await new Promise((r) => setImmediate(r));
    const rest = ["b", "c", "d"].map(write);
    await Promise.all([first, ...rest]);
    expect(calls).to.deep.equal([["a"], ["b", "c", "d"]]);
  });

  it("keeps at most maxInFlight calls at once", async () => {
    const { write, mostInFlight } = slowWrites(5, 2);
    for (let turn = 0; turn < 10; turn++) {
      void write(`k${turn}`);
      await new Promise((r) => setImmediate(r));
    }
    await write("last");
    expect(mostInFlight()).to.equal(2);
  });

  it("tries each write of a failed shared call alone: only the bad one fails", async () => {
    const { calls, write } = slowWrites(1);
    const settled = await Promise.allSettled(["a", "bad", "c"].map(write));
    expect(settled.map((s) => s.status)).to.deep.equal(["fulfilled", "rejected", "fulfilled"]);
    expect((settled[1] as PromiseRejectedResult).reason).to.have.property("message", "clash");
    expect(calls).to.deep.equal([["a", "bad", "c"], ["a"], ["bad"], ["c"]]);
  });
});

const SCHEME = { auxDigit: "3" as const, segregationCodes: [] };

describe("single creates that arrive together", () => {
  beforeEach(resetDatabase);

  it("are stored each with its own answer, and a clash answers only the create that clashes", async () => {
    const db = await testDatabase();
    const positions = createPositionService({ db, scheme: SCHEME });
    const inputs = Array.from({ length: 6 }, () => makePosition());
    const twin = { ...makePosition(), iupd: inputs[2]!.iupd };
    const settled = await Promise.allSettled([...inputs, twin].map((p) => positions.create(EC, p, true)));
    const outcomes = settled.map((s) => (s.status === "fulfilled" ? s.value.iupd : (s.reason as { code?: string }).code));
    // the two creates of one IUPD may share a statement or not, so either may come first: one is stored
    const clashing = [outcomes[2], outcomes[6]];
    expect(clashing).to.have.members([inputs[2]!.iupd, ErrorCode.duplicate]);
    expect(outcomes.filter((_, i) => i !== 2 && i !== 6)).to.deep.equal(inputs.filter((_, i) => i !== 2).map((p) => p.iupd));
    const [{ n }] = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM payment_position")) as [{ n: number }];
    expect(n).to.equal(6);
  });
});

describe("verifyNotices (one statement for many notices)", () => {
  beforeEach(resetDatabase);

  it("answers each notice in the order asked, unknown ones and another EC's included", async () => {
    const db = await testDatabase();
    const positions = createPositionService({ db, scheme: SCHEME });
    const a = makePosition();
    const b = makePosition();
    await positions.create(EC, a, true);
    await positions.create(EC, b, false);
    const navA = navOfIuv(a.paymentOption[0]!.iuv, SCHEME);
    const navB = navOfIuv(b.paymentOption[0]!.iuv, SCHEME);
    const answers = await verifyNotices(db, [
      { ec: EC, nav: navB },
      { ec: EC, nav: "399999999999999999" },
      { ec: EC, nav: navA },
      { ec: OTHER_EC, nav: navA },
      { ec: EC, nav: navA },
    ]);
    expect(answers.map((x) => x.state)).to.deep.equal(["UNKNOWN", "UNKNOWN", "OK", "UNKNOWN", "OK"]);
    expect(answers[2]!.notice).to.include({ amount: a.paymentOption[0]!.amount, description: a.paymentOption[0]!.description });
    expect(await verifyNotices(db, [])).to.deep.equal([]);
  });
});
