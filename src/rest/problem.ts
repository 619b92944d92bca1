/** Domain errors to RFC 7807 problems: status by code, exhaustively. */
import type { Response } from "express";
import { ErrorCode, type DomainError } from "../domain/errors.ts";

export function httpStatus(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.badRequest:
    case ErrorCode.schemaViolation:
      return 400;
    case ErrorCode.unauthenticated:
      return 401;
    case ErrorCode.forbidden:
      return 403;
    case ErrorCode.positionNotFound:
    case ErrorCode.optionNotFound:
    case ErrorCode.receiptNotFound:
    case ErrorCode.routeNotFound:
    case ErrorCode.noticeUnknown:
    case ErrorCode.domainUnknown:
    case ErrorCode.notFound:
      return 404;
    case ErrorCode.duplicate:
    case ErrorCode.notEditable:
    case ErrorCode.locked:
    case ErrorCode.invalidTransition:
    case ErrorCode.noticePaid:
    case ErrorCode.noticeInProgress:
    case ErrorCode.noticeCancelled:
    case ErrorCode.noticeExpired:
    case ErrorCode.receiptDuplicate:
    case ErrorCode.notPayable:
      return 409;
    case ErrorCode.ruleViolation:
    case ErrorCode.semantic:
    case ErrorCode.brokerMismatch:
    case ErrorCode.stationMismatch:
      return 422;
    case ErrorCode.tooLarge:
      return 413;
    case ErrorCode.upstreamFailed:
      return 502;
    case ErrorCode.unavailable:
      return 503;
    case ErrorCode.internal:
      return 500;
  }
}

export function sendProblem(res: Response, error: DomainError): void {
  const status = httpStatus(error.code);
  if (status === 503) res.setHeader("Retry-After", "5");
  res
    .status(status)
    .type("application/problem+json")
    .json({ type: "about:blank", title: error.title, status, detail: error.detail, code: error.code, ...(error.field ? { field: error.field } : {}) });
}
