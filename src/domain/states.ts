/** Closed sets of states; every switch over them must be exhaustive (lint: switch-exhaustiveness-check). */

export const PositionStatus = {
  DRAFT: "DRAFT",
  PUBLISHED: "PUBLISHED",
  VALID: "VALID",
  INVALID: "INVALID",
  EXPIRED: "EXPIRED",
  PARTIALLY_PAID: "PARTIALLY_PAID",
  PAID: "PAID",
  REPORTED: "REPORTED",
} as const;
export type PositionStatus = (typeof PositionStatus)[keyof typeof PositionStatus];

export const OptionStatus = {
  PO_UNPAID: "PO_UNPAID",
  PO_PAID: "PO_PAID",
  PO_PARTIALLY_REPORTED: "PO_PARTIALLY_REPORTED",
  PO_REPORTED: "PO_REPORTED",
} as const;
export type OptionStatus = (typeof OptionStatus)[keyof typeof OptionStatus];

export const TransferStatus = { T_UNREPORTED: "T_UNREPORTED", T_REPORTED: "T_REPORTED" } as const;
export type TransferStatus = (typeof TransferStatus)[keyof typeof TransferStatus];

/** Positions whose content may still be replaced or deleted (when no option is locked). */
export const EDITABLE_STATUSES: readonly PositionStatus[] = [
  PositionStatus.DRAFT,
  PositionStatus.PUBLISHED,
  PositionStatus.VALID,
];

/**
 * Whether a notice can be paid now, as the payment functions answer it (src/store/sql); NEEDS_V2: it
 * has an @e.bollo transfer, which only paGetPaymentV2 can describe.
 */
export const NoticeState = {
  OK: "OK",
  UNKNOWN: "UNKNOWN",
  PAID: "PAID",
  IN_PROGRESS: "IN_PROGRESS",
  CANCELLED: "CANCELLED",
  EXPIRED: "EXPIRED",
  NEEDS_V2: "NEEDS_V2",
} as const;
export type NoticeState = (typeof NoticeState)[keyof typeof NoticeState];

/** What the EC should look at in a stored receipt (set by stazione_record_receipt; README lists them). */
export const ReceiptFlag = {
  DOUBLE_PAYMENT: "DOUBLE_PAYMENT",
  PAID_ON_INVALID: "PAID_ON_INVALID",
  PAID_AFTER_EXPIRY: "PAID_AFTER_EXPIRY",
  PAID_BEFORE_VALIDITY: "PAID_BEFORE_VALIDITY",
  AMOUNT_MISMATCH: "AMOUNT_MISMATCH",
  UNKNOWN_NOTICE: "UNKNOWN_NOTICE",
  STATION_MISMATCH: "STATION_MISMATCH",
  SECONDARY_BENEFICIARY: "SECONDARY_BENEFICIARY",
  STAND_IN: "STAND_IN",
  OUTCOME_KO: "OUTCOME_KO",
} as const;
export type ReceiptFlag = (typeof ReceiptFlag)[keyof typeof ReceiptFlag];

/** A position's status in GPD v3's enum: an invalidated or expired position is UNPAYABLE, a reported one PAID. */
export const PositionStatusV3 = {
  DRAFT: "DRAFT",
  PUBLISHED: "PUBLISHED",
  VALID: "VALID",
  UNPAYABLE: "UNPAYABLE",
  PARTIALLY_PAID: "PARTIALLY_PAID",
  PAID: "PAID",
} as const;
export type PositionStatusV3 = (typeof PositionStatusV3)[keyof typeof PositionStatusV3];

export function positionStatusV3(status: PositionStatus): PositionStatusV3 {
  switch (status) {
    case "INVALID":
    case "EXPIRED":
      return "UNPAYABLE";
    case "REPORTED":
      return "PAID";
    case "DRAFT":
    case "PUBLISHED":
    case "VALID":
    case "PARTIALLY_PAID":
    case "PAID":
      return status;
  }
}

/** The stored statuses a v3 status filter stands for. */
export function positionStatusesOfV3(status: PositionStatusV3): PositionStatus[] {
  return Object.values(PositionStatus).filter((s) => positionStatusV3(s) === status);
}

/** An installment's status in GPD v3's enum. */
export type InstallmentStatusV3 = "UNPAID" | "PAID" | "PARTIALLY_REPORTED" | "REPORTED" | "UNPAYABLE" | "EXPIRED";

/**
 * An unpaid installment is UNPAYABLE once its position is invalidated or paid, or another payment
 * option has been paid (PAID state without being paid itself); EXPIRED past its due date when its
 * option is set to expire.
 */
export function installmentStatusV3(status: OptionStatus, state: NoticeState): InstallmentStatusV3 {
  switch (status) {
    case "PO_PAID":
      return "PAID";
    case "PO_PARTIALLY_REPORTED":
      return "PARTIALLY_REPORTED";
    case "PO_REPORTED":
      return "REPORTED";
    case "PO_UNPAID":
      return unpaidInstallmentStatus(state);
  }
}

function unpaidInstallmentStatus(state: NoticeState): InstallmentStatusV3 {
  switch (state) {
    case "EXPIRED":
      return "EXPIRED";
    case "CANCELLED":
    case "PAID":
      return "UNPAYABLE";
    case "OK":
    case "UNKNOWN":
    case "IN_PROGRESS":
    case "NEEDS_V2":
      return "UNPAID";
  }
}
