-- stazione_lock_notice: the option that holds notice number p_nav of EC p_ec, with its position's row locked
-- for the rest of the transaction; NULL when no option holds that notice number.
-- Decides: which option a payment applies to when the position changes meanwhile. A REST replace (PUT, bulk
-- PUT) or delete removes the position's row, and its options with it: a lock that waited for such a change finds
-- the row gone, and the lookup is made again by a new statement, which sees what committed (the option that now
-- holds the notice number, or none). Any other change leaves the option where it was (no option is deleted, moved
-- or renumbered without deleting its position's row), so the option found with the lock is the one to pay. A
-- change that comes later waits for this transaction and then sees the payment.
-- Lock: the position's row (FOR UPDATE), taken here. Each turn waits for one committed change of that
-- notice; after 100 the caller gets a serialization failure, which the store retries.
CREATE FUNCTION stazione_lock_notice(p_ec text, p_nav text)
RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  v_option_id bigint;
BEGIN
  FOR v_turn IN 1..100 LOOP
    SELECT o.id INTO v_option_id
      FROM payment_option o JOIN payment_position p ON p.id = o.payment_position_id
     WHERE o.organization_fiscal_code = p_ec AND o.nav = p_nav
       FOR UPDATE OF p;
    IF FOUND THEN RETURN v_option_id; END IF;
    -- no option holds it, or the position went away while its lock was awaited (then look again)
    IF NOT EXISTS (SELECT 1 FROM payment_option o WHERE o.organization_fiscal_code = p_ec AND o.nav = p_nav) THEN
      RETURN NULL;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'notice % of % kept changing while it was being locked', p_nav, p_ec USING ERRCODE = 'serialization_failure';
END
$fn$
