/**
 * The lifecycle scheduler with an injected clock: published positions become VALID at their validity date,
 * valid ones EXPIRED after their due date only when set to expire, expired activation locks are released so
 * the notice can be paid again (a span of the options per run); each transition writes its event once, each run is logged with its counts.
 * On PostgreSQL, two instances running at once never move one position twice.
 */
import { expect } from "chai";
import pino from "pino";
import type { PositionInput } from "../../src/domain/position.ts";
import { createScheduler } from "../../src/jobs/scheduler.ts";
import { createPositionService } from "../../src/services/positions.ts";
import { openDatabase } from "../../src/store/db.ts";
import { EC, startApp } from "../support/app.ts";
import { onPostgres, resetDatabase, TEST_DATABASE_URL, testDatabase } from "../support/db.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { api, positionPath } from "../support/rest.ts";
import { expectFault, expectOk, getPaymentRequest, postSoap, verifyRequest } from "../support/soap.ts";
import { outboxEvents, typesOf } from "../store/outbox.ts";

const VALIDITY = "2098-01-01T00:00:00Z";
const AFTER_VALIDITY = new Date("2098-01-02T00:00:00Z");
/** After the factories' due date (2099-12-31). */
const AFTER_DUE = new Date("2100-01-02T00:00:00Z");

/** A clock the test moves. */
function clock(start: Date) {
  let at = start;
  return { now: () => at, set: (next: Date) => (at = next) };
}

/** A logger whose lines the test reads. */
function capturedLog() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, log: pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) }) };
}

async function load(inputs: PositionInput[]): Promise<void> {
  const positions = createPositionService({ db: await testDatabase(), scheme: { auxDigit: "3", segregationCodes: [] } });
  for (let i = 0; i < inputs.length; i += 500) await positions.createMany(EC, inputs.slice(i, i + 500), true);
}

async function statusOf(iupd: string): Promise<string> {
  const [row] = await (await testDatabase()).query<{ status: string }>("SELECT status FROM payment_position WHERE organization_fiscal_code = $1 AND iupd = $2", [EC, iupd]);
  return row!.status;
}

