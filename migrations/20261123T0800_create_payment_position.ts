import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE payment_position (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organization_fiscal_code varchar(11) NOT NULL CHECK (organization_fiscal_code ~ '^[0-9]{11}$'),
      iupd varchar(70) NOT NULL,
      type char(1) NOT NULL CHECK (type IN ('F', 'G')),
      fiscal_code varchar(16) NOT NULL,
      full_name varchar(70) NOT NULL,
      street_name varchar(70),
      civic_number varchar(16),
      postal_code varchar(16),
      city varchar(35),
      province varchar(35),
      region varchar(35),
      country char(2),
      email varchar(256),
      phone varchar(35),
      company_name varchar(140) NOT NULL,
      office_name varchar(140),
      validity_date timestamptz,
      max_due_date timestamptz NOT NULL,
      switch_to_expired boolean NOT NULL DEFAULT false,
      pay_stand_in boolean NOT NULL DEFAULT true,
      status varchar(16) NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'VALID', 'INVALID', 'EXPIRED', 'PARTIALLY_PAID', 'PAID', 'REPORTED')),
      inserted_date timestamptz NOT NULL DEFAULT now(),
      publish_date timestamptz,
      last_updated_date timestamptz NOT NULL DEFAULT now(),
      payment_date timestamptz,
      version integer NOT NULL DEFAULT 0,
      CONSTRAINT payment_position_ec_iupd_key UNIQUE (organization_fiscal_code, iupd)
    )`,
    `CREATE INDEX payment_position_ec_inserted_idx ON payment_position (organization_fiscal_code, inserted_date)`,
    `CREATE INDEX payment_position_ec_payment_date_idx ON payment_position (organization_fiscal_code, payment_date) WHERE payment_date IS NOT NULL`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP TABLE payment_position");
}
