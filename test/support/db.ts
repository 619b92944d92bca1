/**
 * One database for the whole test run: PostgreSQL when TEST_DATABASE_URL is set, otherwise an
 * in-memory PGlite. Migrated once; tests reset it by truncation.
 */
import { openDatabase, type Database } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const onPostgres = TEST_DATABASE_URL !== undefined;

/** Skips the calling test or hook on PGlite and says so, with what it needs of PostgreSQL. */
export function skipUnlessPostgres(context: Mocha.Context, why?: string): void {
  if (onPostgres) return;
  console.log(`      skipped: needs PostgreSQL (set TEST_DATABASE_URL)${why ? `; ${why}` : ""}`);
  context.skip();
}

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
  await db.query("TRUNCATE payment_position, payment_option, transfer, receipt, rejected_receipt, outbox, service_enrolment, service RESTART IDENTITY CASCADE");
}

export async function closeTestDatabase(): Promise<void> {
  if (opened) await (await opened).close();
  opened = undefined;
}

/** Before the payment date of the tests' receipts (2026-11-20), so a payment is late whenever it is sent. */
export const PAST_DUE_DATE = "2025-12-31T22:59:59.999Z";

/** Moves a position's validity date (and that of its plans, which v1 copies it to) into the past, as time passing would. */
export async function passValidityDate(ec: string, iupd: string): Promise<void> {
  const db = await testDatabase();
  await db.query(
    `WITH p AS (UPDATE payment_position SET validity_date = now() - interval '1 minute' WHERE organization_fiscal_code = $1 AND iupd = $2 RETURNING id)
     UPDATE payment_plan SET validity_date = now() - interval '1 minute' WHERE payment_position_id IN (SELECT id FROM p)`,
    [ec, iupd],
  );
}

/** Moves a notice's due date (and its position's last one) into the past, as time passing would. */
export async function expireNotice(ec: string, nav: string, iupd: string): Promise<void> {
  const db = await testDatabase();
  await db.query("UPDATE payment_option SET due_date = $3 WHERE organization_fiscal_code = $1 AND nav = $2", [ec, nav, PAST_DUE_DATE]);
  await db.query("UPDATE payment_position SET max_due_date = $3 WHERE organization_fiscal_code = $1 AND iupd = $2", [ec, iupd, PAST_DUE_DATE]);
}
