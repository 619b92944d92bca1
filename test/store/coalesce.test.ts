/** Lookups that arrive together share one call; each waiter gets its own answer or the shared error. */
import { expect } from "chai";
import { coalesce } from "../../src/store/coalesce.ts";
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

const SCHEME = { auxDigit: "3" as const, segregationCodes: [] };

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
