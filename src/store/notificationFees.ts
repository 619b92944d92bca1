/**
 * The notification fee of a payment option (GPD's PUT …/notificationfee): the fee is part of the
 * option's amount and of its primary transfer's, so changing it moves both by the difference.
 * Callers own the transaction.
 */
import type { OptionStatus } from "../domain/states.ts";
import type { Sql } from "./db.ts";

/** An option whose fee is about to change, read under its position's row lock. */
export interface FeeTarget {
  positionId: number;
  optionId: number;
  iupd: string;
  nav: string;
  iuv: string;
  status: OptionStatus;
  /** A paGetPayment holds the option right now (it froze the amount it answered). */
  locked: boolean;
  amount: number;
  notificationFee: number;
  /** The EC's own transfer with the lowest idTransfer, which carries the fee (as GPD chooses it). */
  primaryTransferId: number | null;
}

const FEE_TARGET = `SELECT p.id AS "positionId", o.id AS "optionId", p.iupd, o.nav, o.iuv, o.status, coalesce(o.lock_until > now(), false) AS locked,
         o.amount, o.notification_fee AS "notificationFee",
         (SELECT t.id FROM transfer t WHERE t.payment_option_id = o.id AND t.organization_fiscal_code = o.organization_fiscal_code
           ORDER BY t.id_transfer LIMIT 1) AS "primaryTransferId"
    FROM payment_option o JOIN payment_position p ON p.id = o.payment_position_id`;

/**
 * Locks the position of an option (by notice number or IUV) with stazione_lock_notice, the lock
 * payments take, and reads the option once the lock is held, so a payment that held it first is seen.
 */
export async function lockFeeTarget(tx: Sql, ec: string, navOrIuv: string): Promise<FeeTarget | undefined> {
  const [found] = await tx.query<{ nav: string }>(
    "SELECT nav FROM payment_option WHERE organization_fiscal_code = $1 AND (nav = $2 OR iuv = $2) ORDER BY nav = $2 DESC LIMIT 1",
    [ec, navOrIuv],
  );
  if (!found) return undefined;
  const [locked] = await tx.query<{ id: number | null }>("SELECT stazione_lock_notice($1, $2) AS id", [ec, found.nav]);
  if (locked?.id == null) return undefined;
  const [target] = await tx.query<FeeTarget>(`${FEE_TARGET} WHERE o.id = $1`, [locked.id]);
  return target;
}

/** Sets the fee, moving the option's amount and its primary transfer's by the difference from the old fee. */
export async function setNotificationFee(tx: Sql, target: FeeTarget & { primaryTransferId: number }, fee: number): Promise<void> {
  const delta = fee - target.notificationFee;
  await tx.query(
    `WITH opt AS (
       UPDATE payment_option SET notification_fee = $2, amount = amount + $3, last_updated_date = now()
        WHERE id = $1 RETURNING payment_position_id),
     pos AS (
       UPDATE payment_position SET last_updated_date = now(), version = version + 1
        WHERE id = (SELECT payment_position_id FROM opt))
     UPDATE transfer SET amount = amount + $3, last_updated_date = now() WHERE id = $4`,
    [target.optionId, fee, delta, target.primaryTransferId],
  );
}

/** A fee set on the option that holds a notice number. */
export interface NoticeFee {
  nav: string;
  fee: number;
}

/** The fees set on the options of these positions; read before a full replace deletes the options. */
export async function feesOfPositions(tx: Sql, positionIds: readonly number[]): Promise<NoticeFee[]> {
  return tx.query<NoticeFee>(
    "SELECT nav, notification_fee AS fee FROM payment_option WHERE payment_position_id = ANY($1::bigint[]) AND notification_fee > 0 ORDER BY id",
    [positionIds],
  );
}

/** The options that now hold these notice numbers (the caller holds their positions' locks). */
export async function feeTargetsOf(tx: Sql, ec: string, navs: readonly string[]): Promise<FeeTarget[]> {
  return tx.query<FeeTarget>(`${FEE_TARGET} WHERE o.organization_fiscal_code = $1 AND o.nav = ANY($2::text[])`, [ec, navs]);
}
