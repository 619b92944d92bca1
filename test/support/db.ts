/**
 * One database for the whole test run: PostgreSQL when TEST_DATABASE_URL is set, otherwise an
 * in-memory PGlite. Migrated once; tests reset it by truncation.
 */
import { openDatabase, type Database } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const onPostgres = TEST_DATABASE_URL !== undefined;

let opened: Promise<Database> | undefined;

async function open(): Promise<Database> {
  const db = await openDatabase({ url: TEST_DATABASE_URL, dataDir: "memory://", poolSize: 10, connectTimeoutMs: 5000, statementTimeoutMs: 30_000, applicationName: "stazione-tests" });
  if (onPostgres) {
    // A clean schema each run, so a migration change never meets a stale table.
    await db.query("DROP SCHEMA IF EXISTS public CASCADE");
    await db.query("CREATE SCHEMA public");
  }
  await migrate(db);
  return db;
}

export function testDatabase(): Promise<Database> {
  opened ??= open();
  return opened;
}

export async function resetDatabase(): Promise<void> {
  const db = await testDatabase();
  await db.query("TRUNCATE payment_position, payment_option, transfer, receipt, outbox, service_enrolment, service RESTART IDENTITY CASCADE");
}

export async function closeTestDatabase(): Promise<void> {
  if (opened) await (await opened).close();
  opened = undefined;
}
