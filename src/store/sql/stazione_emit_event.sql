-- stazione_emit_event: writes one outbox event (stazione_emit_events) and returns its id.
-- Lock: the position's row, as stazione_emit_events.
CREATE FUNCTION stazione_emit_event(p_ec text, p_position_id bigint, p_type text, p_aggregate_type text,
                                    p_aggregate_id text, p_payload jsonb)
RETURNS bigint LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN (SELECT id FROM stazione_emit_events(p_ec, p_position_id, jsonb_build_array(jsonb_build_object(
    'type', p_type, 'aggregateType', p_aggregate_type, 'aggregateId', p_aggregate_id, 'payload', p_payload))) AS id);
END
$fn$
