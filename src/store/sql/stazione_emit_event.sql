-- stazione_emit_event: writes one outbox event in the caller's transaction, the one making the change it tells.
-- Decides: the event's place in its position's sequence (the position's counter, so the receiver can apply
-- them in order; no sequence for an event without a position, such as a receipt for an unknown notice). Whether
-- it belongs to the ACA feed is stazione_event_in_aca_feed's rule.
-- Lock: the position's row, by the counter's update; every caller already holds it (or has just inserted it).
CREATE FUNCTION stazione_emit_event(p_ec text, p_position_id bigint, p_type text, p_aggregate_type text,
                                    p_aggregate_id text, p_payload jsonb)
RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  v_id bigint;
BEGIN
  -- the counter's update and the insert in one statement: each statement run from plpgsql costs a fixed
  -- executor start-up, and a payment writes two or three events
  WITH counter AS (
    UPDATE payment_position SET event_sequence = event_sequence + 1 WHERE id = p_position_id
    RETURNING event_sequence, iupd, spontaneous)
  INSERT INTO outbox (event_type, organization_fiscal_code, aggregate_type, aggregate_id, position_id, iupd, sequence,
                      aca, payload)
  SELECT p_type, p_ec, p_aggregate_type, p_aggregate_id, p_position_id, c.iupd, c.event_sequence,
         stazione_event_in_aca_feed(p_type, c.iupd, c.spontaneous), p_payload
    FROM (VALUES (true)) AS one LEFT JOIN counter c ON true
  RETURNING id INTO v_id;
  RETURN v_id;
END
$fn$
