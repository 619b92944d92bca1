-- stazione_emit_receipt_events: writes receipt event p_type (RECEIPT_STORED, RECEIPT_APPLIED) of receipt
-- p_receipt_id for notice p_nav, after p_payment_event (the PAID or PARTIALLY_PAID event of stazione_pay_option,
-- NULL when the receipt paid nothing new) and before DOUBLE_PAYMENT when the receipt is flagged so (the EC must
-- refund).
-- Decides: the receipt payload, in one place for both callers (stazione_record_receipt,
-- stazione_apply_waiting_receipts); p_position_id is NULL for a receipt no position holds.
-- Lock: the position's row, by stazione_emit_events; callers hold it already.
CREATE FUNCTION stazione_emit_receipt_events(p_ec text, p_position_id bigint, p_type text, p_receipt_id text, p_nav text,
                                             p_iupd text, p_position_status text, p_flags text[], p_payment_event jsonb)
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  v_payload jsonb := jsonb_strip_nulls(jsonb_build_object(
    'receiptId', p_receipt_id, 'noticeNumber', p_nav, 'iupd', p_iupd, 'positionStatus', p_position_status,
    'flags', to_jsonb(p_flags)));
  v_events jsonb := jsonb_build_array(jsonb_build_object(
    'type', p_type, 'aggregateType', 'receipt', 'aggregateId', p_receipt_id, 'payload', v_payload));
BEGIN
  IF p_payment_event IS NOT NULL THEN
    v_events := jsonb_build_array(p_payment_event) || v_events;
  END IF;
  IF 'DOUBLE_PAYMENT' = ANY (p_flags) THEN
    v_events := v_events || jsonb_build_object(
      'type', 'DOUBLE_PAYMENT', 'aggregateType', 'receipt', 'aggregateId', p_receipt_id, 'payload', v_payload);
  END IF;
  PERFORM stazione_emit_events(p_ec, p_position_id, v_events);
END
$fn$
