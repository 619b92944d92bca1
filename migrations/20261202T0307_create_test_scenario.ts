import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

/**
 * Behaviours testers attach to notice numbers (src/kit/scenarios.ts), read only when TEST_SCENARIOS is on.
 * In the database so that every instance plays the same scenarios; rows expire by expires_at.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE test_scenario (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      -- an 18-digit notice number or a glob of digits, * and ?
      pattern varchar(18) NOT NULL,
      -- null: every operation
      operation text,
      behaviour jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ["DROP TABLE test_scenario"]);
}
