import type { Knex } from "knex";

/** Runs statements one by one: the embedded engine takes a single statement per call. */
export async function runStatements(knex: Knex, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await knex.raw(statement);
}
