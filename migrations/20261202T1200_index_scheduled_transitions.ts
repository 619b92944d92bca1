import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

/**
 * What the lifecycle scheduler looks for on every run (stazione_advance_positions): published positions
 * (waiting for their validity date) and valid positions set to expire, by their last due date. Partial, so
 * they hold only those few rows. A status change of a position (a receipt) now touches an index; activations
 * and the lock column of options are left unindexed, so they stay HOT updates.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE INDEX payment_position_published_idx ON payment_position (validity_date) WHERE status = 'PUBLISHED'`,
    `CREATE INDEX payment_position_expiring_idx ON payment_position (max_due_date) WHERE status = 'VALID' AND switch_to_expired`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ["DROP INDEX payment_position_expiring_idx", "DROP INDEX payment_position_published_idx"]);
}
