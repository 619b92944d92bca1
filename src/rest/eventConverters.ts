/** Event delivery's store types to the REST API's JSON. */
import { isoTimestamp } from "../domain/time.ts";
import type { DeadLetter, DeliveryStatus, OutboxEvent } from "../store/deliveries.ts";

const ts = (value: string) => isoTimestamp(new Date(value));

/** An ACA feed entry: the event with its notices (an option event's one notice: number, IUV, amount). */
export function acaEventToApi(e: OutboxEvent) {
  const { notices, noticeNumber, iuv, amount, positionStatus, companyName } = e.payload as {
    notices?: unknown[]; noticeNumber?: string; iuv?: string; amount?: number; positionStatus?: string; companyName?: string;
  };
  return {
    id: e.eventId,
    type: e.type,
    organizationFiscalCode: e.organizationFiscalCode,
    iupd: e.iupd,
    sequence: e.sequence,
    occurredAt: ts(e.occurredAt),
    positionStatus,
    companyName,
    notices: notices ?? (noticeNumber === undefined ? [] : [{ noticeNumber, iuv, amount }]),
  };
}

export function deadLetterToApi(d: DeadLetter) {
  return { ...d, occurredAt: ts(d.occurredAt), lastAttemptAt: d.lastAttemptAt === null ? null : ts(d.lastAttemptAt) };
}

export function deliveryStatusToApi(s: DeliveryStatus, now: Date) {
  return {
    ...s,
    oldestUndeliveredAt: s.oldestUndeliveredAt === null ? null : ts(s.oldestUndeliveredAt),
    oldestUndeliveredAgeSeconds: s.oldestUndeliveredAt === null ? null : Math.max(0, (now.getTime() - new Date(s.oldestUndeliveredAt).getTime()) / 1000),
  };
}
