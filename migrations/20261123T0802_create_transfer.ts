import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE transfer (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      payment_option_id bigint NOT NULL REFERENCES payment_option (id) ON DELETE CASCADE,
      id_transfer char(1) NOT NULL CHECK (id_transfer IN ('1', '2', '3', '4', '5')),
      organization_fiscal_code varchar(11) NOT NULL CHECK (organization_fiscal_code ~ '^[0-9]{11}$'),
      company_name varchar(140),
      amount bigint NOT NULL CHECK (amount > 0),
      remittance_information varchar(140) NOT NULL,
      category varchar(140) NOT NULL,
      iban varchar(35),
      postal_iban varchar(35),
      stamp_hash_document varchar(72),
      stamp_type char(2),
      stamp_provincial_residence char(2),
      metadata jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(metadata) = 'array' AND jsonb_array_length(metadata) <= 10),
      status varchar(16) NOT NULL DEFAULT 'T_UNREPORTED' CHECK (status IN ('T_UNREPORTED', 'T_REPORTED')),
      inserted_date timestamptz NOT NULL DEFAULT now(),
      last_updated_date timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT transfer_option_id_transfer_key UNIQUE (payment_option_id, id_transfer),
      CONSTRAINT transfer_iban_xor_stamp CHECK ((iban IS NULL) <> (stamp_hash_document IS NULL)),
      CONSTRAINT transfer_postal_iban_beside_iban CHECK (postal_iban IS NULL OR iban IS NOT NULL),
      CONSTRAINT transfer_stamp_complete CHECK (
        (stamp_hash_document IS NULL) = (stamp_type IS NULL) AND (stamp_type IS NULL) = (stamp_provincial_residence IS NULL))
    )`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP TABLE transfer");
}
