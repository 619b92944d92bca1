/**
 * The migration list, in order. Listed explicitly (not discovered on disk) so they run the same
 * under tsx, a bundler or a compiled build. Append new ones; never edit one that has shipped.
 */
import type { Knex } from "knex";
import * as createPaymentPosition from "./20261123T0800_create_payment_position.ts";
import * as createPaymentOption from "./20261123T0801_create_payment_option.ts";
import * as createTransfer from "./20261123T0802_create_transfer.ts";
import * as createReceipt from "./20261123T0803_create_receipt.ts";
import * as createServiceCatalogue from "./20261123T0804_create_service_catalogue.ts";
import * as createOutbox from "./20261123T0805_create_outbox.ts";
import * as createPaymentFunctions from "./20261123T0806_create_payment_functions.ts";
import * as compressReceiptsWithLz4 from "./20261123T0807_compress_receipts_with_lz4.ts";
import * as leaveRoomForHotUpdates from "./20261123T0808_leave_room_for_hot_updates.ts";
import * as createRejectedReceipt from "./20261123T0809_create_rejected_receipt.ts";
import * as groupOptionsInPlans from "./20261202T0305_group_options_in_plans.ts";
import * as spontaneousPayments from "./20261202T0306_spontaneous_payments.ts";
import * as createTestScenario from "./20261202T0307_create_test_scenario.ts";
import * as sequenceOutboxEvents from "./20261202T1100_sequence_outbox_events.ts";
import * as indexScheduledTransitions from "./20261202T1200_index_scheduled_transitions.ts";
import * as deliverEvents from "./20261202T1300_deliver_events.ts";
import * as sealWebhookSecrets from "./20261207T2300_seal_webhook_secrets.ts";

const migrations: Record<string, Knex.Migration> = {
  "20261123T0800_create_payment_position": createPaymentPosition,
  "20261123T0801_create_payment_option": createPaymentOption,
  "20261123T0802_create_transfer": createTransfer,
  "20261123T0803_create_receipt": createReceipt,
  "20261123T0804_create_service_catalogue": createServiceCatalogue,
  "20261123T0805_create_outbox": createOutbox,
  "20261123T0806_create_payment_functions": createPaymentFunctions,
  "20261123T0807_compress_receipts_with_lz4": compressReceiptsWithLz4,
  "20261123T0808_leave_room_for_hot_updates": leaveRoomForHotUpdates,
  "20261123T0809_create_rejected_receipt": createRejectedReceipt,
  "20261202T0305_group_options_in_plans": groupOptionsInPlans,
  "20261202T0306_spontaneous_payments": spontaneousPayments,
  "20261202T0307_create_test_scenario": createTestScenario,
  "20261202T1100_sequence_outbox_events": sequenceOutboxEvents,
  "20261202T1200_index_scheduled_transitions": indexScheduledTransitions,
  "20261202T1300_deliver_events": deliverEvents,
  "20261207T2300_seal_webhook_secrets": sealWebhookSecrets,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
