import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

/**
 * Delivery of outbox events: each EC's webhook, and one delivery row per event and destination (the EC's
 * WEBHOOK, pagoPA's ACA) with its attempts, so one destination's failures never hold the other's. An
 * event is routed once (routed_at), when the worker first sees it: that is when it is decided where it
 * goes. `written_at` is the clock when the event got its id (created_at is its transaction's start): the ACA
 * feed holds back events written after the start of a transaction still running, which may yet commit an
 * event with a smaller id. The outbox's own delivery columns give way to the delivery rows.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE webhook (
      organization_fiscal_code varchar(11) PRIMARY KEY,
      url text NOT NULL,
      secret text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE delivery (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      outbox_id bigint NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
      destination varchar(8) NOT NULL CHECK (destination IN ('WEBHOOK', 'ACA')),
      organization_fiscal_code varchar(11) NOT NULL,
      position_id bigint,
      sequence integer,
      state varchar(10) NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DELIVERED', 'DEAD')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_attempt_at timestamptz,
      delivered_at timestamptz,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (outbox_id, destination)
    )`,
    `CREATE INDEX delivery_due_idx ON delivery (next_attempt_at) WHERE state = 'PENDING'`,
    `CREATE INDEX delivery_position_idx ON delivery (position_id, destination, sequence) WHERE state = 'PENDING'`,
    `CREATE INDEX delivery_dead_idx ON delivery (organization_fiscal_code, id) WHERE state = 'DEAD'`,
    `ALTER TABLE outbox ADD COLUMN routed_at timestamptz`,
    `ALTER TABLE outbox ADD COLUMN written_at timestamptz NOT NULL DEFAULT clock_timestamp()`,
    `CREATE INDEX outbox_unrouted_idx ON outbox (id) WHERE routed_at IS NULL`,
    `DROP INDEX outbox_pending_idx`,
    `ALTER TABLE outbox DROP COLUMN attempts`,
    `ALTER TABLE outbox DROP COLUMN next_attempt_at`,
    `ALTER TABLE outbox DROP COLUMN delivered_at`,
    `ALTER TABLE outbox DROP COLUMN last_error`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `ALTER TABLE outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0`,
    `ALTER TABLE outbox ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now()`,
    `ALTER TABLE outbox ADD COLUMN delivered_at timestamptz`,
    `ALTER TABLE outbox ADD COLUMN last_error text`,
    `CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE delivered_at IS NULL`,
    `DROP INDEX outbox_unrouted_idx`,
    `ALTER TABLE outbox DROP COLUMN written_at`,
    `ALTER TABLE outbox DROP COLUMN routed_at`,
    `DROP TABLE delivery`,
    `DROP TABLE webhook`,
  ]);
}
