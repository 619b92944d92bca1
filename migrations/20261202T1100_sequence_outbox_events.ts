import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

/**
 * Outbox events tied to their position: a per-position sequence (the order a receiver must apply them in,
 * kept by the position's own counter, under its row lock), the position's id and IUPD (kept after the
 * position is deleted, so no foreign key), and whether the event belongs to the ACA notice feed.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `ALTER TABLE payment_position ADD COLUMN event_sequence integer NOT NULL DEFAULT 0`,
    `ALTER TABLE outbox ADD COLUMN position_id bigint`,
    `ALTER TABLE outbox ADD COLUMN iupd varchar(70)`,
    `ALTER TABLE outbox ADD COLUMN sequence integer`,
    `ALTER TABLE outbox ADD COLUMN aca boolean NOT NULL DEFAULT false`,
    `ALTER TABLE outbox ADD CONSTRAINT outbox_position_sequence_key UNIQUE (position_id, sequence)`,
    `CREATE INDEX outbox_aca_idx ON outbox (organization_fiscal_code, id) WHERE aca`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `DROP INDEX outbox_aca_idx`,
    `ALTER TABLE outbox DROP CONSTRAINT outbox_position_sequence_key`,
    `ALTER TABLE outbox DROP COLUMN aca`,
    `ALTER TABLE outbox DROP COLUMN sequence`,
    `ALTER TABLE outbox DROP COLUMN iupd`,
    `ALTER TABLE outbox DROP COLUMN position_id`,
    `ALTER TABLE payment_position DROP COLUMN event_sequence`,
  ]);
}
