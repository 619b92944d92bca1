import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE receipt (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      -- the EC the Node sent the receipt to (idPA): with a multi-beneficiary payment each EC gets its own
      organization_fiscal_code varchar(11) NOT NULL,
      receipt_id text NOT NULL,
      notice_number varchar(18) NOT NULL,
      -- the EC that issued the notice (receipt/fiscalCode)
      notice_fiscal_code varchar(11) NOT NULL,
      payment_option_id bigint REFERENCES payment_option (id) ON DELETE SET NULL,
      primitive_version smallint NOT NULL CHECK (primitive_version IN (1, 2)),
      payment_amount bigint NOT NULL CHECK (payment_amount >= 0),
      payment_date_time timestamptz,
      -- the receipt as parsed (camelCase, cents), every known element kept
      receipt jsonb NOT NULL,
      -- why the EC should look at it: DOUBLE_PAYMENT, PAID_ON_INVALID, PAID_AFTER_EXPIRY, UNKNOWN_NOTICE,
      -- AMOUNT_MISMATCH, STATION_MISMATCH, SECONDARY_BENEFICIARY, STAND_IN
      flags text[] NOT NULL DEFAULT '{}',
      -- the SOAP body exactly as received, for audit
      raw_body text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT receipt_ec_receipt_id_key UNIQUE (organization_fiscal_code, receipt_id)
    )`,
    `CREATE INDEX receipt_option_idx ON receipt (payment_option_id)`,
    `CREATE INDEX receipt_ec_notice_idx ON receipt (organization_fiscal_code, notice_number)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP TABLE receipt");
}
