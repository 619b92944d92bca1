-- stazione_apply_waiting_receipts: receipts that arrived for notice numbers of EC p_ec when no option held
-- them (stored unlinked, UNKNOWN_NOTICE) are applied to the options that now hold them, in the order they
-- arrived: the citizen has paid, so the notice must not be payable again. Each one applied gets a
-- RECEIPT_APPLIED outbox event (it had its RECEIPT_STORED when it came), after PAID or PARTIALLY_PAID when it
-- pays its option, and DOUBLE_PAYMENT when it is one.
-- Returns how many it applied.
-- Decides: as for a receipt arriving now (stazione_receipt_flags, judged by the payment date or else by the
-- arrival; stazione_pay_option): the first pays the option, a second is a double payment. UNKNOWN_NOTICE stays,
-- to tell that the receipt came first.
-- Called by the store in the transaction that inserts options (create, bulk create, full replace), after the
-- insert, with their notice numbers.
-- Lock: the notice-number buckets, shared (stazione_lock_notice_numbers), taken before the receipts are read,
-- so a receipt for these numbers that was being stored meanwhile is seen; the positions are the caller's.
CREATE FUNCTION stazione_apply_waiting_receipts(p_ec text, p_navs text[])
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  r record;
  v_now timestamptz := now();
  v_paid_at timestamptz;
  v_flags text[];
  v_paid record;
  v_applied integer := 0;
BEGIN
  PERFORM stazione_lock_notice_numbers(p_ec, p_navs, false);
  FOR r IN
    SELECT rc.id, rc.receipt_id, rc.notice_number, rc.payment_amount, rc.payment_date_time, rc.received_at, rc.receipt,
           o.id AS option_id
      FROM receipt rc
      JOIN payment_option o ON o.organization_fiscal_code = rc.organization_fiscal_code AND o.nav = rc.notice_number
     WHERE rc.organization_fiscal_code = p_ec AND rc.notice_number = ANY (p_navs) AND rc.payment_option_id IS NULL
       AND rc.notice_fiscal_code = p_ec AND 'UNKNOWN_NOTICE' = ANY (rc.flags) AND NOT 'OUTCOME_KO' = ANY (rc.flags)
     ORDER BY rc.received_at, rc.id
  LOOP
    v_paid_at := COALESCE(r.payment_date_time, r.received_at);
    v_flags := stazione_receipt_flags(r.option_id, r.payment_amount, v_paid_at, v_now);
    UPDATE receipt SET payment_option_id = r.option_id, flags = flags || v_flags WHERE id = r.id;
    v_paid := stazione_pay_option(r.option_id, r.receipt_id, v_paid_at, r.receipt, v_now);
    PERFORM stazione_emit_receipt_events(p_ec, v_paid.position_id, 'RECEIPT_APPLIED', r.receipt_id, r.notice_number,
      v_paid.iupd, v_paid.position_status, v_flags, v_paid.payment_event);
    v_applied := v_applied + 1;
  END LOOP;
  RETURN v_applied;
END
$fn$
