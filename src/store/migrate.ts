import { migrationSource } from "../../migrations/index.ts";
import type { Database } from "./db.ts";

/** Brings the schema up to date; safe to run from several instances at once (knex takes a lock). */
export async function migrate(db: Database): Promise<void> {
  await db.knex.migrate.latest({ migrationSource, tableName: "knex_migrations" });
}
