/**
 * SQL expressions several statements share, so the payability rule is spelled once on this side too
 * (the rule itself lives in the SQL functions they call). Positions are aliased p, options o.
 */

/** The status a reader sees (publication at the validity date, expiry after the last due date). */
export const POSITION_STATUS = "stazione_position_status(p.status, p.validity_date, p.switch_to_expired, p.max_due_date, now())";

/** The option b that keeps option o from being paid now, if any (b.nav, b.paid). */
export const BLOCKER_JOIN = "LEFT JOIN LATERAL stazione_blocker(p.id, o.id, o.payment_plan_id, now()) b ON true";

/** Whether option o can be paid now, as paVerifyPaymentNotice answers it, given whether its blocker is paid. */
const noticeState = (blockerPaid: string) => `(SELECT stazione_notice_state(${POSITION_STATUS},
  pl.switch_to_expired, o.status, o.due_date, pl.validity_date, ${blockerPaid}, now()) FROM payment_plan pl WHERE pl.id = o.payment_plan_id)`;

/** The notice state of option o; needs BLOCKER_JOIN. */
export const NOTICE_STATE = noticeState("b.paid");

/** The notice state of option o, as one expression (for JSON built per option). */
export const NOTICE_STATE_OF_OPTION = noticeState("(SELECT x.paid FROM stazione_blocker(p.id, o.id, o.payment_plan_id, now()) x)");
