-- stazione_lock_notice_numbers: orders a receipt for a notice number that no option holds with a load of that
-- notice number (create, bulk create, full replace), so that one of them sees the other: either the load finds
-- the receipt and applies it (stazione_apply_waiting_receipts), or the receipt finds the loaded option.
-- Decides nothing. Receipts lock exclusively (p_exclusive), loads shared, so loads never wait for each other.
-- Lock: advisory, until the transaction ends, on the buckets the notice numbers fall in (64: one lock per
-- notice number would fill the lock table on a bulk load), taken in bucket order, all in one statement (each
-- statement run from plpgsql costs a fixed executor start-up).
CREATE FUNCTION stazione_lock_notice_numbers(p_ec text, p_navs text[], p_exclusive boolean)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM CASE WHEN p_exclusive THEN pg_advisory_xact_lock(hashtext('stazione_notice_number'), b.bucket)
               ELSE pg_advisory_xact_lock_shared(hashtext('stazione_notice_number'), b.bucket) END
     FROM (SELECT DISTINCT hashtext(p_ec || '/' || n) & 63 AS bucket FROM unnest(p_navs) n ORDER BY 1) b;
END
$fn$
