import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

/**
 * Receipts the station had to refuse because they break the schema (answered PAA_SINTASSI_XSD, so the
 * Node retries them). The body is kept, so a payment is never invisible to the EC even while its receipt
 * cannot be read; the Node's retries of the same body count as attempts of one row.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE rejected_receipt (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organization_fiscal_code varchar(11) NOT NULL,
      -- as far as they could be read from the refused body
      receipt_id text,
      notice_number text,
      primitive_version smallint NOT NULL CHECK (primitive_version IN (1, 2)),
      reason text NOT NULL,
      raw_body text NOT NULL,
      body_hash text NOT NULL,
      attempts integer NOT NULL DEFAULT 1,
      first_received_at timestamptz NOT NULL DEFAULT now(),
      last_received_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT rejected_receipt_ec_body_key UNIQUE (organization_fiscal_code, body_hash)
    )`,
    "CREATE INDEX rejected_receipt_ec_last_idx ON rejected_receipt (organization_fiscal_code, last_received_at)",
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ["DROP TABLE rejected_receipt"]);
}
