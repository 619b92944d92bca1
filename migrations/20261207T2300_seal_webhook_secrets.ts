import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

/**
 * Webhook secrets may be sealed (src/events/secretBox.ts): the id of the key that sealed a secret, NULL
 * for a secret stored as given (every existing one, until a start with WEBHOOK_SECRET_KEYS seals it).
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, ["ALTER TABLE webhook ADD COLUMN secret_key_id text"]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ["ALTER TABLE webhook DROP COLUMN secret_key_id"]);
}
