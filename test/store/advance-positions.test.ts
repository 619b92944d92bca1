/**
 * stazione_advance_positions called by name with a chosen clock: each stored status is brought in line with
 * what readers compute at that moment, once, with its event; expired activation locks are released; a batch
 * takes at most its limit.
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
  locksReleased: number;
}

async function advance(at: Date, limit = 100): Promise<Counts> {
  const db = await testDatabase();
  const [row] = await db.query<Counts>(`SELECT valid, expired, locks_released AS "locksReleased" FROM stazione_advance_positions($1, $2)`, [at, limit]);
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
    expect(await advance(BEFORE_VALIDITY)).to.deep.equal({ valid: 0, expired: 0, locksReleased: 0 });
    expect((await stored(s.iupd)).status).to.equal("PUBLISHED");

    expect(await advance(AFTER_VALIDITY)).to.deep.equal({ valid: 1, expired: 0, locksReleased: 0 });
    expect(await advance(AFTER_VALIDITY)).to.deep.equal({ valid: 0, expired: 0, locksReleased: 0 });
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
    expect(await advance(new Date("2099-12-31T00:00:00Z"))).to.deep.equal({ valid: 0, expired: 0, locksReleased: 0 });
    expect(await advance(AFTER_DUE)).to.deep.equal({ valid: 0, expired: 1, locksReleased: 0 });
    expect(await stateAt(expiring.iupd, AFTER_DUE)).to.deep.equal({ status: "EXPIRED", readAt: "EXPIRED" });
    expect(await stateAt(lasting.iupd, AFTER_DUE)).to.deep.equal({ status: "VALID", readAt: "VALID" });
    expect(typesOf(await outboxEvents())).to.deep.equal(["EXPIRED"]);
    expect((await outboxEvents(expiring.iupd))[0]!.payload.positionStatus).to.equal("EXPIRED");
  });

  it("expires a published position past its due date in one step: one EXPIRED event, no VALID", async () => {
    const s = await seed("publishedNotYetValid", makePosition({ validityDate: VALIDITY, switchToExpired: true }));
    await clearOutbox();
    expect(await advance(AFTER_DUE)).to.deep.equal({ valid: 0, expired: 1, locksReleased: 0 });
    expect(typesOf(await outboxEvents(s.iupd))).to.deep.equal(["EXPIRED"]);
  });

  it("leaves drafts, invalidated and paid positions alone", async () => {
    const draft = await seed("draft", makePosition({ switchToExpired: true }));
    const invalid = await seed("invalid", makePosition({ switchToExpired: true }));
    const paid = await seed("valid", makePosition({ switchToExpired: true }));
    await (await testDatabase()).query("SELECT stazione_pay_option($1, 'receipt-1', now(), '{}'::jsonb, now())", [paid.options[0]!.id]);
    await clearOutbox();
    expect(await advance(AFTER_DUE)).to.deep.equal({ valid: 0, expired: 0, locksReleased: 0 });
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

  it("releases activation locks that ended, and only those", async () => {
    const s = await seed("valid");
    const other = await seed("valid");
    const db = await testDatabase();
    await db.query("SELECT stazione_activate($1, $2, 60, true)", [EC, s.options[0]!.nav]);
    await db.query("SELECT stazione_activate($1, $2, 7200, true)", [EC, other.options[0]!.nav]);
    const inAnHour = new Date(Date.now() + 3_600_000);
    expect(await advance(inAnHour)).to.deep.equal({ valid: 0, expired: 0, locksReleased: 1 });
    const locks = await db.query<{ nav: string; locked: boolean }>("SELECT nav, lock_until IS NOT NULL AS locked FROM payment_option ORDER BY id");
    expect(locks).to.deep.equal([
      { nav: s.options[0]!.nav, locked: false },
      { nav: other.options[0]!.nav, locked: true },
    ]);
  });

  (onPostgres ? it : it.skip)("skips a position a payment holds and takes it in a later batch (PostgreSQL only)", async () => {
    const held = await seed("publishedNotYetValid", makePosition({ validityDate: VALIDITY }));
    const free = await seed("publishedNotYetValid", makePosition({ validityDate: VALIDITY }));
    const db = await testDatabase();
    await db.transaction(async (tx) => {
      await tx.query("SELECT stazione_lock_notice($1, $2)", [EC, held.options[0]!.nav]);
      expect(await advance(AFTER_VALIDITY)).to.deep.equal({ valid: 1, expired: 0, locksReleased: 0 });
    });
    expect((await stored(free.iupd)).status).to.equal("VALID");
    expect((await stored(held.iupd)).status).to.equal("PUBLISHED");
    expect(await advance(AFTER_VALIDITY)).to.deep.equal({ valid: 1, expired: 0, locksReleased: 0 });
    expect((await stored(held.iupd)).status).to.equal("VALID");
  });
});
