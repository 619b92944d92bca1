-- stazione_lock_notice_numbers: orders a receipt for a notice number that no option holds with a load of that
-- notice number (create, bulk create, full replace), so that one of them sees the other: either the load finds
-- the receipt and applies it (stazione_apply_waiting_receipts), or the receipt finds the loaded option.
-- Decides nothing. Receipts lock exclusively (p_exclusive), loads shared, so loads never wait for each other.
-- Lock: advisory, until the transaction ends, on the buckets the notice numbers fall in (64: one lock per
-- notice number would fill the lock table on a bulk load), taken in bucket order.
CREATE FUNCTION stazione_lock_notice_numbers(p_ec text, p_navs text[], p_exclusive boolean)
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  v_bucket integer;
BEGIN
  FOR v_bucket IN SELECT DISTINCT hashtext(p_ec || '/' || n) & 63 FROM unnest(p_navs) n ORDER BY 1 LOOP
    IF p_exclusive THEN
      PERFORM pg_advisory_xact_lock(hashtext('stazione_notice_number'), v_bucket);
    ELSE
      PERFORM pg_advisory_xact_lock_shared(hashtext('stazione_notice_number'), v_bucket);
    END IF;
  END LOOP;
END
$fn$
