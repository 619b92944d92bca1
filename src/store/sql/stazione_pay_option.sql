-- stazione_pay_option: applies receipt p_receipt_id to option p_option_id and returns the position's IUPD and
-- status afterwards. Also how the EC marks an option paid outside pagoPA (src/store/positions.ts).
-- Decides: the first receipt pays the option (payment data from the receipt); a later one is a double payment
-- and changes nothing but the lock, which every receipt releases. The position then follows its plans: a plan
-- whose every installment is paid (a single payment is a plan of one) pays it, some paid installments make it
-- PARTIALLY_PAID; an invalidated (the EC refunds) or reported position keeps its status.
-- An option paid now (not before) writes event PAID when a plan of the position is now paid in full, else
-- PARTIALLY_PAID, with the receipt's id (NULL when p_by_receipt is false: the EC marked it paid outside pagoPA).
-- Lock: none taken; called under the position's row lock.
CREATE FUNCTION stazione_pay_option(p_option_id bigint, p_receipt_id text, p_paid_at timestamptz, p_receipt jsonb,
                                    p_now timestamptz, p_by_receipt boolean DEFAULT true,
                                    OUT iupd text, OUT position_status text)
LANGUAGE plpgsql AS $fn$
DECLARE
  p payment_position%ROWTYPE;
  v_option payment_option%ROWTYPE;
  v_plans text;
  v_status text;
BEGIN
  SELECT * INTO v_option FROM payment_option WHERE id = p_option_id;
  UPDATE payment_option SET
    status = 'PO_PAID',
    payment_date = CASE WHEN status = 'PO_UNPAID' THEN p_paid_at ELSE payment_date END,
    payment_method = CASE WHEN status = 'PO_UNPAID' THEN left(p_receipt->>'paymentMethod', 35) ELSE payment_method END,
    psp_company = CASE WHEN status = 'PO_UNPAID' THEN left(p_receipt->>'PSPCompanyName', 70) ELSE psp_company END,
    id_receipt = CASE WHEN status = 'PO_UNPAID' THEN p_receipt_id ELSE id_receipt END,
    fee = CASE WHEN status = 'PO_UNPAID' THEN COALESCE((p_receipt->>'fee')::bigint, fee) ELSE fee END,
    lock_until = NULL,
    last_updated_date = p_now
  WHERE id = p_option_id AND (status = 'PO_UNPAID' OR lock_until IS NOT NULL);

  SELECT x.* INTO p FROM payment_position x JOIN payment_option o ON o.payment_position_id = x.id WHERE o.id = p_option_id;
  SELECT CASE WHEN bool_or(plan_paid) THEN 'PAID' WHEN bool_or(some_paid) THEN 'PARTIALLY_PAID' END
    INTO v_plans
    FROM (SELECT bool_and(status <> 'PO_UNPAID') AS plan_paid, bool_or(status <> 'PO_UNPAID') AS some_paid
            FROM payment_option WHERE payment_position_id = p.id GROUP BY payment_plan_id) plans;
  v_status := v_plans;
  IF v_status IS NOT NULL AND p.status NOT IN ('INVALID', 'REPORTED') AND p.status <> v_status THEN
    UPDATE payment_position
       SET status = v_status,
           payment_date = CASE WHEN v_status = 'PAID' THEN p_paid_at ELSE payment_date END,
           last_updated_date = p_now,
           version = version + 1
     WHERE id = p.id;
  ELSE
    v_status := p.status;
  END IF;
  IF v_option.status = 'PO_UNPAID' THEN
    PERFORM stazione_emit_event(p.organization_fiscal_code, p.id, v_plans, 'position', p.iupd, jsonb_build_object(
      'positionStatus', v_status, 'noticeNumber', v_option.nav, 'iuv', v_option.iuv, 'amount', v_option.amount,
      'receiptId', CASE WHEN p_by_receipt THEN p_receipt_id END));
  END IF;
  iupd := p.iupd;
  position_status := v_status;
END
$fn$
