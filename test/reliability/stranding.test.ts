/**
 * Receipts racing the REST changes of the same positions, across two app instances on one PostgreSQL:
 * single PUTs, bulk PUTs (overlapping, in opposite orders), deletes and invalidations, each fired with a
 * small random offset against the receipt of the same notice. Afterwards the independent oracle checks
 * that every receipt answered OK left the notice that holds its number paid (or, with no such notice,
 * unlinked for a later load), and that every change either won before the receipt or was refused 409.
 * PostgreSQL only: PGlite is one in-process connection.
 */
import { expect } from "chai";
import type { PositionInput } from "../../src/domain/position.ts";
import { ADMIN_KEY, EC } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { receiptRequest } from "../support/soap.ts";
import { rest, soap } from "./client.ts";
import { brokenInvariants, NO_BROKEN_INVARIANTS, strandedReceipts } from "./invariants.ts";
import { twoInstances } from "./processes.ts";

const ROUNDS = 3;
const POSITIONS = 40;
const KINDS = ["put", "bulk", "delete", "invalidate"] as const;
type Kind = (typeof KINDS)[number];

/** A small deterministic generator, so a failing interleaving can be replayed. */
function random(seed: number) {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
}

describe("receipts racing REST changes of their positions (PostgreSQL)", function () {
  this.timeout(180_000);
  const pair = twoInstances();

  /** Deadlocks PostgreSQL detected in this database so far (its statistics are flushed within a second). */
  async function deadlocks(): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const db = await testDatabase();
    await db.query("SELECT pg_stat_clear_snapshot()");
    const [row] = await db.query<{ n: number }>("SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()");
    return row!.n;
  }

  it("runs overlapping bulk PUTs in opposite orders without a deadlock", async () => {
    const { a, b } = pair;
    const before = await deadlocks();
    const positions = Array.from({ length: 30 }, () => makePosition());
    const load = await rest(a, "POST", `/v2/organizations/${EC}/debtpositions?toPublish=true`, ADMIN_KEY, { paymentPositions: positions });
    expect(load.status).to.equal(201);
    const statuses: number[] = [];
    for (let round = 0; round < 8; round++) {
      const renamed = positions.map((p) => ({ ...p, companyName: `Comune ${round}` }));
      const answers = await Promise.all([
        rest(a, "PUT", `/v2/organizations/${EC}/debtpositions`, ADMIN_KEY, { paymentPositions: renamed }),
        rest(b, "PUT", `/v2/organizations/${EC}/debtpositions`, ADMIN_KEY, { paymentPositions: [...renamed].reverse() }),
        rest(b, "DELETE", `/v2/organizations/${EC}/debtpositions`, ADMIN_KEY, { paymentPositionIUPDs: ["no-such-iupd", ...positions.slice(0, 5).map((p) => p.iupd).reverse()] }),
      ]);
      statuses.push(...answers.slice(0, 2).map((x) => x.status));
      expect(answers[2]!.status, "a bulk delete naming an unknown position changes nothing").to.equal(404);
    }
    expect(statuses.every((s) => s === 200), `bulk PUTs answered ${statuses.join(", ")}`).to.equal(true);
    expect((await deadlocks()) - before, "deadlocks PostgreSQL had to break").to.equal(0);
    console.log(`      figures: ${statuses.length} overlapping bulk PUTs of 30 positions in opposite orders: all 200, 0 deadlocks`);
  });

  it("strands no receipt answered OK, refuses a late change 409, and never answers 500", async () => {
    const { a, b } = pair;
    const next = random(20261202);
    const pause = () => new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 6)));
    const accepted: Array<{ ec: string; receiptId: string }> = [];
    const outcomes: Array<{ kind: Kind; status: number; receiptId: string }> = [];
    const bulkStatuses: number[] = [];
    const statuses = new Map<string, number>();
    const count = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);

    for (let round = 0; round < ROUNDS; round++) {
      const positions = Array.from({ length: POSITIONS }, () => makePosition());
      const load = await rest(a, "POST", `/v2/organizations/${EC}/debtpositions?toPublish=true`, ADMIN_KEY, { paymentPositions: positions });
      expect(load.status, JSON.stringify(load.body)).to.equal(201);
      const changed = (p: PositionInput) => ({ ...p, companyName: `${p.companyName} (${round})` });
      const shuffled = (list: PositionInput[]) => list.map((p) => [next(), p] as const).sort((x, y) => x[0] - y[0]).map(([, p]) => changed(p));

      const work = positions.map(async (p, i) => {
        const kind = KINDS[(i + round) % KINDS.length]!;
        const o = p.paymentOption[0]!;
        const receiptId = `race-${round}-${i}`;
        const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
        const receipt = (async () => {
          await pause();
          return soap(first, "paSendRTV2", receiptRequest({ receiptId, nav: `3${o.iuv}`, iuv: o.iuv, amount: (o.amount / 100).toFixed(2), v2: true }));
        })();
        const change = (async () => {
          await pause();
          const path = `/v1/organizations/${EC}/debtpositions/${p.iupd}`;
          switch (kind) {
            case "put":
              return rest(second, "PUT", path, ADMIN_KEY, changed(p));
            case "bulk":
              // with its neighbours, in a random order: overlapping bulk requests lock in different orders
              return rest(second, "PUT", `/v2/organizations/${EC}/debtpositions`, ADMIN_KEY, {
                paymentPositions: shuffled([p, positions[(i + 1) % POSITIONS]!, positions[(i + 5) % POSITIONS]!]),
              });
            case "delete":
              return rest(second, "DELETE", path, ADMIN_KEY);
            case "invalidate":
              return rest(second, "POST", `${path}/invalidate`, ADMIN_KEY);
          }
        })();
        const [r, c] = await Promise.all([receipt, change]);
        expect(r.status, r.body).to.equal(200);
        expect(r.outcome, r.body).to.equal("OK");
        accepted.push({ ec: EC, receiptId });
        count(`${kind} ${c.status}`);
        outcomes.push({ kind, status: c.status, receiptId });
      });
      // two bulk replaces of the same ten positions in opposite orders, racing all of the above
      const ten = positions.slice(0, 10);
      for (const list of [ten, [...ten].reverse()]) {
        work.push(
          (async () => {
            await pause();
            const res = await rest(a, "PUT", `/v2/organizations/${EC}/debtpositions`, ADMIN_KEY, { paymentPositions: list.map(changed) });
            bulkStatuses.push(res.status);
          })(),
        );
      }
      await Promise.all(work);
    }

    // a change was applied before the receipt, or refused because the receipt came first; never a 5xx
    for (const o of outcomes) expect([200, 404, 409], `${o.kind} answered ${o.status}`).to.include(o.status);
    for (const status of bulkStatuses) expect([200, 404, 409], `bulk answered ${status}`).to.include(status);

    const db = await testDatabase();
    expect(accepted.length, "every receipt was accepted").to.equal(ROUNDS * POSITIONS);
    expect(await strandedReceipts(db, accepted)).to.deep.equal([]);
    expect(await brokenInvariants(db)).to.deep.equal(NO_BROKEN_INVARIANTS);
    const flagsOf = async (receiptId: string) =>
      (await db.query<{ flags: string[] }>("SELECT flags FROM receipt WHERE organization_fiscal_code = $1 AND receipt_id = $2", [EC, receiptId]))[0]!.flags;
    for (const o of outcomes.filter((x) => x.status === 200)) {
      if (o.kind === "delete") expect(await flagsOf(o.receiptId), `${o.receiptId} after its notice was deleted`).to.include("UNKNOWN_NOTICE");
      if (o.kind === "invalidate") expect(await flagsOf(o.receiptId), `${o.receiptId} after invalidation`).to.include("PAID_ON_INVALID");
    }
    // both orders happened: some changes won, some were refused because the payment came first
    const won = outcomes.filter((o) => o.status === 200).length;
    const refused = outcomes.filter((o) => o.status === 409).length;
    expect(won, "changes applied before the receipt").to.be.greaterThan(0);
    expect(refused, "changes refused after the receipt").to.be.greaterThan(0);
    const summary = [...statuses].sort().map(([k, n]) => `${k}: ${n}`).join(", ");
    console.log(
      `      figures: ${accepted.length} receipts answered OK while ${outcomes.length + bulkStatuses.length} REST changes raced them on 2 instances (${summary}; overlapping bulk PUTs: ${bulkStatuses.filter((s) => s === 200).length} applied, ${bulkStatuses.filter((s) => s !== 200).length} refused), receipts stranded: 0, invariants broken: 0`,
    );
  });
});
