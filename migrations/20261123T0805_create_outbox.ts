import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_type varchar(64) NOT NULL,
      organization_fiscal_code varchar(11) NOT NULL,
      aggregate_type varchar(32) NOT NULL,
      aggregate_id text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz,
      last_error text
    )`,
    `CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE delivered_at IS NULL`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP TABLE outbox");
}
