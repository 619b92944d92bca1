-- stazione_record_receipt: paSendRT(V2). Stores a receipt and applies it, in one transaction.
-- Decides: a receipt is proof of payment, so it is always stored; what is odd about it becomes a flag for the
-- EC (the ReceiptFlag set of src/domain/states.ts): STATION_MISMATCH, STAND_IN and OUTCOME_KO from the
-- parameters the payments service gives, SECONDARY_BENEFICIARY when this station's EC (p_ec) is not the
-- notice's (p_notice_ec: the notice is not touched), UNKNOWN_NOTICE when no option holds the notice number
-- (kept unlinked until the EC loads it: stazione_apply_waiting_receipts), the rest from
-- stazione_receipt_flags. A receipt of a failed payment (p_outcome KO) is kept and applied to nothing.
-- Returns {outcome: STORED, flags, positionStatus?}, or {outcome: DUPLICATE} for a receipt id already stored
-- (then nothing changes). A stored receipt writes event RECEIPT_STORED (stazione_emit_receipt_events), after
-- PAID or PARTIALLY_PAID when it pays its option.
-- Lock: the position's row (stazione_lock_notice): decide under it, insert the receipt once, then apply it
-- to the option and the position. For a notice number no option holds, the notice-number bucket instead
-- (stazione_lock_notice_numbers), so a load of that notice number running meanwhile either sees this
-- receipt or is seen by it; when it is seen, the call ends in a serialization failure and the store retries.
CREATE FUNCTION stazione_record_receipt(p_ec text, p_receipt_id text, p_nav text, p_notice_ec text, p_version smallint,
                                        p_outcome text, p_amount bigint, p_payment_date timestamptz,
                                        p_stand_in boolean, p_station_mismatch boolean, p_receipt jsonb, p_raw text)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_receipt bigint;
  v_option_id bigint;
  v_flags text[] := '{}';
  v_now timestamptz := now();
  v_paid_at timestamptz := COALESCE(p_payment_date, now());
  v_paid record;
  v_position_id bigint;
  v_iupd text;
  v_status text;
  v_payment_event jsonb;
BEGIN
  IF p_station_mismatch THEN v_flags := v_flags || 'STATION_MISMATCH'::text; END IF;
  IF p_stand_in THEN v_flags := v_flags || 'STAND_IN'::text; END IF;
  IF p_outcome = 'KO' THEN v_flags := v_flags || 'OUTCOME_KO'::text; END IF;
  IF p_ec <> p_notice_ec THEN
    v_flags := v_flags || 'SECONDARY_BENEFICIARY'::text;
  ELSIF p_outcome = 'OK' THEN
    v_option_id := stazione_lock_notice(p_ec, p_nav);
    IF v_option_id IS NULL THEN
      PERFORM stazione_lock_notice_numbers(p_ec, ARRAY[p_nav], true);
      IF EXISTS (SELECT 1 FROM payment_option WHERE organization_fiscal_code = p_ec AND nav = p_nav) THEN
        RAISE EXCEPTION 'notice % of % was loaded while its receipt % arrived', p_nav, p_ec, p_receipt_id
          USING ERRCODE = 'serialization_failure';
      END IF;
      v_flags := v_flags || 'UNKNOWN_NOTICE'::text;
    ELSE
      v_flags := v_flags || stazione_receipt_flags(v_option_id, p_amount, v_paid_at, v_now);
    END IF;
  END IF;

  INSERT INTO receipt (organization_fiscal_code, receipt_id, notice_number, notice_fiscal_code, payment_option_id,
                       primitive_version, payment_amount, payment_date_time, receipt, raw_body, flags)
  VALUES (p_ec, p_receipt_id, p_nav, p_notice_ec, v_option_id, p_version, p_amount, p_payment_date, p_receipt, p_raw, v_flags)
  ON CONFLICT (organization_fiscal_code, receipt_id) DO NOTHING
  RETURNING id INTO v_receipt;
  IF v_receipt IS NULL THEN RETURN jsonb_build_object('outcome', 'DUPLICATE'); END IF;

  IF v_option_id IS NOT NULL THEN
    v_paid := stazione_pay_option(v_option_id, p_receipt_id, v_paid_at, p_receipt, v_now);
    v_position_id := v_paid.position_id;
    v_iupd := v_paid.iupd;
    v_status := v_paid.position_status;
    v_payment_event := v_paid.payment_event;
  END IF;

  PERFORM stazione_emit_receipt_events(p_ec, v_position_id, 'RECEIPT_STORED', p_receipt_id, p_nav, v_iupd, v_status, v_flags,
                                       v_payment_event);
  RETURN jsonb_strip_nulls(jsonb_build_object('outcome', 'STORED', 'flags', to_jsonb(v_flags), 'positionStatus', v_status));
END
$fn$
