/**
 * Checks that must hold whatever raced: each returns what breaks the rule (none = OK). The status
 * checks are an oracle of their own: they read plain rows and derive, in TypeScript, which options
 * the stored receipts paid and what status each position must then have, without reusing the SQL
 * that the station decides with.
 */
import type { Sql } from "../../src/store/db.ts";

interface OptionRow {
  id: number;
  positionId: number;
  organizationFiscalCode: string;
  nav: string;
  /** The payment option (plan) it is an installment of; a single payment is a plan of one. */
  plan: number;
  status: string;
}

interface ReceiptRow {
  organizationFiscalCode: string;
  receiptId: string;
  noticeNumber: string;
  optionId: number | null;
  flags: string[];
}

interface Rows {
  positions: Array<{ id: number; iupd: string; status: string }>;
  options: OptionRow[];
  receipts: ReceiptRow[];
}

async function readRows(sql: Sql): Promise<Rows> {
  return {
    positions: await sql.query("SELECT id, iupd, status FROM payment_position"),
    options: await sql.query(
      `SELECT id, payment_position_id AS "positionId", organization_fiscal_code AS "organizationFiscalCode", nav,
              payment_plan_id AS plan, status FROM payment_option`,
    ),
    receipts: await sql.query(
      `SELECT organization_fiscal_code AS "organizationFiscalCode", receipt_id AS "receiptId", notice_number AS "noticeNumber",
              payment_option_id AS "optionId", flags FROM receipt`,
    ),
  };
}

/** A receipt pays the option it is linked to unless it reports a failed payment. */
const pays = (r: ReceiptRow) => r.optionId !== null && !r.flags.includes("OUTCOME_KO");

/**
 * What a position's status must be given which of its installments are paid: a plan whose every
 * installment is paid (the single payment is a plan of one) pays the position; some paid installments
 * make it partly paid; nothing paid leaves it in a status that is not a paid one. An invalidated or
 * reported position keeps its status.
 */
function expectedStatus(status: string, options: OptionRow[], paid: Set<number>): string | "UNPAID" | undefined {
  if (status === "INVALID" || status === "REPORTED") return undefined;
  const plans = new Map<number, OptionRow[]>();
  for (const o of options) plans.set(o.plan, [...(plans.get(o.plan) ?? []), o]);
  if ([...plans.values()].some((installments) => installments.every((o) => paid.has(o.id)))) return "PAID";
  if (options.some((o) => paid.has(o.id))) return "PARTIALLY_PAID";
  return "UNPAID";
}

function inconsistentStatus({ positions, options, receipts }: Rows) {
  const paid = new Set(receipts.filter(pays).map((r) => r.optionId!));
  const broken: Array<{ iupd: string; status: string; expected: string }> = [];
  for (const p of positions) {
    const expected = expectedStatus(p.status, options.filter((o) => o.positionId === p.id), paid);
    if (expected === undefined) continue;
    const ok = expected === "UNPAID" ? p.status !== "PAID" && p.status !== "PARTIALLY_PAID" : p.status === expected;
    if (!ok) broken.push({ iupd: p.iupd, status: p.status, expected });
  }
  return broken;
}

/** An option is paid exactly when a receipt pays it. */
function optionPaidWithoutReceipt({ options, receipts }: Rows) {
  const paid = new Set(receipts.filter(pays).map((r) => r.optionId!));
  return options.filter((o) => (o.status !== "PO_UNPAID") !== paid.has(o.id)).map((o) => ({ nav: o.nav, status: o.status }));
}

export async function brokenInvariants(sql: Sql): Promise<Record<string, unknown[]>> {
  const rows = await readRows(sql);
  const check = (text: string) => sql.query(text);
  return {
    paidWithoutReceipt: [
      ...optionPaidWithoutReceipt(rows),
      // a paid option names one of its own receipts
      ...(await check(`
        SELECT o.nav FROM payment_option o
         WHERE o.status = 'PO_PAID' AND NOT EXISTS (
               SELECT 1 FROM receipt r WHERE r.payment_option_id = o.id AND r.receipt_id = o.id_receipt)`)),
    ],
    // at most one receipt per option is not a double payment
    twoFirstPayments: await check(`
      SELECT r.payment_option_id, count(*) FROM receipt r
       WHERE r.payment_option_id IS NOT NULL AND NOT 'DOUBLE_PAYMENT' = ANY (r.flags) AND NOT 'OUTCOME_KO' = ANY (r.flags)
         AND NOT 'SECONDARY_BENEFICIARY' = ANY (r.flags)
       GROUP BY r.payment_option_id HAVING count(*) > 1`),
    // a position is paid through one payment option (plan) only: payments of two are flagged double
    mixedPlanPayments: await check(`
      SELECT o.payment_position_id FROM receipt r JOIN payment_option o ON o.id = r.payment_option_id
       WHERE NOT 'DOUBLE_PAYMENT' = ANY (r.flags) AND NOT 'OUTCOME_KO' = ANY (r.flags)
       GROUP BY o.payment_position_id
      HAVING count(DISTINCT o.payment_plan_id) > 1`),
    inconsistentStatus: inconsistentStatus(rows),
    // the amount paid is the amount the activation answered: no option changed under a payment
    paidAfterChange: await check(`SELECT r.receipt_id, r.flags FROM receipt r WHERE 'AMOUNT_MISMATCH' = ANY (r.flags)`),
  };
}

export const NO_BROKEN_INVARIANTS = { paidWithoutReceipt: [], twoFirstPayments: [], mixedPlanPayments: [], inconsistentStatus: [], paidAfterChange: [] };

/**
 * Receipts answered OK whose notice is not paid now: the option that holds the receipt's notice
 * number must be linked to a receipt that pays it (this one or an earlier one), and with no option
 * holding that notice number the receipt must be kept unlinked, to be applied when it is loaded.
 */
export async function strandedReceipts(sql: Sql, acceptedIds: ReadonlyArray<{ ec: string; receiptId: string }>): Promise<unknown[]> {
  const rows = await readRows(sql);
  const paid = new Set(rows.receipts.filter(pays).map((r) => r.optionId!));
  const stranded: unknown[] = [];
  for (const { ec, receiptId } of acceptedIds) {
    const receipt = rows.receipts.find((r) => r.organizationFiscalCode === ec && r.receiptId === receiptId);
    if (!receipt) {
      stranded.push({ receiptId, problem: "not stored" });
      continue;
    }
    const holder = rows.options.find((o) => o.organizationFiscalCode === ec && o.nav === receipt.noticeNumber);
    if (!holder) {
      if (receipt.optionId !== null) stranded.push({ receiptId, problem: "linked to an option that no longer holds its notice" });
    } else if (!paid.has(holder.id) || holder.status === "PO_UNPAID") {
      stranded.push({ receiptId, nav: receipt.noticeNumber, problem: `notice ${holder.status}` });
    }
  }
  return stranded;
}
