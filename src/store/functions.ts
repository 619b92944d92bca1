/**
 * The payment functions (src/store/sql, one file each) are code, not schema: this step applies them
 * after the migrations, the way Flyway applies repeatable migrations. Each file is tracked by the
 * SHA-256 of its text; a file whose text changed is dropped and created again, so a change of
 * signature or return type needs nothing more than editing the file. Everything runs in one
 * transaction under an advisory lock, so instances starting together apply each change once and
 * sessions already running see the old functions or the new ones, never a mix.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { projectFile } from "../projectFiles.ts";
import type { Database, Sql } from "./db.ts";

/**
 * In the order they are created. A SQL-language function's body is checked against what it calls
 * when it is created, so a function comes after those it uses.
 */
export const FUNCTION_NAMES = [
  "stazione_event_in_aca_feed",
  "stazione_emit_events",
  "stazione_emit_event",
  "stazione_emit_position_events",
  "stazione_emit_receipt_events",
  "stazione_position_status",
  "stazione_blocker",
  "stazione_notice_state",
  "stazione_lock_notice",
  "stazione_lock_notice_numbers",
  "stazione_receipt_flags",
  "stazione_pay_option",
  "stazione_activate",
  "stazione_verify_notices",
  "stazione_record_receipt",
  "stazione_apply_waiting_receipts",
  "stazione_insert_positions",
  "stazione_report_transfer",
  "stazione_advance_positions",
  "stazione_release_locks",
] as const;

export interface FunctionSource {
  name: string;
  /** One CREATE FUNCTION statement. */
  text: string;
}

export function functionSources(): FunctionSource[] {
  return FUNCTION_NAMES.map((name) => ({ name, text: readFileSync(projectFile("src/store/sql", `${name}.sql`), "utf8") }));
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Drops every overload of a function of the current schema (the old signature may differ from the new). */
async function dropFunction(tx: Sql, name: string): Promise<void> {
  const overloads = await tx.query<{ signature: string }>(
    `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p
      WHERE p.proname = $1 AND p.pronamespace = current_schema()::regnamespace`,
    [name],
  );
  // the signature comes from the catalogue (regprocedure quotes what needs quoting)
  for (const { signature } of overloads) await tx.query(`DROP FUNCTION ${signature}`);
}

/**
 * Brings the functions in line with `sources` and returns the names it (re)created. A changed function
 * is re-created with every function after it (which may depend on it); a tracked function no longer
 * among the sources is dropped.
 */
export async function applyFunctions(db: Database, sources: readonly FunctionSource[] = functionSources()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('stazione_sql_function'))");
    await tx.query(
      `CREATE TABLE IF NOT EXISTS stazione_sql_function (
         name text PRIMARY KEY,
         sha256 text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const tracked = new Map((await tx.query<{ name: string; sha256: string }>("SELECT name, sha256 FROM stazione_sql_function")).map((r) => [r.name, r.sha256]));
    const firstChanged = sources.findIndex((s) => tracked.get(s.name) !== sha256(s.text));
    const changed = firstChanged < 0 ? [] : sources.slice(firstChanged);
    const gone = [...tracked.keys()].filter((name) => !sources.some((s) => s.name === name));
    // dependents first, so nothing that another function depends on is dropped before it
    for (const name of [...gone, ...changed.map((s) => s.name).reverse()]) await dropFunction(tx, name);
    if (gone.length > 0) await tx.query("DELETE FROM stazione_sql_function WHERE name = ANY($1::text[])", [gone]);
    for (const source of changed) {
      await tx.query(source.text);
      await tx.query(
        `INSERT INTO stazione_sql_function (name, sha256) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, applied_at = now()`,
        [source.name, sha256(source.text)],
      );
    }
    return changed.map((s) => s.name);
  });
}
