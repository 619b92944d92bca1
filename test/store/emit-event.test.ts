/**
 * stazione_emit_events and stazione_emit_event called by name: each position's events are numbered in
 * its own sequence, in the order given, an event without a position has none, and only the lifecycle of
 * a notice that is not spontaneous is on the ACA feed.
 */
import { expect } from "chai";
import { EventType } from "../../src/domain/events.ts";
import { makePosition } from "../support/factories.ts";
import { EC } from "../support/app.ts";
import { resetDatabase, testDatabase } from "../support/db.ts";
import { seed } from "./seed.ts";

async function emit(positionId: number | null, type: string, aggregateId = "x"): Promise<void> {
  const db = await testDatabase();
  await db.query("SELECT stazione_emit_event($1, $2, $3, 'position', $4, '{}'::jsonb)", [EC, positionId, type, aggregateId]);
}

async function events() {
  const db = await testDatabase();
  return db.query<{ type: string; positionId: string | null; iupd: string | null; sequence: number | null; aca: boolean }>(
    `SELECT event_type AS type, position_id AS "positionId", iupd, sequence, aca FROM outbox ORDER BY id`,
  );
}

describe("stazione_emit_events", () => {
  beforeEach(resetDatabase);

  it("numbers each position's events in a sequence of its own, from the position's counter", async () => {
    const a = await seed("valid", makePosition({ iupd: "IUPD-EMIT-A" }));
    const b = await seed("valid", makePosition({ iupd: "IUPD-EMIT-B" }));
    const db = await testDatabase();
    await db.query("DELETE FROM outbox");
    const before = (id: number) => db.query<{ s: number }>("SELECT event_sequence AS s FROM payment_position WHERE id = $1", [id]);
    const [{ s: startA }] = (await before(a.positionId)) as [{ s: number }];
    const [{ s: startB }] = (await before(b.positionId)) as [{ s: number }];
    await emit(a.positionId, EventType.UPDATED);
    await emit(b.positionId, EventType.UPDATED);
    await emit(a.positionId, EventType.ACTIVATED);
    const rows = await events();
    expect(rows.map((r) => [r.iupd, r.sequence])).to.deep.equal([
      ["IUPD-EMIT-A", startA + 1],
      ["IUPD-EMIT-B", startB + 1],
      ["IUPD-EMIT-A", startA + 2],
    ]);
  });

  it("gives an event without a position no sequence and keeps it off the ACA feed", async () => {
    await emit(null, EventType.RECEIPT_STORED, "receipt-1");
    const [row] = await events();
    expect(row).to.deep.include({ positionId: null, iupd: null, sequence: null, aca: false });
  });

  it("puts the lifecycle of a notice on the ACA feed, not its payment attempts nor a spontaneous notice's", async () => {
    const ordinary = await seed("valid", makePosition({ iupd: "IUPD-EMIT-ACA" }));
    const spontaneous = await seed("valid", makePosition({ iupd: "IUPD-EMIT-SPONTANEOUS" }));
    const db = await testDatabase();
    await db.query("UPDATE payment_position SET spontaneous = true WHERE id = $1", [spontaneous.positionId]);
    await db.query("DELETE FROM outbox");
    const lifecycle: string[] = [EventType.CREATED, EventType.UPDATED, EventType.PUBLISHED, EventType.VALID, EventType.INVALIDATED, EventType.EXPIRED, EventType.DELETED, EventType.PAID, EventType.PARTIALLY_PAID];
    const others = Object.values(EventType).filter((t) => !lifecycle.includes(t));
    for (const type of Object.values(EventType)) await emit(ordinary.positionId, type);
    for (const type of lifecycle) await emit(spontaneous.positionId, type);
    const rows = await events();
    expect(rows.filter((r) => r.aca).map((r) => r.type)).to.deep.equal(lifecycle);
    expect(rows.filter((r) => r.iupd === "IUPD-EMIT-ACA" && !r.aca).map((r) => r.type)).to.deep.equal(others);
  });

  it("writes several events in the order given, with consecutive numbers from one counter update, and returns their ids", async () => {
    const a = await seed("valid", makePosition({ iupd: "IUPD-EMIT-MANY" }));
    const db = await testDatabase();
    await db.query("DELETE FROM outbox");
    const counter = async () => (await db.query<{ s: number }>("SELECT event_sequence AS s FROM payment_position WHERE id = $1", [a.positionId]))[0]!.s;
    const start = await counter();
    const batch = [EventType.PAID, EventType.RECEIPT_STORED, EventType.DOUBLE_PAYMENT].map((type, i) => ({
      type, aggregateType: "receipt", aggregateId: `r-${i}`, payload: { n: i },
    }));
    const ids = await db.query<{ id: string }>("SELECT id FROM stazione_emit_events($1, $2, $3::jsonb) AS id", [EC, a.positionId, JSON.stringify(batch)]);
    const rows = await db.query<{ id: string; type: string; aggregateId: string; sequence: number; payload: unknown }>(
      `SELECT id, event_type AS type, aggregate_id AS "aggregateId", sequence, payload FROM outbox ORDER BY id`,
    );
    expect(rows.map((r) => [r.type, r.aggregateId, r.sequence, r.payload])).to.deep.equal(
      batch.map((e, i) => [e.type, e.aggregateId, start + 1 + i, e.payload]),
    );
    expect(ids.map((r) => String(r.id))).to.deep.equal(rows.map((r) => String(r.id)));
    expect(await counter()).to.equal(start + 3);
  });

  it("writes nothing for an empty list", async () => {
    const a = await seed("valid", makePosition({ iupd: "IUPD-EMIT-NONE" }));
    const db = await testDatabase();
    await db.query("DELETE FROM outbox");
    await db.query("SELECT stazione_emit_events($1, $2, '[]'::jsonb)", [EC, a.positionId]);
    expect(await events()).to.deep.equal([]);
  });
});
