-- stazione_emit_event: writes one outbox event in the caller's transaction, the one making the change it tells.
-- Decides: the event's place in its position's sequence (the position's counter, so the receiver can apply
-- them in order; no sequence for an event without a position, such as a receipt for an unknown notice). Whether
-- it belongs to the ACA feed is stazione_event_in_aca_feed's rule.
-- Lock: the position's row, by the counter's update; every caller already holds it (or has just inserted it).
CREATE FUNCTION stazione_emit_event(p_ec text, p_position_id bigint, p_type text, p_aggregate_type text,
                                    p_aggregate_id text, p_payload jsonb)
RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  v_sequence integer;
  v_iupd text;
  v_spontaneous boolean;
  v_id bigint;
BEGIN
  IF p_position_id IS NOT NULL THEN
    UPDATE payment_position SET event_sequence = event_sequence + 1 WHERE id = p_position_id
    RETURNING event_sequence, iupd, spontaneous INTO v_sequence, v_iupd, v_spontaneous;
  END IF;
  INSERT INTO outbox (event_type, organization_fiscal_code, aggregate_type, aggregate_id, position_id, iupd, sequence,
                      aca, payload)
  VALUES (p_type, p_ec, p_aggregate_type, p_aggregate_id, p_position_id, v_iupd, v_sequence,
          stazione_event_in_aca_feed(p_type, v_iupd, v_spontaneous), p_payload)
  RETURNING id INTO v_id;
  RETURN v_id;
END
$fn$
