-- stazione_receipt_flags: what is odd about paying option p_option_id with a receipt, for the EC to look at.
-- Decides, judged by the payment (p_paid_at: the receipt's paymentDateTime, its arrival when it has none), not
-- by the delivery:
--   DOUBLE_PAYMENT        the option is already paid, or an installment of another plan is (the EC must refund)
--   PAID_ON_INVALID       the position was invalidated
--   PAID_AFTER_EXPIRY     paid after the due date of a notice whose plan is set to expire
--   PAID_BEFORE_VALIDITY  paid while the position was a draft or not yet valid, or before its plan's validity date
--   AMOUNT_MISMATCH       another amount than the one the station answered (frozen by the activation)
-- Lock: none taken; called under the position's row lock.
CREATE FUNCTION stazione_receipt_flags(p_option_id bigint, p_amount bigint, p_paid_at timestamptz, p_now timestamptz)
RETURNS text[] LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  o payment_option%ROWTYPE;
  p payment_position%ROWTYPE;
  r record;
  v_flags text[] := '{}';
  v_at_payment text;
BEGIN
  -- everything the rules below read, in one statement
  SELECT x AS option, y AS position, pl.switch_to_expired AS plan_expires, pl.validity_date AS plan_valid_from,
         (SELECT b.paid FROM stazione_blocker(y.id, x.id, x.payment_plan_id, p_now) b) AS blocked_by_paid
    INTO r
    FROM payment_option x
    JOIN payment_position y ON y.id = x.payment_position_id
    JOIN payment_plan pl ON pl.id = x.payment_plan_id
   WHERE x.id = p_option_id;
  o := r.option;
  p := r.position;
  IF o.status <> 'PO_UNPAID' OR p.status IN ('PAID', 'REPORTED') OR r.blocked_by_paid THEN
    v_flags := v_flags || 'DOUBLE_PAYMENT'::text;
  END IF;
  -- VALID and EXPIRED are what time makes of a published position (the scheduler stores them): judged from
  -- PUBLISHED at the payment's moment, as if the receipt had come then
  v_at_payment := stazione_position_status(CASE WHEN p.status IN ('VALID', 'EXPIRED') THEN 'PUBLISHED' ELSE p.status END,
                                           p.validity_date, p.switch_to_expired, p.max_due_date, p_paid_at);
  IF v_at_payment = 'INVALID' THEN
    v_flags := v_flags || 'PAID_ON_INVALID'::text;
  ELSIF v_at_payment = 'EXPIRED' OR (o.due_date < p_paid_at AND o.status = 'PO_UNPAID' AND r.plan_expires) THEN
    v_flags := v_flags || 'PAID_AFTER_EXPIRY'::text;
  ELSIF v_at_payment IN ('DRAFT', 'PUBLISHED') OR r.plan_valid_from > p_paid_at THEN
    v_flags := v_flags || 'PAID_BEFORE_VALIDITY'::text;
  END IF;
  IF p_amount <> COALESCE(o.locked_amount, o.amount) THEN
    v_flags := v_flags || 'AMOUNT_MISMATCH'::text;
  END IF;
  RETURN v_flags;
END
$fn$
