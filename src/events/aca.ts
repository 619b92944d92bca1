/**
 * ACA push: an event on the ACA feed as calls of pagoPA's paCreatePosition (NewDebtPositionRequest), one
 * per notice. ACA keeps what a notice can be paid for when the EC cannot answer (Stand-In): a notice that
 * can no longer be paid (invalidated, expired, deleted, paid) is sent with amount 0, which ACA reads as
 * invalidated; a notice not yet payable (draft, published before its validity date) is not sent at all.
 */
import { EventType } from "../domain/events.ts";
import { isoTimestamp } from "../domain/time.ts";
import { PositionStatus } from "../domain/states.ts";
import type { OutboxEvent } from "../store/deliveries.ts";
import type { currentPosition } from "./webhookBody.ts";

/** pagoPA ACA's NewDebtPositionRequest (pagopa-aca, POST /paCreatePosition). */
export interface NewDebtPositionRequest {
  paFiscalCode: string;
  entityType: "F" | "G";
  entityFiscalCode: string;
  entityFullName: string;
  iuv: string;
  nav: string;
  /** Euro cents; 0 invalidates the notice on ACA. */
  amount: number;
  description: string;
  expirationDate: string;
}

/** A notice as position lifecycle events carry it (outbox payload `notices`). */
interface PayloadNotice {
  noticeNumber: string;
  iuv: string;
  amount: number;
  dueDate: string;
  description: string;
  debtorType: "F" | "G";
  debtorFiscalCode: string;
  debtorFullName: string;
}

type Position = NonNullable<Awaited<ReturnType<typeof currentPosition>>>;

/** Whether the notices of a position in this status can be paid now (else ACA gets amount 0), or are not ACA's yet. */
function payability(status: PositionStatus): "payable" | "closed" | "not yet" {
  switch (status) {
    case PositionStatus.DRAFT:
    case PositionStatus.PUBLISHED:
      return "not yet";
    case PositionStatus.VALID:
    case PositionStatus.PARTIALLY_PAID:
      return "payable";
    case PositionStatus.INVALID:
    case PositionStatus.EXPIRED:
    case PositionStatus.PAID:
    case PositionStatus.REPORTED:
      return "closed";
  }
}

const CLOSING_EVENTS: readonly string[] = [EventType.INVALIDATED, EventType.EXPIRED, EventType.DELETED];
const PAYMENT_EVENTS: readonly string[] = [EventType.PAID, EventType.PARTIALLY_PAID];

const request = (ec: string, n: PayloadNotice, amount: number): NewDebtPositionRequest => ({
  paFiscalCode: ec,
  entityType: n.debtorType,
  entityFiscalCode: n.debtorFiscalCode,
  entityFullName: n.debtorFullName,
  iuv: n.iuv,
  nav: n.noticeNumber,
  amount,
  description: n.description,
  expirationDate: isoTimestamp(new Date(n.dueDate)),
});

/** The paid notice, as the position now describes it (a payment event's payload names only the notice). */
function paidNotice(position: Position | null, noticeNumber: string | undefined): PayloadNotice | undefined {
  const option = position?.paymentOption.find((o) => o.nav === noticeNumber);
  if (!position || !option) return undefined;
  return {
    noticeNumber: option.nav, iuv: option.iuv, amount: option.amount, dueDate: option.dueDate!, description: option.description,
    debtorType: position.type as "F" | "G", debtorFiscalCode: position.fiscalCode, debtorFullName: position.fullName,
  };
}

/** The paCreatePosition calls an ACA event makes; none when it has nothing ACA needs. */
export function acaRequests(event: OutboxEvent, position: Position | null): NewDebtPositionRequest[] {
  const payload = event.payload as { notices?: PayloadNotice[]; positionStatus?: PositionStatus; noticeNumber?: string };
  const ec = event.organizationFiscalCode;
  if (PAYMENT_EVENTS.includes(event.type)) {
    const notice = paidNotice(position, payload.noticeNumber);
    return notice ? [request(ec, notice, 0)] : [];
  }
  const state = payload.positionStatus === undefined ? "payable" : payability(payload.positionStatus);
  if (state === "not yet") return [];
  const closed = state === "closed" || CLOSING_EVENTS.includes(event.type);
  return (payload.notices ?? []).map((n) => request(ec, n, closed ? 0 : n.amount));
}
