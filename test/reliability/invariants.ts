/** SQL checks that must hold whatever raced: each returns the rows that break the rule (none = OK). */
import type { Sql } from "../../src/store/db.ts";

export async function brokenInvariants(sql: Sql): Promise<Record<string, unknown[]>> {
  const check = (text: string) => sql.query(text);
  return {
    // a paid option names one of its own receipts, and an option with an applied receipt is paid
    paidWithoutReceipt: await check(`
      SELECT o.nav FROM payment_option o
       WHERE (o.status = 'PO_PAID') <> EXISTS (
               SELECT 1 FROM receipt r WHERE r.payment_option_id = o.id AND NOT 'OUTCOME_KO' = ANY (r.flags))
          OR (o.status = 'PO_PAID' AND NOT EXISTS (
               SELECT 1 FROM receipt r WHERE r.payment_option_id = o.id AND r.receipt_id = o.id_receipt))`),
    // at most one receipt per option is not a double payment
    twoFirstPayments: await check(`
      SELECT r.payment_option_id, count(*) FROM receipt r
       WHERE r.payment_option_id IS NOT NULL AND NOT 'DOUBLE_PAYMENT' = ANY (r.flags) AND NOT 'OUTCOME_KO' = ANY (r.flags)
         AND NOT 'SECONDARY_BENEFICIARY' = ANY (r.flags)
       GROUP BY r.payment_option_id HAVING count(*) > 1`),
    // a plan is paid either by a single option or by installments, never both without a double-payment flag
    mixedPlanPayments: await check(`
      SELECT o.payment_position_id FROM receipt r JOIN payment_option o ON o.id = r.payment_option_id
       WHERE NOT 'DOUBLE_PAYMENT' = ANY (r.flags) AND NOT 'OUTCOME_KO' = ANY (r.flags)
       GROUP BY o.payment_position_id
      HAVING bool_or(o.is_partial_payment) AND bool_or(NOT o.is_partial_payment)`),
    // the position status follows its options (an invalidated position stays INVALID)
    inconsistentStatus: await check(`
      SELECT p.iupd, p.status, x.expected FROM payment_position p
        JOIN LATERAL (
          SELECT CASE
                   WHEN bool_or(NOT o.is_partial_payment AND o.status <> 'PO_UNPAID')
                     OR coalesce(bool_and(o.status <> 'PO_UNPAID') FILTER (WHERE o.is_partial_payment), false) THEN 'PAID'
                   WHEN bool_or(o.is_partial_payment AND o.status <> 'PO_UNPAID') THEN 'PARTIALLY_PAID'
                 END AS expected
            FROM payment_option o WHERE o.payment_position_id = p.id) x ON true
       WHERE p.status <> 'INVALID' AND x.expected IS NOT NULL AND p.status <> x.expected
          OR x.expected IS NULL AND p.status IN ('PAID', 'PARTIALLY_PAID')`),
    // the amount paid is the amount the activation answered: no option changed under a payment
    paidAfterChange: await check(`SELECT r.receipt_id, r.flags FROM receipt r WHERE 'AMOUNT_MISMATCH' = ANY (r.flags)`),
  };
}

export const NO_BROKEN_INVARIANTS = { paidWithoutReceipt: [], twoFirstPayments: [], mixedPlanPayments: [], inconsistentStatus: [], paidAfterChange: [] };
