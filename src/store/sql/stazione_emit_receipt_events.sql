-- stazione_emit_receipt_events: writes receipt event p_type (RECEIPT_STORED, RECEIPT_APPLIED) of receipt
-- p_receipt_id for notice p_nav, and DOUBLE_PAYMENT beside it when the receipt is flagged so (the EC must refund).
-- Decides: the receipt payload, in one place for both callers (stazione_record_receipt,
-- stazione_apply_waiting_receipts); p_position_id is NULL for a receipt no position holds.
-- Lock: the position's row, by stazione_emit_event; callers hold it already.
CREATE FUNCTION stazione_emit_receipt_events(p_ec text, p_position_id bigint, p_type text, p_receipt_id text, p_nav text,
                                             p_iupd text, p_position_status text, p_flags text[])
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  v_payload jsonb := jsonb_strip_nulls(jsonb_build_object(
    'receiptId', p_receipt_id, 'noticeNumber', p_nav, 'iupd', p_iupd, 'positionStatus', p_position_status,
    'flags', to_jsonb(p_flags)));
BEGIN
  PERFORM stazione_emit_event(p_ec, p_position_id, p_type, 'receipt', p_receipt_id, v_payload);
  IF 'DOUBLE_PAYMENT' = ANY (p_flags) THEN
    PERFORM stazione_emit_event(p_ec, p_position_id, 'DOUBLE_PAYMENT', 'receipt', p_receipt_id, v_payload);
  END IF;
END
$fn$