describe("the lifecycle scheduler", () => {
  beforeEach(resetDatabase);

  it("makes published positions VALID at their validity date, once, and logs each run with its counts", async () => {
    const inputs = Array.from({ length: 5 }, () => makePosition({ validityDate: VALIDITY }));
    await load(inputs);
    const time = clock(new Date("2097-06-01T00:00:00Z"));
    const { lines, log } = capturedLog();
    const scheduler = createScheduler({ db: await testDatabase(), log, intervalMs: 0, batchSize: 2, now: time.now });

    expect(await scheduler.runOnce()).to.deep.equal({ valid: 0, expired: 0, locksReleased: 0 });
    time.set(AFTER_VALIDITY);
    expect(await scheduler.runOnce()).to.deep.equal({ valid: 5, expired: 0, locksReleased: 0 });
    expect(await scheduler.runOnce()).to.deep.equal({ valid: 0, expired: 0, locksReleased: 0 });

    for (const input of inputs) {
      expect(await statusOf(input.iupd)).to.equal("VALID");
      expect(typesOf(await outboxEvents(input.iupd))).to.deep.equal(["CREATED", "VALID"]);
    }
    expect(lines.map((l) => [l.msg, l.level, l.valid, l.expired, l.locksReleased])).to.deep.equal([
      ["scheduler run", 20, 0, 0, 0],
      ["scheduler run", 30, 5, 0, 0],
      ["scheduler run", 20, 0, 0, 0],
    ]);
    expect(lines[1]!.batches).to.equal(3);
    expect(lines[1]!.lockSteps).to.equal(1);
  });

  it("sweeps the options for ended activation locks a span per run, and goes round", async () => {
    const inputs = Array.from({ length: 3 }, () => makePosition());
    await load(inputs);
    const db = await testDatabase();
    for (const input of inputs) await db.query("SELECT stazione_activate($1, $2, 60, true)", [EC, `3${input.paymentOption[0]!.iuv}`]);
    const inAnHour = new Date(Date.now() + 3_600_000);
    const scheduler = createScheduler({ db, log: pino({ level: "silent" }), intervalMs: 0, lockSweepSpan: 2, now: () => inAnHour });
    expect((await scheduler.runOnce()).locksReleased).to.equal(2);
    expect((await scheduler.runOnce()).locksReleased).to.equal(1);
    expect((await scheduler.runOnce()).locksReleased).to.equal(0);
    const [left] = await db.query<{ locked: number }>("SELECT count(*)::int AS locked FROM payment_option WHERE lock_until IS NOT NULL");
    expect(left!.locked).to.equal(0);
  });

  it("expires valid positions after their due date only when they are set to expire", async () => {
    const expiring = makePosition({ switchToExpired: true });
    const lasting = makePosition({ switchToExpired: false });
    await load([expiring, lasting]);
    const time = clock(new Date("2099-12-30T00:00:00Z"));
    const scheduler = createScheduler({ db: await testDatabase(), log: pino({ level: "silent" }), intervalMs: 0, now: time.now });
    expect((await scheduler.runOnce()).expired).to.equal(0);
    time.set(AFTER_DUE);
    expect((await scheduler.runOnce()).expired).to.equal(1);
    expect(await statusOf(expiring.iupd)).to.equal("EXPIRED");
    expect(await statusOf(lasting.iupd)).to.equal("VALID");
    expect(typesOf(await outboxEvents(expiring.iupd))).to.deep.equal(["CREATED", "EXPIRED"]);
    expect(typesOf(await outboxEvents(lasting.iupd))).to.deep.equal(["CREATED"]);
  });

  it("releases an expired activation lock: the plan's single payment can be paid again", async () => {
    const t = await startApp();
    const plan = makePlan(30000, 2);
    expect((await api(t).post(`/v1/organizations/${EC}/debtpositions?toPublish=true`, plan)).status).to.equal(201);
    const single = `3${plan.paymentOption[0]!.iuv}`;
    const installment = `3${plan.paymentOption[1]!.iuv}`;
    expectOk(await postSoap(t, getPaymentRequest(installment, { v2: true }), "paGetPaymentV2"));
    expectFault(await postSoap(t, verifyRequest(single), "paVerifyPaymentNotice"), "PAA_PAGAMENTO_IN_CORSO");

    const scheduler = createScheduler({ db: await testDatabase(), log: pino({ level: "silent" }), intervalMs: 0, now: () => new Date(Date.now() + (t.config.lockTtlSeconds + 60) * 1000) });
    expect(await scheduler.runOnce()).to.deep.equal({ valid: 0, expired: 0, locksReleased: 1 });
    expectOk(await postSoap(t, verifyRequest(single), "paVerifyPaymentNotice"));
    expect((await api(t).get(positionPath(plan.iupd))).body.paymentOption[1].status).to.equal("PO_UNPAID");
  });

  it("runs every interval once started, and stops between runs", async () => {
    await load([makePosition({ validityDate: VALIDITY })]);
    const { lines, log } = capturedLog();
    const scheduler = createScheduler({ db: await testDatabase(), log, intervalMs: 20, now: () => AFTER_VALIDITY });
    scheduler.start();
    const deadline = Date.now() + 10_000;
    while (lines.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await scheduler.stop();
    const runs = lines.length;
    expect(runs).to.be.at.least(3);
    expect(lines.filter((l) => l.valid === 1)).to.have.length(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lines.length).to.equal(runs);
  });

  (onPostgres ? it : it.skip)("shares the work between two instances: no position moves twice, no event is written twice (PostgreSQL only)", async function () {
    this.timeout(120_000);
    const inputs = Array.from({ length: 600 }, (_, i) => makePosition({ validityDate: VALIDITY, switchToExpired: i % 2 === 0 }));
    await load(inputs);
    const other = await openDatabase({ url: TEST_DATABASE_URL, dataDir: "", poolSize: 4, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
    try {
      const silent = pino({ level: "silent" });
      const a = createScheduler({ db: await testDatabase(), log: silent, intervalMs: 0, batchSize: 25, now: () => AFTER_VALIDITY });
      const b = createScheduler({ db: other, log: silent, intervalMs: 0, batchSize: 25, now: () => AFTER_VALIDITY });
      const valid = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
      expect(valid.reduce((sum, c) => sum + c.valid, 0)).to.equal(600);
      // both instances took part: they ran at the same time
      expect(valid[0]!.valid + valid[2]!.valid).to.be.above(0);
      expect(valid[1]!.valid + valid[3]!.valid).to.be.above(0);
      const aLater = createScheduler({ db: await testDatabase(), log: silent, intervalMs: 0, batchSize: 25, now: () => AFTER_DUE });
      const bLater = createScheduler({ db: other, log: silent, intervalMs: 0, batchSize: 25, now: () => AFTER_DUE });
      const expired = await Promise.all([aLater.runOnce(), bLater.runOnce(), aLater.runOnce(), bLater.runOnce()]);
      expect(expired.reduce((sum, c) => sum + c.expired, 0)).to.equal(300);
    } finally {
      await other.close();
    }
    const counts = await (await testDatabase()).query<{ type: string; positions: number; events: number; most: number }>(
      `SELECT event_type AS type, count(DISTINCT position_id)::int AS positions, count(*)::int AS events,
              max(n)::int AS most
         FROM (SELECT event_type, position_id, count(*) OVER (PARTITION BY event_type, position_id) AS n FROM outbox) e
        WHERE event_type IN ('VALID', 'EXPIRED') GROUP BY event_type ORDER BY event_type`,
    );
    expect(counts).to.deep.equal([
      { type: "EXPIRED", positions: 300, events: 300, most: 1 },
      { type: "VALID", positions: 600, events: 600, most: 1 },
    ]);
  });
});
