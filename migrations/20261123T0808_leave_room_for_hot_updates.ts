import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

/**
 * Activations and receipts update options (lock, status) and positions (status) in place. With full
 * pages such an update moves the row and rewrites every index of the table; with free room on the
 * page it is a HOT update that touches no index. None of the columns they change is indexed.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, ["ALTER TABLE payment_option SET (fillfactor = 80)", "ALTER TABLE payment_position SET (fillfactor = 85)"]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ["ALTER TABLE payment_option RESET (fillfactor)", "ALTER TABLE payment_position RESET (fillfactor)"]);
}
