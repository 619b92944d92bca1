import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE service (
      id varchar(5) PRIMARY KEY,
      name varchar(140) NOT NULL,
      description varchar(512) NOT NULL,
      category varchar(70) NOT NULL,
      taxonomy varchar(140) NOT NULL,
      -- JSON Schema of the input data a citizen gives
      input_schema jsonb NOT NULL,
      -- how the amount is priced: {"kind":"fixed","amount":...} or a rule over the input
      pricing jsonb NOT NULL,
      inserted_date timestamptz NOT NULL DEFAULT now(),
      last_updated_date timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE service_enrolment (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organization_fiscal_code varchar(11) NOT NULL CHECK (organization_fiscal_code ~ '^[0-9]{11}$'),
      service_id varchar(5) NOT NULL REFERENCES service (id),
      iban varchar(35) NOT NULL,
      postal_iban varchar(35),
      office_name varchar(140),
      remittance_text varchar(140) NOT NULL,
      pricing_endpoint text,
      pricing_timeout_ms integer CHECK (pricing_timeout_ms > 0),
      inserted_date timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT service_enrolment_ec_service_key UNIQUE (organization_fiscal_code, service_id)
    )`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ["DROP TABLE service_enrolment", "DROP TABLE service"]);
}
