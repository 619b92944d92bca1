/**
 * The notice lookups of the pagoPA Node's hot path. Verify is one statement for any number of
 * notices (stazione_verify_notices, no lock), so requests that arrive together share it; activation is one call of stazione_activate, which decides and locks under the
 * position's row lock. Both apply the same rule (stazione_notice_state, stazione_blocker), and so
 * does noticeStates, which payment notices (PDF) use to choose the options they print.
 */
import type { NoticeLookup, NoticeState, NoticeSummary, NoticeView } from "../domain/stored.ts";
import type { Sql } from "./db.ts";
import { BLOCKER_JOIN, NOTICE_STATE } from "./fragments.ts";

/** A notice of an EC, as the requests name it. */
export interface NoticeKey {
  ec: string;
  nav: string;
}

interface VerifyRow extends NoticeSummary {
  ec: string;
  nav: string;
  state: NoticeState;
  blocker: string | null;
}

const keyText = (ec: string, nav: string) => `${ec} ${nav}`;

/**
 * What paVerifyPaymentNotice answers for each notice, in the order asked, in one statement
 * (stazione_verify_notices); a notice that names no option is UNKNOWN.
 */
export async function verifyNotices(sql: Sql, keys: readonly NoticeKey[]): Promise<Array<NoticeLookup<NoticeSummary>>> {
  const rows = await sql.query<VerifyRow>(
    `SELECT ec, nav, state, blocker, amount, description, due_date AS "dueDate", company_name AS "companyName",
            office_name AS "officeName", all_postal AS "allPostal"
       FROM stazione_verify_notices($1::text[], $2::text[])`,
    [keys.map((k) => k.ec), keys.map((k) => k.nav)],
  );
  const found = new Map(rows.map((row) => [keyText(row.ec, row.nav), row]));
  return keys.map(({ ec, nav }) => {
    const row = found.get(keyText(ec, nav));
    if (!row) return { state: "UNKNOWN" };
    const { state, blocker, amount, description, dueDate, companyName, officeName, allPostal } = row;
    return { state, blocker: blocker ?? undefined, notice: { amount, description, dueDate, companyName, officeName: officeName ?? undefined, allPostal } };
  });
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
 * What verifyNotices would answer now for each option of a position, ordered by option id, in one
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
