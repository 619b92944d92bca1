/**
 * The notice lookups of the pagoPA Node's hot path. Verify is one plain statement (a prepared
 * SELECT, no lock); activation is one call of stazione_activate, which decides and locks under the
 * position's row lock. Both apply the same rule (stazione_notice_state, stazione_blocker), and so
 * does noticeStates, which payment notices (PDF) use to choose the options they print.
 */
import type { NoticeLookup, NoticeState, NoticeSummary, NoticeView } from "../domain/stored.ts";
import type { Sql } from "./db.ts";
import { BLOCKER_JOIN, NOTICE_STATE } from "./fragments.ts";

interface VerifyRow extends NoticeSummary {
  state: NoticeState;
  blocker: string | null;
}

export async function verifyNotice(sql: Sql, ec: string, nav: string): Promise<NoticeLookup<NoticeSummary>> {
  const [row] = await sql.query<VerifyRow>(
    `SELECT ${NOTICE_STATE} AS state,
            b.nav AS blocker,
            CASE WHEN o.lock_until > now() THEN o.locked_amount ELSE o.amount END AS amount,
            o.description, o.due_date AS "dueDate", p.company_name AS "companyName", p.office_name AS "officeName",
            (SELECT bool_and(t.postal_iban IS NOT NULL) FROM transfer t WHERE t.payment_option_id = o.id) AS "allPostal"
       FROM payment_option o
       JOIN payment_position p ON p.id = o.payment_position_id
       ${BLOCKER_JOIN}
      WHERE o.organization_fiscal_code = $1 AND o.nav = $2`,
    [ec, nav],
  );
  if (!row) return { state: "UNKNOWN" };
  const { state, blocker, ...notice } = row;
  return { state, blocker: blocker ?? undefined, notice: { ...notice, officeName: notice.officeName ?? undefined } };
}

/**
 * One statement, so its own transaction: stazione_activate decides and locks under the position's row
 * lock, and this transaction commits without waiting for the WAL flush (set_config(..., true) lasts
 * until that commit). A lock lost in a server crash is harmless: the Node keeps its own token and the
 * receipt is stored whatever happens. Receipts keep durable commits. Call it outside a transaction.
 */
export async function activateNotice(sql: Sql, ec: string, nav: string, lockSeconds: number, stampsAllowed: boolean): Promise<NoticeLookup<NoticeView>> {
  const [row] = await sql.query<{ r: NoticeLookup<NoticeView> }>(
    "SELECT set_config('synchronous_commit', 'off', true), stazione_activate($1, $2, $3, $4) AS r",
    [ec, nav, lockSeconds, stampsAllowed],
  );
  return row!.r;
}

/**
 * What verifyNotice would answer now for each option of a position, ordered by option id, in one
 * statement: the state and the option that blocks it. An unknown position has no options (empty).
 */
export async function noticeStates(sql: Sql, ec: string, iupd: string): Promise<Array<{ nav: string; state: NoticeState; blocker?: string }>> {
  const rows = await sql.query<{ nav: string; state: NoticeState; blocker: string | null }>(
    `SELECT o.nav,
            ${NOTICE_STATE} AS state,
            b.nav AS blocker
       FROM payment_position p
       JOIN payment_option o ON o.payment_position_id = p.id
       ${BLOCKER_JOIN}
      WHERE p.organization_fiscal_code = $1 AND p.iupd = $2
      ORDER BY o.id`,
    [ec, iupd],
  );
  return rows.map(({ nav, state, blocker }) => (blocker === null ? { nav, state } : { nav, state, blocker }));
}
