-- stazione_emit_events: writes outbox events in the caller's transaction, the one making the change they tell.
-- p_events is a JSON array of {type, aggregateType, aggregateId, payload}, written in that order; returns their ids.
-- Decides: each event's place in its position's sequence (the position's counter, so the receiver can apply
-- them in order; no sequence for an event without a position, such as a receipt for an unknown notice). Whether
-- an event belongs to the ACA feed is stazione_event_in_aca_feed's rule.
-- One statement however many events: each statement run from plpgsql costs a fixed executor start-up, and the
-- counter is updated once (a receipt that pays writes two or three events).
-- Lock: the position's row, by the counter's update; every caller already holds it (or has just inserted it).
CREATE FUNCTION stazione_emit_events(p_ec text, p_position_id bigint, p_events jsonb)
RETURNS SETOF bigint LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN QUERY
  WITH counter AS (
    UPDATE payment_position SET event_sequence = event_sequence + jsonb_array_length(p_events) WHERE id = p_position_id
    RETURNING event_sequence - jsonb_array_length(p_events) AS last_before, iupd, spontaneous)
  INSERT INTO outbox (event_type, organization_fiscal_code, aggregate_type, aggregate_id, position_id, iupd, sequence,
                      aca, payload)
  SELECT e.event->>'type', p_ec, e.event->>'aggregateType', e.event->>'aggregateId', p_position_id, c.iupd,
         c.last_before + e.n, stazione_event_in_aca_feed(e.event->>'type', c.iupd, c.spontaneous), e.event->'payload'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(event, n) LEFT JOIN counter c ON true
   ORDER BY e.n
  RETURNING id;
END
$fn$
