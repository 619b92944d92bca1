import { migrationSource } from "../../migrations/index.ts";
import type { Database } from "./db.ts";
import { applyFunctions } from "./functions.ts";

/**
 * Brings the schema up to date, then the payment functions; safe to run from several instances at
 * once (knex locks the migrations, an advisory lock the functions). Knex is loaded only when the
 * database has not run exactly this build's migrations: an ordinary start skips it.
 */
export async function migrate(db: Database): Promise<void> {
  if (!(await hasRunExactly(db, await migrationSource.getMigrations([])))) {
    await (await db.migrator()).migrate.latest({ migrationSource, tableName: "knex_migrations" });
  }
  await applyFunctions(db);
}

/** Whether knex's record of the migrations run names exactly `migrations` (any difference is knex's to handle). */
async function hasRunExactly(db: Database, migrations: readonly string[]): Promise<boolean> {
  const [table] = await db.query<{ present: boolean }>("SELECT to_regclass('knex_migrations') IS NOT NULL AS present");
  if (!table!.present) return false;
  const run = new Set((await db.query<{ name: string }>("SELECT name FROM knex_migrations")).map((r) => r.name));
  return run.size === migrations.length && migrations.every((name) => run.has(name));
}
