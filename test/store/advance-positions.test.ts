/**
 * stazione_advance_positions called by name with a chosen clock: each stored status is brought in line with
 * what readers compute at that moment, once, with its event; a batch takes at most its limit. And
 * stazione_release_locks: ended activation locks cleared, a span of the options at a time.
 */
import { expect } from "chai";
import { EC } from "../support/app.ts";
import { onPostgres, resetDatabase, testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { clearOutbox, outboxEvents, typesOf } from "./outbox.ts";
import { seed } from "./seed.ts";

const VALIDITY = "2098-01-01T00:00:00Z";
const BEFORE_VALIDITY = new Date("2097-12-31T00:00:00Z");
const AFTER_VALIDITY = new Date("2098-01-02T00:00:00Z");
/** After the factories' due date (2099-12-31). */
const AFTER_DUE = new Date("2100-01-02T00:00:00Z");

interface Counts {
  valid: number;
  expired: number;
}

async function advance(at: Date, limit = 100): Promise<Counts> {
  const db = await testDatabase();
  const [row] = await db.query<Counts>("SELECT valid, expired FROM stazione_advance_positions($1, $2)", [at, limit]);
  return row!;
}

async function stored(iupd: string): Promise<{ status: string; readAt: string }> {
  return stateAt(iupd, new Date());
}

/** The stored status and the one readers compute at `at`. */
async function stateAt(iupd: string, at: Date): Promise<{ status: string; readAt: string }> {
  const db = await testDatabase();
  const [row] = await db.query<{ status: string; readAt: string }>(
    `SELECT status, stazione_position_status(status, validity_date, switch_to_expired, max_due_date, $3) AS "readAt"
       FROM payment_position WHERE organization_fiscal_code = $1 AND iupd = $2`,
    [EC, iupd, at],
  );
  return row!;
}

describe("stazione_advance_positions", () => {
  beforeEach(resetDatabase);

  it("makes a published position VALID at its validity date, once, with a VALID event", async () => {
    const s = await seed("publishedNotYetValid", makePosition({ validityDate: VALIDITY }));
    await clearOutbox();
    expect(await advance(BEFORE_VALIDITY)).to.deep.equal({ valid: 0, expired: 0 });
    expect((await stored(s.iupd)).status).to.equal("PUBLISHED");

    expect(await advance(AFTER_VALIDITY)).to.deep.equal({ valid: 1, expired: 0 });
    expect(await advance(AFTER_VALIDITY)).to.deep.equal({ valid: 0, expired: 0 });
    expect(await stateAt(s.iupd, AFTER_VALIDITY)).to.deep.equal({ status: "VALID", readAt: "VALID" });
    const events = await outboxEvents(s.iupd);
    expect(typesOf(events)).to.deep.equal(["VALID"]);
    expect(events[0]!.payload).to.include({ positionStatus: "VALID", companyName: "Comune di Esempio" });
    expect(events[0]!.payload.notices.map((n: { noticeNumber: string }) => n.noticeNumber)).to.deep.equal(s.options.map((o) => o.nav));
  });

  it("expires a valid position after its due date only when it is set to expire", async () => {
    const expiring = await seed("valid", makePosition({ switchToExpired: true }));
    const lasting = await seed("valid", makePosition({ switchToExpired: false }));
    await clearOutbox();
    expect(await advance(new Date("2099-12-31T00:00:00Z"))).to.deep.equal({ valid: 0, expired: 0 });
    expect(await advance(AFTER_DUE)).to.deep.equal({ valid: 0, expired: 1 });
    expect(await stateAt(expiring.iupd, AFTER_DUE)).to.deep.equal({ status: "EXPIRED", readAt: "EXPIRED" });
    expect(await stateAt(lasting.iupd, AFTER_DUE)).to.deep.equal({ status: "VALID", readAt: "VALID" });
    expect(typesOf(await outboxEvents())).to.deep.equal(["EXPIRED"]);
    expect((await outboxEvents(expiring.iupd))[0]!.payload.positionStatus).to.equal("EXPIRED");
  });

  it("expires a published position past its due date in one step: one EXPIRED event, no VALID", async () => {
    const s = await seed("publishedNotYetValid", makePosition({ validityDate: VALIDITY, switchToExpired: true }));
    await clearOutbox();
    expect(await advance(AFTER_DUE)).to.deep.equal({ valid: 0, expired: 1 });
    expect(typesOf(await outboxEvents(s.iupd))).to.deep.equal(["EXPIRED"]);
  });

  it("leaves drafts, invalidated and paid positions alone", async () => {
    const draft = await seed("draft", makePosition({ switchToExpired: true }));
    const invalid = await seed("invalid", makePosition({ switchToExpired: true }));
    const paid = await seed("valid", makePosition({ switchToExpired: true }));
    await (await testDatabase()).query("SELECT stazione_pay_option($1, 'receipt-1', now(), '{}'::jsonb, now())", [paid.options[0]!.id]);
    await clearOutbox();
    expect(await advance(AFTER_DUE)).to.deep.equal({ valid: 0, expired: 0 });
    expect((await stored(draft.iupd)).status).to.equal("DRAFT");
    expect((await stored(invalid.iupd)).status).to.equal("INVALID");
    expect((await stored(paid.iupd)).status).to.equal("PAID");
    expect(await outboxEvents()).to.deep.equal([]);
  });

  it("takes at most its limit of positions a batch", async () => {
    for (let i = 0; i < 5; i++) await seed("publishedNotYetValid", makePosition({ validityDate: VALIDITY }));
    expect((await advance(AFTER_VALIDITY, 2)).valid).to.equal(2);
    expect((await advance(AFTER_VALIDITY, 2)).valid).to.equal(2);
    expect((await advance(AFTER_VALIDITY, 2)).valid).to.equal(1);
    expect((await advance(AFTER_VALIDITY, 2)).valid).to.equal(0);
  });

  (onPostgres ? it : it.skip)("skips a position a payment holds and takes it in a later batch (PostgreSQL only)", async () => {
    const held = await seed("publishedNotYetValid", makePosition({ validityDate: VALIDITY }));
    const free = await seed("publishedNotYetValid", makePosition({ validityDate: VALIDITY }));
    const db = await testDatabase();
    await db.transaction(async (tx) => {
      await tx.query("SELECT stazione_lock_notice($1, $2)", [EC, held.options[0]!.nav]);
      expect(await advance(AFTER_VALIDITY)).to.deep.equal({ valid: 1, expired: 0 });
    });
    expect((await stored(free.iupd)).status).to.equal("VALID");
    expect((await stored(held.iupd)).status).to.equal("PUBLISHED");
    expect(await advance(AFTER_VALIDITY)).to.deep.equal({ valid: 1, expired: 0 });
    expect((await stored(held.iupd)).status).to.equal("VALID");
  });
});

describe("stazione_release_locks", () => {
  beforeEach(resetDatabase);

  const IN_AN_HOUR = () => new Date(Date.now() + 3_600_000);

  async function release(at: Date, limit: number, from: number, span: number): Promise<{ released: number; nextFrom: number }> {
    const [row] = await (await testDatabase()).query<{ released: number; nextFrom: string }>(
      `SELECT released, next_from AS "nextFrom" FROM stazione_release_locks($1, $2, $3, $4)`,
      [at, limit, from, span],
    );
    return { released: row!.released, nextFrom: Number(row!.nextFrom) };
  }

  /** `count` valid positions of one option each, every option activated for `seconds`; their option ids. */
  async function lockedOptions(count: number, seconds = 60): Promise<number[]> {
    const db = await testDatabase();
    for (let i = 0; i < count; i++) {
      const s = await seed("valid");
      await db.query("SELECT stazione_activate($1, $2, $3, true)", [EC, s.options[0]!.nav, seconds]);
    }
    return (await db.query<{ id: string }>("SELECT id FROM payment_option ORDER BY id")).map((r) => Number(r.id));
  }

  const lockedIds = async () => (await (await testDatabase()).query<{ id: string }>("SELECT id FROM payment_option WHERE lock_until IS NOT NULL ORDER BY id")).map((r) => Number(r.id));

  it("clears the locks that ended, and only those", async () => {
    const [ended] = await lockedOptions(1, 60);
    const db = await testDatabase();
    const lasting = await seed("valid");
    await db.query("SELECT stazione_activate($1, $2, 7200, true)", [EC, lasting.options[0]!.nav]);
    expect(await release(IN_AN_HOUR(), 100, 0, 1000)).to.deep.equal({ released: 1, nextFrom: 0 });
    const locked = await lockedIds();
    expect(locked).to.have.length(1);
    expect(locked).to.not.include(ended);
  });

  it("reads a span of options at a time, goes on after it, and back to the start after the last option", async () => {
    const ids = await lockedOptions(5);
    const at = IN_AN_HOUR();
    expect(await release(at, 100, 0, 2)).to.deep.equal({ released: 2, nextFrom: ids[1]! + 1 });
    expect(await lockedIds()).to.deep.equal(ids.slice(2));
    expect(await release(at, 100, ids[1]! + 1, 2)).to.deep.equal({ released: 2, nextFrom: ids[3]! + 1 });
    expect(await release(at, 100, ids[3]! + 1, 2)).to.deep.equal({ released: 1, nextFrom: 0 });
    expect(await lockedIds()).to.deep.equal([]);
    expect(await release(at, 100, 0, 2)).to.deep.equal({ released: 0, nextFrom: ids[1]! + 1 });
  });

  it("when it clears its limit, goes on right after the last lock it cleared", async () => {
    const ids = await lockedOptions(3);
    expect(await release(IN_AN_HOUR(), 1, 0, 10)).to.deep.equal({ released: 1, nextFrom: ids[0]! + 1 });
    expect(await lockedIds()).to.deep.equal(ids.slice(1));
  });

  (onPostgres ? it : it.skip)("leaves an option row a payment holds to the next round (PostgreSQL only)", async () => {
    const ids = await lockedOptions(2);
    const db = await testDatabase();
    await db.transaction(async (tx) => {
      await tx.query("SELECT 1 FROM payment_option WHERE id = $1 FOR UPDATE", [ids[0]]);
      expect(await release(IN_AN_HOUR(), 100, 0, 10)).to.deep.equal({ released: 1, nextFrom: 0 });
    });
    expect(await lockedIds()).to.deep.equal([ids[0]]);
    expect(await release(IN_AN_HOUR(), 100, 0, 10)).to.deep.equal({ released: 1, nextFrom: 0 });
  });
});
