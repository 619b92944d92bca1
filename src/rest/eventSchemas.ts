/** JSON Schemas of the event delivery API: webhooks, dead letters, the ACA feed and the delivery status. */

const FISCAL_CODE = { type: "string", pattern: "^[0-9]{11}$" } as const;
const TIMESTAMP = { type: "string", description: "ISO 8601 with an offset" } as const;
const NULLABLE_TEXT = { description: "a string, or null" } as const;
const NULLABLE_INTEGER = { description: "an integer, or null (no position)" } as const;

export const webhookPut = {
  $id: "webhook-put",
  type: "object",
  additionalProperties: false,
  required: ["url", "secret"],
  properties: {
    url: { type: "string", maxLength: 2000, pattern: "^https?://[^\\s/?#]+([/?#]\\S*)?$", description: "http(s) URL the events are POSTed to; private, loopback and link-local targets are refused unless WEBHOOK_ALLOW_PRIVATE=on" },
    secret: { type: "string", minLength: 16, maxLength: 256, description: "signs each body (X-Stazione-Signature); never shown again" },
  },
} as const;

export const webhookResponse = {
  $id: "webhook-response",
  type: "object",
  required: ["url", "createdAt", "updatedAt"],
  properties: { url: { type: "string" }, createdAt: TIMESTAMP, updatedAt: TIMESTAMP },
} as const;

export const deadLettersList = {
  $id: "dead-letters-list",
  type: "object",
  properties: {
    page: { type: "integer", minimum: 0, maximum: 100_000, default: 0, description: "0-based" },
    limit: { type: "integer", minimum: 1, maximum: 100, default: 20 },
  },
} as const;

export const deadLettersRedeliverQuery = {
  $id: "dead-letters-redeliver-query",
  type: "object",
  additionalProperties: false,
  properties: { destination: { type: "string", enum: ["WEBHOOK", "ACA"], description: "only the dead letters of this destination (every one when absent)" } },
} as const;

export const deadLettersRedelivered = {
  $id: "dead-letters-redelivered",
  type: "object",
  required: ["requeued"],
  properties: { requeued: { type: "integer", description: "dead letters queued again" } },
} as const;

export const deadLetterResponse = {
  $id: "dead-letter-response",
  type: "object",
  required: ["id", "destination", "eventId", "type", "occurredAt", "attempts"],
  properties: {
    id: { type: "integer", description: "the dead letter's id (for redeliver)" },
    destination: { type: "string", enum: ["WEBHOOK", "ACA"] },
    eventId: { type: "integer" },
    type: { type: "string" },
    iupd: NULLABLE_TEXT,
    sequence: NULLABLE_INTEGER,
    occurredAt: TIMESTAMP,
    attempts: { type: "integer" },
    lastAttemptAt: NULLABLE_TEXT,
    lastError: NULLABLE_TEXT,
  },
} as const;

export const deadLettersPage = {
  $id: "dead-letters-page",
  type: "object",
  required: ["deadLetters", "page_info"],
  properties: { deadLetters: { type: "array", items: { $ref: "dead-letter-response" } }, page_info: { $ref: "page-info" } },
} as const;

export const acaEventsQuery = {
  $id: "aca-events-query",
  type: "object",
  properties: {
    after: { type: "integer", minimum: 0, maximum: 9_007_199_254_740_991, default: 0, description: "the cursor: events after this id (nextCursor of the previous page)" },
    limit: { type: "integer", minimum: 1, maximum: 500, default: 100 },
    organization: { ...FISCAL_CODE, description: "one EC's events only (an EC key sees only its own anyway)" },
  },
} as const;

export const acaEventsPage = {
  $id: "aca-events-page",
  type: "object",
  required: ["events", "nextCursor"],
  properties: {
    events: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "type", "organizationFiscalCode", "occurredAt", "notices"],
        properties: {
          id: { type: "integer", description: "the event id, also the cursor" },
          type: { type: "string" },
          organizationFiscalCode: FISCAL_CODE,
          iupd: NULLABLE_TEXT,
          sequence: NULLABLE_INTEGER,
          occurredAt: TIMESTAMP,
          positionStatus: { type: "string" },
          companyName: { type: "string" },
          notices: { type: "array", items: { type: "object", description: "the event's notices: noticeNumber, iuv, amount (cents) and, for lifecycle events, dueDate, description and the debtor" } },
        },
      },
    },
    nextCursor: { type: "integer", description: "pass as `after` for the next page (the same cursor when nothing new)" },
  },
} as const;

export const deliveryStatusResponse = {
  $id: "delivery-status-response",
  type: "object",
  required: ["undelivered", "oldestUndeliveredAt", "oldestUndeliveredAgeSeconds", "deadLetters", "failuresByOrganization"],
  properties: {
    undelivered: { type: "integer", description: "events not routed yet plus deliveries waiting (due, retrying or in flight)" },
    oldestUndeliveredAt: { description: "ISO 8601, or null when nothing waits" },
    oldestUndeliveredAgeSeconds: { description: "seconds, or null when nothing waits" },
    deadLetters: { type: "integer" },
    failuresByOrganization: {
      type: "array",
      items: {
        type: "object",
        required: ["organizationFiscalCode", "failing", "deadLetters"],
        properties: { organizationFiscalCode: FISCAL_CODE, failing: { type: "integer", description: "deliveries waiting for a retry" }, deadLetters: { type: "integer" } },
      },
    },
  },
} as const;

export const eventSchemas = [webhookPut, webhookResponse, deadLettersList, deadLettersRedeliverQuery, deadLettersRedelivered, deadLetterResponse, deadLettersPage, acaEventsQuery, acaEventsPage, deliveryStatusResponse] as const;
