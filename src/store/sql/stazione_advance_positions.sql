-- stazione_advance_positions: one batch of the lifecycle scheduler (src/jobs/scheduler.ts). Stores for up to
-- p_limit positions the status readers see at p_now (stazione_position_status): PUBLISHED -> VALID at the
-- validity date, PUBLISHED or VALID -> EXPIRED after the last due date of a position set to expire, each with
-- its event (VALID, EXPIRED). Returns the counts; a batch that changes nothing means the work is done, or held
-- by others right now. (Expired activation locks: stazione_release_locks.)
-- Decides nothing of its own: the rule is stazione_position_status's. The candidates (PUBLISHED, or VALID, set
-- to expire and past its last due date) are found by partial indexes; the rule then picks among them.
-- Lock: each position's row, FOR UPDATE SKIP LOCKED: a position another instance is advancing, or that a
-- payment or a REST change holds, is left to a later batch; the row is checked again once locked, so no
-- position moves twice.
CREATE FUNCTION stazione_advance_positions(p_now timestamptz, p_limit integer, OUT valid integer, OUT expired integer)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_id bigint;
  v_status text;
BEGIN
  valid := 0;
  expired := 0;
  FOR v_id IN
    SELECT p.id FROM payment_position p
     WHERE (p.status = 'PUBLISHED' OR (p.status = 'VALID' AND p.switch_to_expired AND p.max_due_date < p_now))
       AND stazione_position_status(p.status, p.validity_date, p.switch_to_expired, p.max_due_date, p_now) <> p.status
     ORDER BY p.id
     LIMIT p_limit
       FOR UPDATE SKIP LOCKED
  LOOP
    UPDATE payment_position
       SET status = stazione_position_status(status, validity_date, switch_to_expired, max_due_date, p_now),
           last_updated_date = now(), version = version + 1
     WHERE id = v_id
    RETURNING status INTO v_status;
    PERFORM stazione_emit_position_events(ARRAY[v_id], v_status);
    IF v_status = 'VALID' THEN valid := valid + 1; ELSE expired := expired + 1; END IF;
  END LOOP;
END
$fn$
