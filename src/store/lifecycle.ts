/**
 * The lifecycle scheduler's steps: stored statuses brought in line with time (stazione_advance_positions),
 * and activation locks past their end cleared (stazione_release_locks).
 */
import type { Sql } from "./db.ts";

export interface AdvanceCounts {
  /** PUBLISHED -> VALID at the validity date. */
  valid: number;
  /** PUBLISHED or VALID -> EXPIRED after the last due date (positions set to expire). */
  expired: number;
}

/**
 * One batch of up to `limit` positions, in its own transaction. `at` is the scheduler's clock; null takes
 * the database's, the one every read judges by.
 */
export async function advancePositions(sql: Sql, at: Date | null, limit: number): Promise<AdvanceCounts> {
  const [row] = await sql.query<AdvanceCounts>("SELECT valid, expired FROM stazione_advance_positions(coalesce($1::timestamptz, now()), $2)", [at, limit]);
  return row!;
}

export interface LockSweepStep {
  /** Locks cleared. */
  released: number;
  /** The option id the next step starts from (0: the sweep went round). */
  nextFrom: number;
}

/** One step of the lock sweep: the next `span` options from id `from`, up to `limit` of their ended locks cleared. */
export async function releaseLocks(sql: Sql, at: Date | null, limit: number, from: number, span: number): Promise<LockSweepStep> {
  const [row] = await sql.query<{ released: number; nextFrom: string }>(
    `SELECT released, next_from AS "nextFrom" FROM stazione_release_locks(coalesce($1::timestamptz, now()), $2, $3, $4)`,
    [at, limit, from, span],
  );
  return { released: row!.released, nextFrom: Number(row!.nextFrom) };
}
