/**
 * The outbox's event types: one per state change, written by the change's own transaction
 * (stazione_emit_event). The README lists them with their payloads.
 */
export const EventType = {
  CREATED: "CREATED",
  UPDATED: "UPDATED",
  PUBLISHED: "PUBLISHED",
  VALID: "VALID",
  INVALIDATED: "INVALIDATED",
  EXPIRED: "EXPIRED",
  DELETED: "DELETED",
  ACTIVATED: "ACTIVATED",
  PAID: "PAID",
  PARTIALLY_PAID: "PARTIALLY_PAID",
  RECEIPT_STORED: "RECEIPT_STORED",
  RECEIPT_APPLIED: "RECEIPT_APPLIED",
  DOUBLE_PAYMENT: "DOUBLE_PAYMENT",
  RECEIPT_QUARANTINED: "RECEIPT_QUARANTINED",
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** The events of a position's lifecycle, whose payload tells the whole position (its notices). */
export type LifecycleEvent = Extract<EventType, "CREATED" | "UPDATED" | "PUBLISHED" | "VALID" | "INVALIDATED" | "EXPIRED" | "DELETED">;
