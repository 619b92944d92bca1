-- stazione_receipt_flags: what is odd about paying option p_option_id with a receipt, for the EC to look at.
-- Decides, judged by the payment (p_paid_at: the receipt's paymentDateTime, its arrival when it has none), not
-- by the delivery:
--   DOUBLE_PAYMENT        the option is already paid, or an installment of another plan is (the EC must refund)
--   PAID_ON_INVALID       the position was invalidated
--   PAID_AFTER_EXPIRY     paid after the due date of a notice whose plan is set to expire
--   PAID_BEFORE_VALIDITY  paid while the position was a draft or not yet valid
--   AMOUNT_MISMATCH       another amount than the one the station answered (frozen by the activation)
-- Lock: none taken; called under the position's row lock.
CREATE FUNCTION stazione_receipt_flags(p_option_id bigint, p_amount bigint, p_paid_at timestamptz, p_now timestamptz)
RETURNS text[] LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  o payment_option%ROWTYPE;
  p payment_position%ROWTYPE;
  v_flags text[] := '{}';
  v_at_payment text;
BEGIN
  SELECT * INTO o FROM payment_option WHERE id = p_option_id;
  SELECT * INTO p FROM payment_position WHERE id = o.payment_position_id;
  IF o.status <> 'PO_UNPAID' OR p.status IN ('PAID', 'REPORTED')
     OR (SELECT b.paid FROM stazione_blocker(p.id, o.id, o.payment_plan_id, p_now) b) THEN
    v_flags := v_flags || 'DOUBLE_PAYMENT'::text;
  END IF;
  -- VALID and EXPIRED are what time makes of a published position (the scheduler stores them): judged from
  -- PUBLISHED at the payment's moment, as if the receipt had come then
  v_at_payment := stazione_position_status(CASE WHEN p.status IN ('VALID', 'EXPIRED') THEN 'PUBLISHED' ELSE p.status END,
                                           p.validity_date, p.switch_to_expired, p.max_due_date, p_paid_at);
  IF v_at_payment = 'INVALID' THEN
    v_flags := v_flags || 'PAID_ON_INVALID'::text;
  ELSIF v_at_payment = 'EXPIRED' OR (o.due_date < p_paid_at AND o.status = 'PO_UNPAID'
                                      AND (SELECT pl.switch_to_expired FROM payment_plan pl WHERE pl.id = o.payment_plan_id)) THEN
    v_flags := v_flags || 'PAID_AFTER_EXPIRY'::text;
  ELSIF v_at_payment IN ('DRAFT', 'PUBLISHED') THEN
    v_flags := v_flags || 'PAID_BEFORE_VALIDITY'::text;
  END IF;
  IF p_amount <> COALESCE(o.locked_amount, o.amount) THEN
    v_flags := v_flags || 'AMOUNT_MISMATCH'::text;
  END IF;
  RETURN v_flags;
END
$fn$
