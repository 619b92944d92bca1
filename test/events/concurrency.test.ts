/**
 * On PostgreSQL: two workers on separate pools deliver together without delivering one event twice or
 * breaking a position's order; an instance killed (kill -9) in the middle of a delivery loses nothing:
 * the event is delivered once its lease ends, by the restarted instance.
 */
import { expect } from "chai";
import pino from "pino";
import { EventType } from "../../src/domain/events.ts";
import { createDeliveryWorker } from "../../src/events/worker.ts";
import { acaFeed } from "../../src/store/deliveries.ts";
import { openDatabase, type Database } from "../../src/store/db.ts";
import { EC, testConfig } from "../support/app.ts";
import { skipUnlessPostgres, TEST_DATABASE_URL, testDatabase } from "../support/db.ts";
import { startInstance, stopInstance, type Instance } from "../reliability/processes.ts";
import { deliveryEnv, emit, expectPositionOrder, receiverAndPosition, resetEvents, seedPosition, setWebhook, startReceiver, type Receiver } from "./support.ts";

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("delivery by several instances (PostgreSQL)", function () {
  this.timeout(120_000);
  let receiver: Receiver | undefined;
  afterEach(async () => receiver?.close());
  // no webhook left behind for the instances other files start
  after(resetEvents);

  it("two workers on separate pools deliver every event once and keep each position's order", async function () {
    skipUnlessPostgres(this, "PGlite has one in-process connection");
    const POSITIONS = 20;
    const PER_POSITION = 10;
    receiver = await startReceiver(1);
    // a slow receiver, so both workers have attempts in flight at once
    receiver.onRequest(() => new Promise((r) => setTimeout(r, 5)));
    await testDatabase();
    const positions = [];
    for (let i = 0; i < POSITIONS; i++) positions.push(await seedPosition());
    await resetEvents();
    await setWebhook(receiver.url);
    for (let n = 0; n < PER_POSITION; n++) for (const p of positions) await emit(p.positionId, EventType.UPDATED);
    const settings = testConfig(deliveryEnv({ DELIVERY_INTERVAL_MS: "10" })).delivery;
    const pools: Database[] = await Promise.all([1, 2].map(() => openDatabase({ url: TEST_DATABASE_URL, dataDir: "", poolSize: 4, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 })));
    const attemptsBy = [0, 0];
    const workers = pools.map((db, i) => createDeliveryWorker({ db, log: pino({ level: "silent" }), settings, onAttempt: () => void attemptsBy[i]!++ }));
    try {
      for (const w of workers) w.start();
      await waitFor(() => receiver!.accepted().length >= POSITIONS * PER_POSITION, 90_000, "every event accepted");
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await Promise.all(pools.map((db) => db.close()));
    }
    const keys = receiver.accepted().map((r) => String(r.headers["idempotency-key"]));
    expect(keys.length, "deliveries accepted").to.equal(POSITIONS * PER_POSITION);
    expect(new Set(keys).size, "distinct events accepted").to.equal(POSITIONS * PER_POSITION);
    expect(receiver.requests.length, "one failed attempt and one delivery per event").to.equal(2 * POSITIONS * PER_POSITION);
    expect(attemptsBy.every((n) => n > 0), `both workers made attempts: ${attemptsBy.join(", ")}`).to.equal(true);
    for (const p of positions) expect(expectPositionOrder(receiver.requests, p.iupd)).to.equal(PER_POSITION);
    console.log(`      figures: ${POSITIONS * PER_POSITION} events, attempts by worker ${attemptsBy.join(" + ")}, delivered twice: 0`);
  });

  it("the ACA feed never moves its cursor past an event an older transaction still running may precede", async function () {
    skipUnlessPostgres(this, "PGlite has one in-process connection");
    await testDatabase();
    const [a, b] = [await seedPosition(), await seedPosition()];
    await resetEvents();
    const db = await testDatabase();
    const other = await openDatabase({ url: TEST_DATABASE_URL, dataDir: "", poolSize: 1, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
    const feed = async () => (await acaFeed(db, 0, 100, undefined)).map((e) => e.eventId);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let heldId = 0;
    try {
      let written!: () => void;
      const wrote = new Promise<void>((r) => (written = r));
      const slow = other.transaction(async (tx) => {
        const [row] = await tx.query<{ id: number }>("SELECT stazione_emit_event($1, $2, 'UPDATED', 'position', 'x', '{}'::jsonb) AS id", [EC, a.positionId]);
        heldId = row!.id;
        written();
        await held;
      });
      await wrote;
      const later = await emit(b.positionId, EventType.UPDATED);
      expect(later).to.be.greaterThan(heldId);
      expect(await feed(), "the later event waits while the earlier one's transaction runs").to.deep.equal([]);
      release();
      await slow;
      expect(await feed()).to.deep.equal([heldId, later]);
    } finally {
      release();
      await other.close();
    }
  });

  describe("kill -9 during a delivery", () => {
    let first: Instance | undefined;
    let second: Instance | undefined;
    after(async () => {
      await Promise.all([first && stopInstance(first, "SIGKILL"), second && stopInstance(second)]);
    });

    it("loses no event: the restarted instance delivers it once the lease ends", async function () {
      skipUnlessPostgres(this, "PGlite has one in-process connection");
      await testDatabase();
      let p;
      ({ receiver, position: p } = await receiverAndPosition());
      const env = deliveryEnv({ DELIVERY_INTERVAL_MS: "50", WEBHOOK_TIMEOUT_MS: "1000" });
      first = await startInstance(TEST_DATABASE_URL!, env);
      let killed = false;
      // hold the first request open and kill the instance that made it: its answer never arrives
      receiver.onRequest(async (received) => {
        if (killed) return;
        killed = true;
        received.status = 0;
        first!.child.kill("SIGKILL");
        await first!.exited;
      });
      const eventId = await emit(p.positionId, EventType.UPDATED);
      await waitFor(() => killed, 30_000, "the first attempt");
      expect(await first.exited).to.equal("SIGKILL");
      const killedAt = Date.now();
      second = await startInstance(TEST_DATABASE_URL!, env);
      await waitFor(() => receiver!.accepted().length > 0, 30_000, "the delivery after restart");
      const accepted = receiver.accepted();
      expect(accepted.map((r) => r.body.eventId)).to.deep.equal([eventId]);
      expect(receiver.requests).to.have.length(2);
      const db = await testDatabase();
      const row = async () => (await db.query<{ state: string; attempts: number }>("SELECT state, attempts FROM delivery WHERE outbox_id = $1", [eventId]))[0];
      await waitFor(async () => (await row())?.state === "DELIVERED", 10_000, "the delivery recorded");
      expect(await row()).to.deep.equal({ state: "DELIVERED", attempts: 2 });
      console.log(`      figures: delivered ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill (lease: 2 × WEBHOOK_TIMEOUT_MS + 5 s), events lost: 0`);
    });
  });
});
