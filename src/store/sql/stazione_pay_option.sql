-- stazione_pay_option: applies receipt p_receipt_id to option p_option_id and returns the position's id, IUPD
-- and status afterwards. Also how the EC marks an option paid outside pagoPA (src/store/positions.ts).
-- Decides: the first receipt pays the option (payment data from the receipt); a later one is a double payment
-- and changes nothing but the lock, which every receipt releases. The position then follows its plans: a plan
-- whose every installment is paid (a single payment is a plan of one) pays it, some paid installments make it
-- PARTIALLY_PAID; an invalidated (the EC refunds) or reported position keeps its status.
-- An option paid now (not before) makes event PAID when a plan of the position is now paid in full, else
-- PARTIALLY_PAID, with the receipt's id (NULL when p_by_receipt is false: the EC marked it paid outside pagoPA).
-- It is returned (payment_event, for stazione_emit_events), not written: the caller writes it with its own
-- events, in one statement. NULL when the option was paid before.
-- Lock: none taken; called under the position's row lock.
CREATE FUNCTION stazione_pay_option(p_option_id bigint, p_receipt_id text, p_paid_at timestamptz, p_receipt jsonb,
                                    p_now timestamptz, p_by_receipt boolean DEFAULT true,
                                    OUT iupd text, OUT position_status text, OUT position_id bigint,
                                    OUT payment_event jsonb)
LANGUAGE plpgsql AS $fn$
DECLARE
  v record;
  v_status text;
BEGIN
  -- the option and its position as they are now, and what the plans make of the position once the option is
  -- paid (it counts as paid here, before its update): one statement
  SELECT o.status AS option_status, o.lock_until, o.nav, o.iuv, o.amount,
         p.id AS position_id, p.organization_fiscal_code, p.iupd, p.status AS position_status,
         (SELECT CASE WHEN bool_or(plan_paid) THEN 'PAID' ELSE 'PARTIALLY_PAID' END
            FROM (SELECT bool_and(x.status <> 'PO_UNPAID' OR x.id = o.id) AS plan_paid
                    FROM payment_option x WHERE x.payment_position_id = p.id GROUP BY x.payment_plan_id) plans) AS plans_status
    INTO v
    FROM payment_option o JOIN payment_position p ON p.id = o.payment_position_id
   WHERE o.id = p_option_id;
  IF v.option_status = 'PO_UNPAID' OR v.lock_until IS NOT NULL THEN
    UPDATE payment_option SET
      status = 'PO_PAID',
      payment_date = CASE WHEN status = 'PO_UNPAID' THEN p_paid_at ELSE payment_date END,
      payment_method = CASE WHEN status = 'PO_UNPAID' THEN left(p_receipt->>'paymentMethod', 35) ELSE payment_method END,
      psp_company = CASE WHEN status = 'PO_UNPAID' THEN left(p_receipt->>'PSPCompanyName', 70) ELSE psp_company END,
      id_receipt = CASE WHEN status = 'PO_UNPAID' THEN p_receipt_id ELSE id_receipt END,
      fee = CASE WHEN status = 'PO_UNPAID' THEN COALESCE((p_receipt->>'fee')::bigint, fee) ELSE fee END,
      lock_until = NULL,
      last_updated_date = p_now
    WHERE id = p_option_id;
  END IF;
  v_status := v.plans_status;
  IF v.position_status NOT IN ('INVALID', 'REPORTED') AND v.position_status <> v_status THEN
    UPDATE payment_position
       SET status = v_status,
           payment_date = CASE WHEN v_status = 'PAID' THEN p_paid_at ELSE payment_date END,
           last_updated_date = p_now,
           version = version + 1
     WHERE id = v.position_id;
  ELSE
    v_status := v.position_status;
  END IF;
  IF v.option_status = 'PO_UNPAID' THEN
    payment_event := jsonb_build_object('type', v.plans_status, 'aggregateType', 'position', 'aggregateId', v.iupd,
      'payload', jsonb_build_object('positionStatus', v_status, 'noticeNumber', v.nav, 'iuv', v.iuv, 'amount', v.amount,
                                    'receiptId', CASE WHEN p_by_receipt THEN p_receipt_id END));
  END IF;
  iupd := v.iupd;
  position_status := v_status;
  position_id := v.position_id;
END
$fn$
