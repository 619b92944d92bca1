/**
 * GPD's notification fee (set by the notification platform on a notice it delivered): part of what
 * the debtor pays, added to the option's amount and to the EC's first transfer. Changed under the
 * position's row lock, so it never interleaves with a payment of the option.
 */
import { errors } from "../domain/errors.ts";
import { MAX_CENTS } from "../domain/money.ts";
import { OptionStatus } from "../domain/states.ts";
import type { StoredOption } from "../domain/stored.ts";
import type { Database } from "../store/db.ts";
import { lockFeeTarget, setNotificationFee } from "../store/notificationFees.ts";
import { getOptionWithPosition } from "../store/positions.ts";

export function createNotificationFeeService(deps: { db: Database }) {
  const { db } = deps;
  return {
    /**
     * Sets the fee of an unpaid option (by notice number or IUV), replacing the one set before.
     * Unlike GPD, which applies it and answers 209 while a payment is in progress, an option an
     * activation holds is refused (409): the Node was given the amount and transfers of that
     * moment, and the receipt must match them.
     */
    async set(ec: string, navOrIuv: string, fee: number): Promise<StoredOption> {
      return db.transaction(async (tx) => {
        const target = await lockFeeTarget(tx, ec, navOrIuv);
        if (!target) throw errors.optionNotFound(ec, navOrIuv);
        if (target.status !== OptionStatus.PO_UNPAID) throw errors.semantic(`Payment option ${target.nav} of organization ${ec} is not unpaid (${target.status}); its notification fee cannot change`);
        if (target.locked) throw errors.locked(target.iupd, target.nav);
        const { primaryTransferId } = target;
        if (primaryTransferId === null) throw errors.semantic(`Payment option ${target.nav} has no transfer to organization ${ec} to carry the notification fee`);
        if (target.amount - target.notificationFee + fee > MAX_CENTS) throw errors.ruleViolation("notificationFee", `would raise the amount of ${target.nav} above ${MAX_CENTS} cents`);
        await setNotificationFee(tx, { ...target, primaryTransferId }, fee);
        return (await getOptionWithPosition(tx, ec, target.nav))!;
      });
    },
  };
}

export type NotificationFeeService = ReturnType<typeof createNotificationFeeService>;
