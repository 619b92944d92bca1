-- stazione_blocker: the option that keeps option p_option_id from being paid now, if any.
-- Decides: the single payment and the installments of a plan exclude each other (installments do not
-- exclude one another); a paid one is named first, else one being paid (locked by an activation).
-- Lock: none taken; the payment functions call it under the position's row lock, readers (verify, the
-- payment notice PDF) without one.
CREATE FUNCTION stazione_blocker(p_position_id bigint, p_option_id bigint, p_is_partial boolean, p_now timestamptz)
RETURNS TABLE (nav text, paid boolean) LANGUAGE sql STABLE AS $fn$
  SELECT x.nav, x.status <> 'PO_UNPAID'
    FROM payment_option x
   WHERE x.payment_position_id = p_position_id AND x.id <> p_option_id
     AND NOT (x.is_partial_payment AND p_is_partial)
     AND (x.status <> 'PO_UNPAID' OR x.lock_until > p_now)
   ORDER BY x.status <> 'PO_UNPAID' DESC
   LIMIT 1
$fn$
