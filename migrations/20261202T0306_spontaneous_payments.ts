import type { Knex } from "knex";
import { up as createFirstCatalogue } from "./20261123T0804_create_service_catalogue.ts";
import { runStatements } from "./helpers.ts";

/**
 * Spontaneous payments as GPS shapes them: the catalogue and the enrolments (replacing the first,
 * never used, draft of those tables), the demands that made a notice (so a repeated demand answers
 * the same notice) and the mark on the positions they created.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `DROP TABLE service_enrolment`,
    `DROP TABLE service`,
    `CREATE TABLE service (
      id varchar(5) PRIMARY KEY,
      name varchar(140) NOT NULL,
      description varchar(512) NOT NULL,
      transfer_category varchar(140) NOT NULL,
      status varchar(8) NOT NULL CHECK (status IN ('ENABLED', 'DISABLED')),
      endpoint varchar(512),
      base_path varchar(512),
      -- [{name, type STRING|NUMBER, required}]
      properties jsonb NOT NULL,
      -- {"amount": cents} or {"tariff": {property, values, default}}; null: priced by endpoint + base_path
      price jsonb,
      due_in_days integer NOT NULL CHECK (due_in_days BETWEEN 1 AND 366),
      inserted_date timestamptz NOT NULL DEFAULT now(),
      last_updated_date timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX service_category_idx ON service (transfer_category)`,
    `CREATE TABLE service_enrolment (
      organization_fiscal_code varchar(11) NOT NULL CHECK (organization_fiscal_code ~ '^[0-9]{11}$'),
      service_id varchar(5) NOT NULL REFERENCES service (id),
      iban varchar(35) NOT NULL,
      postal_iban varchar(35),
      company_name varchar(140),
      office_name varchar(140),
      segregation_code char(2) NOT NULL CHECK (segregation_code ~ '^[0-9]{2}$'),
      remittance_information varchar(140) NOT NULL,
      inserted_date timestamptz NOT NULL DEFAULT now(),
      last_updated_date timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organization_fiscal_code, service_id)
    )`,
    `CREATE INDEX service_enrolment_service_idx ON service_enrolment (service_id)`,
    `ALTER TABLE payment_position ADD COLUMN spontaneous boolean NOT NULL DEFAULT false`,
    `CREATE TABLE spontaneous_demand (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organization_fiscal_code varchar(11) NOT NULL,
      -- SHA-256 (hex) of the service id, the properties and the debtor
      demand_key char(64) NOT NULL,
      payment_position_id bigint NOT NULL REFERENCES payment_position (id) ON DELETE CASCADE,
      inserted_date timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX spontaneous_demand_key_idx ON spontaneous_demand (organization_fiscal_code, demand_key, inserted_date)`,
    `CREATE INDEX spontaneous_demand_position_idx ON spontaneous_demand (payment_position_id)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ["DROP TABLE spontaneous_demand", "ALTER TABLE payment_position DROP COLUMN spontaneous", "DROP TABLE service_enrolment", "DROP TABLE service"]);
  await createFirstCatalogue(knex);
}
