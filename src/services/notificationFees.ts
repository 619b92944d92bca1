/**
 * GPD's notification fee (set by the notification platform on a notice it delivered): part of what
 * the debtor pays, added to the option's amount and to the EC's first transfer. Changed under the
 * position's row lock, so it never interleaves with a payment of the option; kept across a full
 * replace of the position, on the option that keeps the notice number, as GPD keeps it.
 */
import { errors } from "../domain/errors.ts";
import { MAX_CENTS } from "../domain/money.ts";
import { OptionStatus } from "../domain/states.ts";
import type { StoredOption } from "../domain/stored.ts";
import type { Database, Sql } from "../store/db.ts";
import { emitPositionEvents } from "../store/events.ts";
import { feeTargetsOf, lockFeeTarget, setNotificationFee, type FeeTarget, type NoticeFee } from "../store/notificationFees.ts";
import { getOptionWithPosition } from "../store/positions.ts";

/**
 * Applies a fee to an option, replacing the previous one, or throws why it cannot. Unlike GPD, which
 * applies it and answers 209 while a payment is in progress, an option an activation holds is
 * refused (409): the Node was given the amount and transfers of that moment, and the receipt must
 * match them. `field` names the request field that asked for the fee, if one did.
 */
async function applyFee(tx: Sql, ec: string, target: FeeTarget, fee: number, field?: string): Promise<void> {
  if (target.status !== OptionStatus.PO_UNPAID) throw errors.semantic(`Payment option ${target.nav} of organization ${ec} is not unpaid (${target.status}); its notification fee cannot change`);
  if (target.locked) throw errors.locked(target.iupd, target.nav);
  const { primaryTransferId } = target;
  if (primaryTransferId === null) throw errors.semantic(`Payment option ${target.nav} has no transfer to organization ${ec} to carry its notification fee of ${fee} cents`);
  const amount = target.amount - target.notificationFee + fee;
  if (amount > MAX_CENTS) {
    const detail = `with a notification fee of ${fee} cents, the amount of ${target.nav} would pass ${MAX_CENTS} cents`;
    throw field ? errors.ruleViolation(field, detail) : errors.semantic(detail);
  }
  await setNotificationFee(tx, { ...target, primaryTransferId }, fee);
}

/** Puts the fees a replaced position had (store feesOfPositions) on the options that now hold those notice numbers; a notice number that is gone takes its fee with it. */
export async function carryFees(tx: Sql, ec: string, fees: readonly NoticeFee[]): Promise<void> {
  if (fees.length === 0) return;
  const feeOf = new Map(fees.map((f) => [f.nav, f.fee]));
  for (const target of await feeTargetsOf(tx, ec, [...feeOf.keys()])) {
    // a receipt that waited for the notice may have paid it on insert: what it paid stands
    if (target.status === OptionStatus.PO_UNPAID) await applyFee(tx, ec, target, feeOf.get(target.nav)!);
  }
}

export function createNotificationFeeService(deps: { db: Database }) {
  const { db } = deps;
  return {
    /** Sets the fee of an unpaid option (by notice number or IUV), replacing the one set before; the notice's amount changes, so its position gets an UPDATED event. */
    async set(ec: string, navOrIuv: string, fee: number): Promise<StoredOption> {
      return db.transaction(async (tx) => {
        const target = await lockFeeTarget(tx, ec, navOrIuv);
        if (!target) throw errors.optionNotFound(ec, navOrIuv);
        await applyFee(tx, ec, target, fee, "notificationFee");
        await emitPositionEvents(tx, [target.positionId], "UPDATED");
        return (await getOptionWithPosition(tx, ec, target.nav))!;
      });
    },
  };
}

export type NotificationFeeService = ReturnType<typeof createNotificationFeeService>;
