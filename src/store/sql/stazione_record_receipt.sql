-- stazione_record_receipt: paSendRT(V2). Stores a receipt and applies it, in one transaction.
-- Decides: a receipt is proof of payment, so it is always stored; what is odd about it becomes a flag for
-- the EC (the ReceiptFlag set of src/domain/states.ts); the first receipt of an option pays it, and the
-- position status follows its options. Returns {outcome: STORED, flags, positionStatus?} or
-- {outcome: DUPLICATE} for a receipt id already stored (then nothing changes).
-- Lock: the position's row (FOR UPDATE): decide under it, insert the receipt once, then apply it to the
-- option and the position.
CREATE FUNCTION stazione_record_receipt(p_ec text, p_receipt_id text, p_nav text, p_notice_ec text,
                                        p_version smallint, p_amount bigint, p_payment_date timestamptz,
                                        p_receipt jsonb, p_raw text, p_flags text[])
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_receipt bigint;
  v_position_id bigint;
  p payment_position%ROWTYPE;
  o payment_option%ROWTYPE;
  v_flags text[] := p_flags;
  v_now timestamptz := now();
  v_effective text;
  v_status text;
  v_applies boolean := false;
BEGIN
  IF p_ec <> p_notice_ec THEN
    -- this station serves a secondary beneficiary: the notice belongs to another EC
    v_flags := v_flags || 'SECONDARY_BENEFICIARY'::text;
  ELSIF 'OUTCOME_KO' = ANY (p_flags) THEN
    -- a receipt of a failed payment is kept for audit and changes nothing
    NULL;
  ELSE
    SELECT payment_position_id INTO v_position_id FROM payment_option WHERE organization_fiscal_code = p_ec AND nav = p_nav;
    IF v_position_id IS NOT NULL THEN
      SELECT * INTO p FROM payment_position WHERE id = v_position_id FOR UPDATE;
      SELECT * INTO o FROM payment_option WHERE organization_fiscal_code = p_ec AND nav = p_nav;
    END IF;
    IF p.id IS NULL OR o.id IS NULL THEN
      v_flags := v_flags || 'UNKNOWN_NOTICE'::text;
    ELSE
      v_applies := true;
      v_effective := stazione_position_status(p.status, p.validity_date, p.switch_to_expired, p.max_due_date, v_now);
      IF o.status <> 'PO_UNPAID' OR v_effective IN ('PAID', 'REPORTED')
         OR (SELECT b.paid FROM stazione_blocker(p.id, o.id, o.is_partial_payment, v_now) b) THEN
        v_flags := v_flags || 'DOUBLE_PAYMENT'::text;
      END IF;
      IF v_effective = 'INVALID' THEN
        v_flags := v_flags || 'PAID_ON_INVALID'::text;
      ELSIF v_effective = 'EXPIRED' OR (p.switch_to_expired AND o.due_date < v_now AND o.status = 'PO_UNPAID') THEN
        v_flags := v_flags || 'PAID_AFTER_EXPIRY'::text;
      ELSIF v_effective IN ('DRAFT', 'PUBLISHED') THEN
        v_flags := v_flags || 'PAID_BEFORE_VALIDITY'::text;
      END IF;
      IF p_amount <> COALESCE(o.locked_amount, o.amount) THEN
        v_flags := v_flags || 'AMOUNT_MISMATCH'::text;
      END IF;
    END IF;
  END IF;

  INSERT INTO receipt (organization_fiscal_code, receipt_id, notice_number, notice_fiscal_code, payment_option_id,
                       primitive_version, payment_amount, payment_date_time, receipt, raw_body, flags)
  VALUES (p_ec, p_receipt_id, p_nav, p_notice_ec, o.id, p_version, p_amount, p_payment_date, p_receipt, p_raw, v_flags)
  ON CONFLICT (organization_fiscal_code, receipt_id) DO NOTHING
  RETURNING id INTO v_receipt;
  IF v_receipt IS NULL THEN RETURN jsonb_build_object('outcome', 'DUPLICATE'); END IF;

  IF v_applies THEN
    -- the first receipt pays the option; a later one is a double payment and changes nothing but the lock
    UPDATE payment_option SET
      status = 'PO_PAID',
      payment_date = CASE WHEN status = 'PO_UNPAID' THEN COALESCE(p_payment_date, v_now) ELSE payment_date END,
      payment_method = CASE WHEN status = 'PO_UNPAID' THEN left(p_receipt->>'paymentMethod', 35) ELSE payment_method END,
      psp_company = CASE WHEN status = 'PO_UNPAID' THEN left(p_receipt->>'PSPCompanyName', 70) ELSE psp_company END,
      id_receipt = CASE WHEN status = 'PO_UNPAID' THEN p_receipt_id ELSE id_receipt END,
      fee = CASE WHEN status = 'PO_UNPAID' THEN COALESCE((p_receipt->>'fee')::bigint, fee) ELSE fee END,
      lock_until = NULL,
      last_updated_date = v_now
    WHERE id = o.id AND (status = 'PO_UNPAID' OR lock_until IS NOT NULL);

    SELECT CASE
             WHEN bool_or(NOT is_partial_payment AND status <> 'PO_UNPAID')
               OR coalesce(bool_and(status <> 'PO_UNPAID') FILTER (WHERE is_partial_payment), false) THEN 'PAID'
             WHEN bool_or(is_partial_payment AND status <> 'PO_UNPAID') THEN 'PARTIALLY_PAID'
           END
      INTO v_status
      FROM payment_option WHERE payment_position_id = p.id;
    -- an invalidated position stays INVALID (the EC refunds); any other one follows its payments
    IF v_status IS NOT NULL AND p.status NOT IN ('INVALID', 'REPORTED') AND p.status <> v_status THEN
      UPDATE payment_position
         SET status = v_status,
             payment_date = CASE WHEN v_status = 'PAID' THEN COALESCE(p_payment_date, v_now) ELSE payment_date END,
             last_updated_date = v_now,
             version = version + 1
       WHERE id = p.id;
    ELSE
      v_status := p.status;
    END IF;
  END IF;

  INSERT INTO outbox (event_type, organization_fiscal_code, aggregate_type, aggregate_id, payload)
  VALUES ('RECEIPT_STORED', p_ec, 'receipt', p_receipt_id, jsonb_strip_nulls(jsonb_build_object(
    'receiptId', p_receipt_id, 'noticeNumber', p_nav, 'iupd', p.iupd, 'positionStatus', v_status,
    'flags', to_jsonb(v_flags))));
  RETURN jsonb_strip_nulls(jsonb_build_object('outcome', 'STORED', 'flags', to_jsonb(v_flags), 'positionStatus', v_status));
END
$fn$
