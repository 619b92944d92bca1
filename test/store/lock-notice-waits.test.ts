/**
 * stazione_lock_notice when it has to wait for the position's row lock (PostgreSQL only: two sessions).
 * Whatever committed while it waited decides what it returns: the same option after an update of the
 * position, the option that now holds the notice number after a replace, nothing after a delete.
 */
import { expect } from "chai";
import { EC } from "../support/app.ts";
import { resetDatabase, skipUnlessPostgres, testDatabase } from "../support/db.ts";
import type { Sql } from "../../src/store/db.ts";
import { seed, type Seeded } from "./seed.ts";

/** A full replace as the store makes it: the position's row deleted and inserted again, its options with new ids. */
async function replaceInPlace(tx: Sql, s: Seeded): Promise<void> {
  await tx.query("CREATE TEMP TABLE kept_position ON COMMIT DROP AS SELECT * FROM payment_position WHERE id = $1", [s.positionId]);
  await tx.query("CREATE TEMP TABLE kept_plan ON COMMIT DROP AS SELECT * FROM payment_plan WHERE payment_position_id = $1", [s.positionId]);
  await tx.query("CREATE TEMP TABLE kept_option ON COMMIT DROP AS SELECT * FROM payment_option WHERE payment_position_id = $1", [s.positionId]);
  await tx.query("DELETE FROM payment_position WHERE id = $1", [s.positionId]);
  await tx.query("INSERT INTO payment_position OVERRIDING SYSTEM VALUE SELECT * FROM kept_position");
  await tx.query("INSERT INTO payment_plan OVERRIDING SYSTEM VALUE SELECT * FROM kept_plan");
  await tx.query(
    `INSERT INTO payment_option OVERRIDING SYSTEM VALUE
     SELECT (jsonb_populate_record(NULL::payment_option,
              to_jsonb(k) || jsonb_build_object('id', nextval(pg_get_serial_sequence('payment_option', 'id'))))).*
       FROM kept_option k`,
  );
}

/** Runs `change` in a transaction holding the position's row, lets stazione_lock_notice queue behind it, commits, and returns what the lock found. */
async function lockBehind(s: Seeded, change: (tx: Sql) => Promise<void>): Promise<number | null> {
  const db = await testDatabase();
  let waiting: Promise<number | null> | undefined;
  await db.transaction(async (tx) => {
    await tx.query("SELECT 1 FROM payment_position WHERE id = $1 FOR UPDATE", [s.positionId]);
    await change(tx);
    waiting = db.transaction(async (other) => (await other.query<{ r: number | null }>("SELECT stazione_lock_notice($1, $2) AS r", [EC, s.options[0]!.nav]))[0]!.r);
    for (let tries = 0; ; tries++) {
      // asked from a session of its own: within a transaction pg_stat_activity is read once and kept
      const [row] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%stazione_lock_notice%'",
      );
      if (row!.n > 0) break;
      if (tries > 500) throw new Error("stazione_lock_notice never waited for the lock");
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  return waiting!;
}

describe("stazione_lock_notice behind a change of the position (PostgreSQL)", () => {
  beforeEach(function () {
    skipUnlessPostgres(this, "two sessions, one waiting for the other's row lock");
    return resetDatabase();
  });

  it("returns the same option when the position was only updated", async () => {
    const s = await seed("valid");
    const found = await lockBehind(s, (tx) => tx.query("UPDATE payment_position SET company_name = 'Comune Nuovo', version = version + 1 WHERE id = $1", [s.positionId]).then(() => {}));
    expect(Number(found)).to.equal(s.options[0]!.id);
  });

  it("returns the option that now holds the notice number when the position was replaced", async () => {
    const s = await seed("valid");
    const found = await lockBehind(s, (tx) => replaceInPlace(tx, s));
    const [now] = await (await testDatabase()).query<{ id: string }>("SELECT id FROM payment_option WHERE organization_fiscal_code = $1 AND nav = $2", [EC, s.options[0]!.nav]);
    expect(Number(now!.id)).to.not.equal(s.options[0]!.id);
    expect(Number(found)).to.equal(Number(now!.id));
  });

  it("returns nothing when the position was deleted", async () => {
    const s = await seed("valid");
    const found = await lockBehind(s, (tx) => tx.query("DELETE FROM payment_position WHERE id = $1", [s.positionId]).then(() => {}));
    expect(found).to.equal(null);
  });
});
