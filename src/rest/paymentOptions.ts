/**
 * The payment-options door (paVerifyPaymentOptions): the platform's query parameters in, the contract's
 * JSON out, and every refusal as the contract's ErrorResponse with the ODP code of its PAA fault
 * (pagopa-payment-options-service's CreditorInstitutionErrorEnum), never problem+json.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { errors, isDomainError, type DomainError, type ErrorCode } from "../domain/errors.ts";
import { isoTimestamp } from "../domain/time.ts";
import type { PaymentService } from "../services/payments.ts";
import { isUnavailable } from "../store/db.ts";
import type { Reply } from "./reply.ts";

/** PAA fault -> [HTTP status, ODP code]; the README's table. */
const ODP: Partial<Record<ErrorCode, [number, string]>> = {
  badRequest: [400, "ODP-101"],
  schemaViolation: [400, "ODP-101"],
  semantic: [422, "ODP-102"],
  domainUnknown: [400, "ODP-104"],
  brokerMismatch: [400, "ODP-105"],
  stationMismatch: [400, "ODP-106"],
  noticeUnknown: [404, "ODP-107"],
  noticePaid: [409, "ODP-108"],
  noticeInProgress: [409, "ODP-109"],
  noticeExpired: [422, "ODP-110"],
  noticeCancelled: [422, "ODP-111"],
};
const SYSTEM_ERROR: [number, string] = [500, "ODP-103"];

const STATUS_TEXT: Record<number, string> = { 400: "Bad Request", 404: "Not Found", 409: "Conflict", 422: "Unprocessable Entity", 500: "Internal Server Error" };

/** A refusal as the contract's ErrorResponse. */
export function paymentOptionsError(error: DomainError): Reply {
  const [status, appErrorCode] = ODP[error.code] ?? SYSTEM_ERROR;
  const now = new Date();
  return {
    status,
    body: {
      httpStatusCode: status,
      httpStatusDescription: STATUS_TEXT[status],
      errorMessage: error.detail,
      appErrorCode,
      timestamp: Math.floor(now.getTime() / 1000),
      dateTime: isoTimestamp(now),
    },
  };
}

const NOTICE_NUMBER = /^[0-9]{18}$/;
const FISCAL_CODE = /^[0-9]{11}$/;

function required(query: Record<string, unknown>, name: string): string {
  const value = query[name];
  if (typeof value !== "string" || value === "") throw errors.badRequest(name, "is required (one query parameter)");
  return value;
}

export async function paymentOptionsReply(payments: PaymentService, log: Logger, fiscalCode: string, noticeNumber: string, query: Record<string, unknown>): Promise<Reply> {
  try {
    if (!FISCAL_CODE.test(fiscalCode)) throw errors.badRequest("organization-fiscal-code", "must be 11 digits");
    if (!NOTICE_NUMBER.test(noticeNumber)) throw errors.badRequest("notice-number", "must be 18 digits");
    const header = { idPA: required(query, "idPA"), idBrokerPA: required(query, "idBrokerPA"), idStation: required(query, "idStation") };
    return { body: await payments.paymentOptions(header, { fiscalCode, noticeNumber }) };
  } catch (error) {
    if (isDomainError(error)) return paymentOptionsError(error);
    const correlationId = randomUUID();
    if (isUnavailable(error)) log.warn({ correlationId, err: error }, "database unavailable");
    else log.error({ correlationId, err: error }, "unexpected error");
    return paymentOptionsError(errors.internal(correlationId));
  }
}
