import { migrationSource } from "../../migrations/index.ts";
import type { Database } from "./db.ts";
import { applyFunctions } from "./functions.ts";

/**
 * Brings the schema up to date, then the payment functions; safe to run from several instances at
 * once (knex locks the migrations, an advisory lock the functions).
 */
export async function migrate(db: Database): Promise<void> {
  await db.knex.migrate.latest({ migrationSource, tableName: "knex_migrations" });
  await applyFunctions(db);
}
