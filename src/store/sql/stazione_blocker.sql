-- stazione_blocker: the option that keeps option p_option_id (of plan p_plan_id) from being paid now, if any.
-- Decides: the plans of a position exclude each other (the installments of one plan do not): an installment
-- of another plan that is paid is named first, else one being paid (locked by an activation).
-- Lock: none taken; the payment functions call it under the position's row lock, readers (verify, the
-- payment notice PDF, payment options) without one.
CREATE FUNCTION stazione_blocker(p_position_id bigint, p_option_id bigint, p_plan_id bigint, p_now timestamptz)
RETURNS TABLE (nav text, paid boolean) LANGUAGE sql STABLE AS $fn$
  SELECT x.nav, x.status <> 'PO_UNPAID'
    FROM payment_option x
   WHERE x.payment_position_id = p_position_id AND x.id <> p_option_id
     AND x.payment_plan_id <> p_plan_id
     AND (x.status <> 'PO_UNPAID' OR x.lock_until > p_now)
   ORDER BY x.status <> 'PO_UNPAID' DESC
   LIMIT 1
$fn$
