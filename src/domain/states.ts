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
