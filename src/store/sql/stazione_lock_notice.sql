-- stazione_lock_notice: the option that holds notice number p_nav of EC p_ec, with its position's row locked
-- for the rest of the transaction; NULL when no option holds that notice number.
-- Decides: which option a payment applies to when the position changes meanwhile. A REST replace (PUT, bulk
-- PUT) deletes and re-inserts a position's options, a delete removes them: the lookup is repeated under the
-- lock until the option found belongs to the locked position. So a change that committed first is seen (the
-- payment applies to the option that now holds the notice number, or to none), and a change that comes later
-- waits for this transaction and then sees the payment.
-- Lock: the position's row (FOR UPDATE), taken here. Each turn waits for one committed change of that
-- notice; after 100 the caller gets a serialization failure, which the store retries.
CREATE FUNCTION stazione_lock_notice(p_ec text, p_nav text)
RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  v_locked bigint;
  v_option_id bigint;
BEGIN
  FOR v_turn IN 1..100 LOOP
    SELECT p.id INTO v_locked
      FROM payment_option o JOIN payment_position p ON p.id = o.payment_position_id
     WHERE o.organization_fiscal_code = p_ec AND o.nav = p_nav
       FOR UPDATE OF p;
    IF NOT FOUND THEN
      -- no option holds it, or the position went away while its lock was awaited (then look again)
      IF NOT EXISTS (SELECT 1 FROM payment_option o WHERE o.organization_fiscal_code = p_ec AND o.nav = p_nav) THEN
        RETURN NULL;
      END IF;
      CONTINUE;
    END IF;
    -- a new statement, so it sees what committed while the lock was awaited
    SELECT o.id INTO v_option_id
      FROM payment_option o
     WHERE o.organization_fiscal_code = p_ec AND o.nav = p_nav AND o.payment_position_id = v_locked;
    IF v_option_id IS NOT NULL THEN RETURN v_option_id; END IF;
  END LOOP;
  RAISE EXCEPTION 'notice % of % kept changing while it was being locked', p_nav, p_ec USING ERRCODE = 'serialization_failure';
END
$fn$
