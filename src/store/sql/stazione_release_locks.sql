-- stazione_release_locks: one step of the lifecycle scheduler's sweep of activation locks (src/jobs/scheduler.ts).
-- Reads the next p_span options by id from p_from, clears up to p_limit of their locks that ended before p_now,
-- and returns how many it cleared and where the next step starts: after the last lock cleared when it cleared
-- p_limit, else after the options it read, or back at 0 when it read the last option.
-- Decides nothing of its own: every reader already treats a lock past its lock_until as gone; this tidies the
-- row. Expired locks are not indexed (lock_until changes on every activation and receipt, which stay HOT
-- updates), so the options are walked a span at a time by their primary key: a step costs the same whatever the
-- size of the table, and a sweep goes round it in (options / p_span) steps.
-- Lock: the option rows it clears, FOR UPDATE SKIP LOCKED: a lock being paid or renewed right now is left for
-- the next round.
CREATE FUNCTION stazione_release_locks(p_now timestamptz, p_limit integer, p_from bigint, p_span integer,
                                       OUT released integer, OUT next_from bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_read integer;
  v_last_read bigint;
  v_last_released bigint;
BEGIN
  SELECT count(*)::integer, max(s.id) INTO v_read, v_last_read
    FROM (SELECT o.id FROM payment_option o WHERE o.id >= p_from ORDER BY o.id LIMIT p_span) s;

  WITH cleared AS (
    UPDATE payment_option SET lock_until = NULL
     WHERE id IN (SELECT o.id FROM payment_option o
                   WHERE o.id >= p_from AND o.id <= v_last_read AND o.lock_until < p_now
                   ORDER BY o.id LIMIT p_limit
                     FOR UPDATE SKIP LOCKED)
       AND lock_until < p_now
    RETURNING id)
  SELECT count(*)::integer, max(id) INTO released, v_last_released FROM cleared;

  next_from := CASE WHEN released = p_limit THEN v_last_released + 1
                    WHEN v_read < p_span THEN 0
                    ELSE v_last_read + 1 END;
END
$fn$
