/**
 * The catalogue of domain errors. Each has a stable code; the doors map codes to HTTP problems
 * (rest/problem.ts) and to paForNode faults (soap/faults.ts), exhaustively and never by message.
 */

export const ErrorCode = {
  // debt positions (REST)
  positionNotFound: "positionNotFound",
  optionNotFound: "optionNotFound",
  receiptNotFound: "receiptNotFound",
  duplicate: "duplicate",
  notEditable: "notEditable",
  locked: "locked",
  invalidTransition: "invalidTransition",
  ruleViolation: "ruleViolation",
  badRequest: "badRequest",
  tooLarge: "tooLarge",
  routeNotFound: "routeNotFound",
  unauthenticated: "unauthenticated",
  forbidden: "forbidden",
  notPayable: "notPayable",
  // spontaneous payments
  notFound: "notFound",
  upstreamFailed: "upstreamFailed",
  // notices (SOAP)
  noticeUnknown: "noticeUnknown",
  noticePaid: "noticePaid",
  noticeInProgress: "noticeInProgress",
  noticeCancelled: "noticeCancelled",
  noticeExpired: "noticeExpired",
  receiptDuplicate: "receiptDuplicate",
  domainUnknown: "domainUnknown",
  brokerMismatch: "brokerMismatch",
  stationMismatch: "stationMismatch",
  schemaViolation: "schemaViolation",
  semantic: "semantic",
  // infrastructure
  unavailable: "unavailable",
  internal: "internal",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * An outcome the caller is told about (a KO answer, a 4xx problem), never a fault of the station: it
 * carries no stack trace. Capturing one was 3 % of the station's CPU under a verify load answered
 * mostly KO (already paid), as much as reading the request.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly title: string,
    readonly detail: string,
    /** JSON path or element name the error is about, when there is one. */
    readonly field?: string,
  ) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${title}: ${detail}`);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = "DomainError";
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

export const errors = {
  positionNotFound: (ec: string, iupd: string) =>
    new DomainError(ErrorCode.positionNotFound, "Debt position not found", `No debt position ${iupd} for organization ${ec}`),
  optionNotFound: (ec: string, nav: string) =>
    new DomainError(ErrorCode.optionNotFound, "Payment option not found", `No payment option with notice number ${nav} for organization ${ec}`),
  optionNotValidYet: (ec: string, nav: string, validFrom: string) =>
    new DomainError(ErrorCode.optionNotFound, "Payment option not found", `Payment option ${nav} of organization ${ec} is valid only from ${validFrom}`),
  receiptNotFound: (ec: string, receiptId: string) =>
    new DomainError(ErrorCode.receiptNotFound, "Receipt not found", `No receipt ${receiptId} for organization ${ec}`),
  duplicate: (what: string, field: string) =>
    new DomainError(ErrorCode.duplicate, "Duplicate", `${what} already exists`, field),
  notEditable: (iupd: string, status: string) =>
    new DomainError(ErrorCode.notEditable, "Debt position not editable", `Debt position ${iupd} is ${status}; only DRAFT, PUBLISHED and VALID positions can be changed`),
  locked: (iupd: string, nav: string) =>
    new DomainError(ErrorCode.locked, "Payment in progress", `Debt position ${iupd} has a payment in progress on notice ${nav}; retry after the payment ends`),
  invalidTransition: (iupd: string, status: string, action: string) =>
    new DomainError(ErrorCode.invalidTransition, "Invalid state transition", `Debt position ${iupd} is ${status} and cannot be ${action}`),
  transferNotReportable: (ec: string, iuv: string, idTransfer: string) =>
    new DomainError(ErrorCode.invalidTransition, "Transfer not reportable", `Transfer ${idTransfer} of the payment option with IUV ${iuv} for organization ${ec} is not paid or already reported`),
  ruleViolation: (field: string, detail: string) =>
    new DomainError(ErrorCode.ruleViolation, "Rule violation", `${field} ${detail}`, field),
  badRequest: (field: string, detail: string) =>
    new DomainError(ErrorCode.badRequest, "Bad request", `${field} ${detail}`, field),
  tooLarge: (limit: number) => new DomainError(ErrorCode.tooLarge, "Payload too large", `The body exceeds ${limit} bytes`),
  routeNotFound: (method: string, path: string) => new DomainError(ErrorCode.routeNotFound, "Not found", `${method} ${path} is not a route of this API`),
  unauthenticated: () =>
    new DomainError(ErrorCode.unauthenticated, "Unauthenticated", "A valid Ocp-Apim-Subscription-Key header is required"),
  adminOnly: () => new DomainError(ErrorCode.forbidden, "Forbidden", "Only the admin key can access this"),
  forbidden: (ec: string) =>
    new DomainError(ErrorCode.forbidden, "Forbidden", `This key cannot access organization ${ec}`),
  segregationForbidden: (ec: string, subject: string, iuv: string) =>
    new DomainError(ErrorCode.forbidden, "Forbidden", `${subject} of organization ${ec} has the IUV ${iuv}, outside the segregation codes of the request`),
  /** A payment notice (PDF) is issued only for what can be paid now. */
  notPayable: (subject: string, reason: string) =>
    new DomainError(ErrorCode.notPayable, "Not payable", `${subject} ${reason}; a payment notice is issued only for what can be paid now`),

  /** A catalogue service, an enrolment: answered 404 over REST and PAA_SEMANTICA over SOAP. */
  notFound: (title: string, detail: string) => new DomainError(ErrorCode.notFound, title, detail),
  /** A service the station depends on (an EC's pricing service) failed or did not answer in time. */
  upstreamFailed: (detail: string) => new DomainError(ErrorCode.upstreamFailed, "Upstream service failed", detail),

  noticeUnknown: (nav: string) =>
    new DomainError(ErrorCode.noticeUnknown, "Notice unknown", `noticeNumber ${nav} is not a payable notice of this creditor institution`),
  noticePaid: (nav: string) => new DomainError(ErrorCode.noticePaid, "Notice paid", `noticeNumber ${nav} is already paid`),
  noticeInProgress: (nav: string, other: string) =>
    new DomainError(ErrorCode.noticeInProgress, "Payment in progress", `noticeNumber ${nav} cannot be paid while a payment of ${other} of the same debt position is in progress or done`),
  noticeCancelled: (nav: string) =>
    new DomainError(ErrorCode.noticeCancelled, "Notice cancelled", `noticeNumber ${nav} was invalidated by the creditor institution`),
  noticeExpired: (nav: string) => new DomainError(ErrorCode.noticeExpired, "Notice expired", `noticeNumber ${nav} is past its due date`),
  receiptDuplicate: (receiptId: string) =>
    new DomainError(ErrorCode.receiptDuplicate, "Receipt duplicate", `receiptId ${receiptId} was already received`),
  domainUnknown: (idPA: string) =>
    new DomainError(ErrorCode.domainUnknown, "Domain unknown", `idPA ${idPA} is not a creditor institution served by this station`, "idPA"),
  brokerMismatch: (idBrokerPA: string) =>
    new DomainError(ErrorCode.brokerMismatch, "Broker mismatch", `idBrokerPA ${idBrokerPA} is not this station's broker`, "idBrokerPA"),
  stationMismatch: (idStation: string) =>
    new DomainError(ErrorCode.stationMismatch, "Station mismatch", `idStation ${idStation} is not this station`, "idStation"),
  schemaViolation: (element: string, detail: string) =>
    new DomainError(ErrorCode.schemaViolation, "Schema violation", `${element}: ${detail}`, element),
  semantic: (detail: string) => new DomainError(ErrorCode.semantic, "Semantic error", detail),

  unavailable: () => new DomainError(ErrorCode.unavailable, "Service unavailable", "The database cannot be reached; retry later"),
  internal: (correlationId: string) =>
    new DomainError(ErrorCode.internal, "Internal error", `Unexpected error, logged with correlation id ${correlationId}`),
};
