import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE payment_option (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      payment_position_id bigint NOT NULL REFERENCES payment_position (id) ON DELETE CASCADE,
      organization_fiscal_code varchar(11) NOT NULL,
      iuv varchar(35) NOT NULL,
      nav varchar(18) NOT NULL CHECK (nav ~ '^[0-9]{18}$'),
      amount bigint NOT NULL CHECK (amount > 0 AND amount <= 99999999999),
      description varchar(140) NOT NULL,
      is_partial_payment boolean NOT NULL,
      due_date timestamptz NOT NULL,
      retention_date timestamptz,
      fee bigint NOT NULL DEFAULT 0 CHECK (fee >= 0),
      notification_fee bigint NOT NULL DEFAULT 0 CHECK (notification_fee >= 0),
      status varchar(24) NOT NULL DEFAULT 'PO_UNPAID' CHECK (status IN ('PO_UNPAID', 'PO_PAID', 'PO_PARTIALLY_REPORTED', 'PO_REPORTED')),
      metadata jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(metadata) = 'array' AND jsonb_array_length(metadata) <= 10),
      -- set by paGetPayment: the option is being paid until lock_until, for locked_amount
      lock_until timestamptz,
      locked_amount bigint,
      payment_date timestamptz,
      payment_method varchar(35),
      psp_company varchar(70),
      id_receipt text,
      inserted_date timestamptz NOT NULL DEFAULT now(),
      last_updated_date timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT payment_option_ec_iuv_key UNIQUE (organization_fiscal_code, iuv),
      -- also the index of the SOAP lookup by (EC, notice number)
      CONSTRAINT payment_option_ec_nav_key UNIQUE (organization_fiscal_code, nav)
    )`,
    `CREATE INDEX payment_option_position_idx ON payment_option (payment_position_id)`,
    `CREATE INDEX payment_option_ec_due_date_idx ON payment_option (organization_fiscal_code, due_date)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP TABLE payment_option");
}
