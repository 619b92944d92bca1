/** JSON Schemas of the testers' kit: the exchange journal's filters and entries, and test scenarios. */
import { MAX_DELAY_MS, MAX_TTL_SECONDS, PAA_FAULTS, PRESETS } from "../kit/scenarios.ts";
import { OPERATIONS } from "../soap/messages.ts";

const FILTER_TEXT = { type: "string", maxLength: 64 } as const;
const INSTANT = {
  type: "string",
  pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$",
  description: "a date-time with its offset, e.g. 2026-12-02T10:00:00Z",
} as const;
const OUTCOME = { type: "string", enum: ["OK", "KO", "FAULT", "CLOSED"], description: "OK, KO (a PAA fault), FAULT (a SOAP Fault), CLOSED (connection closed by a scenario)" } as const;
const SOAP_OPERATION = { type: "string", enum: Object.keys(OPERATIONS) } as const;

const exchangeFilter = {
  correlationId: { ...FILTER_TEXT, description: "the X-Correlation-Id header of the answer (also in the log, and in the description of a PAA_SYSTEM_ERROR)" },
  noticeNumber: { ...FILTER_TEXT, description: "the notice number the exchange carried" },
  operation: { ...FILTER_TEXT, description: "a paForNode operation, e.g. paGetPaymentV2" },
  outcome: OUTCOME,
  from: { ...INSTANT, description: "received at or after this date-time with its offset, e.g. 2026-12-02T10:00:00Z" },
  to: { ...INSTANT, description: "received at or before this date-time with its offset" },
} as const;

export const exchangesQuery = {
  $id: "exchanges-query",
  type: "object",
  additionalProperties: false,
  properties: { ...exchangeFilter, limit: { type: "integer", minimum: 1, maximum: 1000, default: 100, description: "at most this many, newest first" } },
} as const;

export const exchangesExportQuery = {
  $id: "exchanges-export-query",
  type: "object",
  additionalProperties: false,
  required: ["noticeNumber"],
  properties: exchangeFilter,
} as const;

export const exchangesList = {
  $id: "exchanges-list",
  type: "array",
  items: {
    type: "object",
    required: ["correlationId", "operation", "noticeNumber", "outcome", "faultCode", "httpStatus", "receivedAt", "durationMs", "request", "response"],
    properties: {
      correlationId: { type: "string", description: "also in the x-correlation-id header of the answer and in the log" },
      operation: { type: ["string", "null"] },
      noticeNumber: { type: ["string", "null"] },
      outcome: OUTCOME,
      faultCode: { type: ["string", "null"], description: "the PAA fault code of a KO" },
      httpStatus: { type: "integer" },
      receivedAt: { type: "string" },
      durationMs: { type: "number" },
      request: { type: "string", description: "the request as received" },
      response: { type: "string", description: "the response as sent" },
    },
  },
} as const;

export const scenarioCreate = {
  $id: "scenario-create",
  type: "object",
  additionalProperties: false,
  description: "a preset, or a pattern (or noticeNumber) with a behaviour and what that behaviour needs",
  properties: {
    preset: { type: "string", enum: Object.keys(PRESETS), description: "a pagopa-mock-ec edge case by its notice prefix; takes no other field but ttlSeconds" },
    noticeNumber: { type: "string", pattern: "^\\d{18}$", description: "one notice number" },
    pattern: { type: "string", pattern: "^[0-9*?]{1,18}$", description: "a glob of digits, * (any run) and ? (one digit), e.g. 30297*" },
    operation: { ...SOAP_OPERATION, description: "only this paForNode operation (every one when absent)" },
    behaviour: { type: "string", enum: ["fault", "delay", "close", "soapFault"] },
    faultCode: { type: "string", enum: [...PAA_FAULTS.keys()], description: "for behaviour fault: the PAA fault answered" },
    delayMs: { type: "integer", minimum: 0, maximum: MAX_DELAY_MS, description: "for behaviour delay: how long the answer waits" },
    ttlSeconds: { type: "integer", minimum: 1, maximum: MAX_TTL_SECONDS, description: "how long the scenario lives (default 3600)" },
  },
} as const;

const scenarioResponse = {
  type: "object",
  required: ["id", "pattern", "behaviour", "expiresAt"],
  properties: {
    id: { type: "integer" },
    pattern: { type: "string" },
    operation: SOAP_OPERATION,
    behaviour: {
      type: "object",
      required: ["behaviour"],
      properties: { behaviour: { type: "string" }, faultCode: { type: "string" }, delayMs: { type: "integer" } },
    },
    expiresAt: { type: "string" },
  },
} as const;

export const scenario = { $id: "scenario-response", ...scenarioResponse } as const;
export const scenariosList = { $id: "scenarios-list", type: "array", items: scenarioResponse } as const;

export const kitSchemas = [exchangesQuery, exchangesExportQuery, exchangesList, scenarioCreate, scenario, scenariosList] as const;
