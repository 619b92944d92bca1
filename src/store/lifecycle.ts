/** The lifecycle scheduler's batch (stazione_advance_positions): stored statuses brought in line with time. */
import type { Sql } from "./db.ts";

export interface AdvanceCounts {
  /** PUBLISHED -> VALID at the validity date. */
  valid: number;
  /** PUBLISHED or VALID -> EXPIRED after the last due date (positions set to expire). */
  expired: number;
  /** Activation locks past their end, cleared. */
  locksReleased: number;
}

/**
 * One batch of up to `limit` positions and `limit` locks, in its own transaction. `at` is the scheduler's
 * clock; null takes the database's, the one every read judges by.
 */
export async function advancePositions(sql: Sql, at: Date | null, limit: number): Promise<AdvanceCounts> {
  const [row] = await sql.query<AdvanceCounts>(
    `SELECT valid, expired, locks_released AS "locksReleased" FROM stazione_advance_positions(coalesce($1::timestamptz, now()), $2)`,
    [at, limit],
  );
  return row!;
}
