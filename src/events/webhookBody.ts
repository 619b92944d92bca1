/**
 * The webhook's body and headers for one event: the event as written, with the position, the option
 * and the receipt as they stand when it is delivered (README, "Notifications and the ACA feed").
 */
import { createHmac } from "node:crypto";
import { EventType } from "../domain/events.ts";
import { isoTimestamp } from "../domain/time.ts";
import { positionToApi, receiptToApi } from "../rest/converters.ts";
import type { Sql } from "../store/db.ts";
import type { OutboxEvent } from "../store/deliveries.ts";
import { getPosition } from "../store/positions.ts";
import { getReceipt } from "../store/receipts.ts";

type ApiPosition = ReturnType<typeof positionToApi>;

/** What a webhook body carries besides the event and the position, by event type. */
function attachments(type: EventType): { option: boolean; receipt: boolean } {
  switch (type) {
    case EventType.CREATED:
    case EventType.UPDATED:
    case EventType.PUBLISHED:
    case EventType.VALID:
    case EventType.INVALIDATED:
    case EventType.EXPIRED:
    case EventType.DELETED:
      return { option: false, receipt: false };
    case EventType.ACTIVATED:
      return { option: true, receipt: false };
    case EventType.PAID:
    case EventType.PARTIALLY_PAID:
    case EventType.RECEIPT_STORED:
    case EventType.RECEIPT_APPLIED:
    case EventType.DOUBLE_PAYMENT:
    case EventType.RECEIPT_QUARANTINED:
      return { option: true, receipt: true };
  }
}

const isEventType = (type: string): type is EventType => Object.hasOwn(EventType, type);

/** The position the event is about as it stands now, in GPD's v1 JSON; null when it is gone (deleted) or there is none. */
export async function currentPosition(db: Sql, event: OutboxEvent): Promise<ApiPosition | null> {
  if (event.positionId === null) return null;
  // by id, so a position deleted and created again under the same IUPD is not taken for the old one
  const [row] = await db.query<{ iupd: string }>("SELECT iupd FROM payment_position WHERE id = $1", [event.positionId]);
  const position = row && (await getPosition(db, event.organizationFiscalCode, row.iupd));
  return position ? positionToApi(position) : null;
}

export async function webhookBody(db: Sql, event: OutboxEvent): Promise<Record<string, unknown>> {
  const position = await currentPosition(db, event);
  const wants = isEventType(event.type) ? attachments(event.type) : { option: false, receipt: false };
  const { noticeNumber, receiptId } = event.payload as { noticeNumber?: string; receiptId?: string | null };
  const body: Record<string, unknown> = {
    eventId: event.eventId,
    type: event.type,
    occurredAt: isoTimestamp(new Date(event.occurredAt)),
    organizationFiscalCode: event.organizationFiscalCode,
    iupd: event.iupd,
    sequence: event.sequence,
    event: event.payload,
    position,
  };
  if (wants.option) body.option = position?.paymentOption.find((o) => o.nav === noticeNumber) ?? null;
  if (wants.receipt) {
    const receipt = receiptId ? await getReceipt(db, event.organizationFiscalCode, receiptId) : undefined;
    body.receipt = receipt ? receiptToApi(receipt) : null;
  }
  return body;
}

/** `sha256=<hex HMAC-SHA256 of the raw body with the secret>`. */
export const signature = (rawBody: string, secret: string) => `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;

/** The same on every attempt of one event to one destination, so a receiver can drop repeats. */
export const idempotencyKey = (eventId: number, suffix?: string) => `stazione-${eventId}${suffix ? `-${suffix}` : ""}`;
