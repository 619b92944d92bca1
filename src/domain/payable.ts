/**
 * What of a debt position can be paid now, read from the stored position: the options a payment
 * notice prints. The rules are those paVerifyPaymentNotice applies (stazione_notice), so a printed
 * QR code never leads to a refusal that was already known when it was printed. A lock (payment in
 * progress) does not stop printing: it is short-lived, and the payment may still fail.
 */
import { errors } from "./errors.ts";
import { OptionStatus, PositionStatus } from "./states.ts";
import type { StoredOption, StoredPosition } from "./stored.ts";

/** Why a position as a whole cannot be paid, or undefined when it can (VALID or PARTIALLY_PAID). */
function positionProblem(position: StoredPosition): string | undefined {
  switch (position.status) {
    case PositionStatus.VALID:
    case PositionStatus.PARTIALLY_PAID:
      return undefined;
    case PositionStatus.DRAFT:
      return "is DRAFT (not published)";
    case PositionStatus.PUBLISHED:
      return `is PUBLISHED and payable only from its validity date ${position.validityDate ?? ""}`.trimEnd();
    case PositionStatus.INVALID:
      return "is INVALID (cancelled by the creditor institution)";
    case PositionStatus.EXPIRED:
      return "is EXPIRED (past its due date)";
    case PositionStatus.PAID:
    case PositionStatus.REPORTED:
      return `is ${position.status} (already paid)`;
  }
}

/** Why one option of a payable position cannot be paid, or undefined when it can. */
function optionProblem(position: StoredPosition, option: StoredOption, now: Date): string | undefined {
  if (option.status !== OptionStatus.PO_UNPAID) return "is already paid";
  if (position.switchToExpired && new Date(option.dueDate) < now) return "is past its due date";
  // The single payment and the installments of a plan exclude each other; installments do not.
  const blocker = position.options.find(
    (other) => other.nav !== option.nav && !(other.isPartialPayment && option.isPartialPayment) && other.status !== OptionStatus.PO_UNPAID,
  );
  return blocker ? `cannot be paid since notice ${blocker.nav} of the same position was paid` : undefined;
}

/** The options of a position that can be paid now, in the position's order (empty when none). */
export function payableOptions(position: StoredPosition, now: Date): StoredOption[] {
  if (positionProblem(position) !== undefined) return [];
  return position.options.filter((option) => optionProblem(position, option, now) === undefined);
}

/** The payable options of a position; throws notPayable when there are none. */
export function assertPositionPayable(position: StoredPosition, now: Date): StoredOption[] {
  const subject = `Debt position ${position.iupd}`;
  const problem = positionProblem(position);
  if (problem !== undefined) throw errors.notPayable(subject, problem);
  const payable = payableOptions(position, now);
  if (payable.length === 0) throw errors.notPayable(subject, "has no payment option left to pay");
  return payable;
}

/** The option with this notice number if it can be paid now; throws notPayable otherwise. */
export function assertOptionPayable(position: StoredPosition, nav: string, now: Date): StoredOption {
  const option = position.options.find((o) => o.nav === nav);
  if (!option) throw errors.optionNotFound(position.organizationFiscalCode, nav);
  const problem = positionProblem(position) ?? optionProblem(position, option, now);
  if (problem !== undefined) {
    const subject = positionProblem(position) === undefined ? `Notice ${nav}` : `Notice ${nav}: debt position ${position.iupd}`;
    throw errors.notPayable(subject, problem);
  }
  return option;
}
