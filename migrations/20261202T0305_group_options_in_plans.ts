import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

/**
 * A position holds payment options (GPD v3's word; payment_plan here), each a plan of one or more
 * installments (payment_option rows, which keep their notice numbers, amounts and transfers). A plan has
 * its own debtor (co-obligors), validity date, retention date and switchToExpired. Existing positions
 * become: each single payment its own plan, the installments of a position (isPartialPayment) one plan,
 * with the position's debtor and dates.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE payment_plan (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      payment_position_id bigint NOT NULL REFERENCES payment_position (id) ON DELETE CASCADE,
      -- the order the EC gave the options in, which reads keep
      ord smallint NOT NULL CHECK (ord >= 0 AND ord < 100),
      description varchar(140),
      debtor jsonb NOT NULL CHECK (jsonb_typeof(debtor) = 'object'),
      validity_date timestamptz,
      retention_date timestamptz,
      switch_to_expired boolean NOT NULL DEFAULT false,
      inserted_date timestamptz NOT NULL DEFAULT now(),
      -- the first option of a plan made from existing data, only while this migration runs
      seed_option_id bigint,
      CONSTRAINT payment_plan_position_ord_key UNIQUE (payment_position_id, ord)
    )`,
    `ALTER TABLE payment_option ADD COLUMN payment_plan_id bigint REFERENCES payment_plan (id) ON DELETE CASCADE`,
    `INSERT INTO payment_plan (payment_position_id, ord, debtor, validity_date, retention_date, switch_to_expired, inserted_date, seed_option_id)
     SELECT s.payment_position_id, row_number() OVER (PARTITION BY s.payment_position_id ORDER BY s.seed) - 1,
            jsonb_strip_nulls(jsonb_build_object('type', p.type, 'fiscalCode', p.fiscal_code, 'fullName', p.full_name,
              'streetName', p.street_name, 'civicNumber', p.civic_number, 'postalCode', p.postal_code, 'city', p.city,
              'province', p.province, 'region', p.region, 'country', p.country, 'email', p.email, 'phone', p.phone)),
            p.validity_date, s.retention_date, p.switch_to_expired, p.inserted_date, s.seed
       FROM (SELECT o.payment_position_id, o.id AS seed, o.retention_date FROM payment_option o WHERE NOT o.is_partial_payment
             UNION ALL
             SELECT o.payment_position_id, min(o.id), max(o.retention_date) FROM payment_option o WHERE o.is_partial_payment
              GROUP BY o.payment_position_id) s
       JOIN payment_position p ON p.id = s.payment_position_id`,
    `UPDATE payment_option o SET payment_plan_id = pl.id
       FROM payment_plan pl
      WHERE pl.seed_option_id = o.id
         OR (o.is_partial_payment AND pl.payment_position_id = o.payment_position_id
             AND pl.seed_option_id = (SELECT min(x.id) FROM payment_option x
                                       WHERE x.payment_position_id = o.payment_position_id AND x.is_partial_payment))`,
    `ALTER TABLE payment_plan DROP COLUMN seed_option_id`,
    `ALTER TABLE payment_option ALTER COLUMN payment_plan_id SET NOT NULL`,
    `CREATE INDEX payment_option_plan_idx ON payment_option (payment_plan_id)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `ALTER TABLE payment_option DROP COLUMN payment_plan_id`,
    `DROP TABLE payment_plan`,
  ]);
}
