-- stazione_activate: paGetPayment(V2). The notice with what the Node needs to take the payment, locked for
-- p_lock_seconds when payable (a repeated activation refreshes the lock and answers the amount it froze).
-- Decides: the notice state (stazione_notice_state, stazione_blocker), plus NEEDS_V2 when p_stamps_allowed is
-- false (V1 cannot describe an @e.bollo transfer): such a notice is answered unlocked.
-- Returns {state, blocker?} or {state: 'OK', notice}. A new lock (not a refresh: the Node retrying the same
-- attempt) writes event ACTIVATED with the amount it froze.
-- Lock: the position's row (stazione_lock_notice), which serialises it with receipts and every REST change of the
-- position. The caller chooses the commit's durability (src/store/payments.ts).
CREATE FUNCTION stazione_activate(p_ec text, p_nav text, p_lock_seconds integer, p_stamps_allowed boolean)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_option_id bigint;
  p payment_position%ROWTYPE;
  o payment_option%ROWTYPE;
  b record;
  v_now timestamptz := now();
  v_state text;
  v_amount bigint;
BEGIN
  v_option_id := stazione_lock_notice(p_ec, p_nav);
  IF v_option_id IS NULL THEN RETURN jsonb_build_object('state', 'UNKNOWN'); END IF;
  SELECT * INTO o FROM payment_option WHERE id = v_option_id;
  SELECT * INTO p FROM payment_position WHERE id = o.payment_position_id;
  SELECT * INTO b FROM stazione_blocker(p.id, o.id, o.payment_plan_id, v_now);
  SELECT stazione_notice_state(
           stazione_position_status(p.status, p.validity_date, p.switch_to_expired, p.max_due_date, v_now),
           pl.switch_to_expired, o.status, o.due_date, pl.validity_date, b.paid, v_now)
    INTO v_state
    FROM payment_plan pl WHERE pl.id = o.payment_plan_id;
  IF v_state = 'OK' AND NOT p_stamps_allowed
     AND EXISTS (SELECT 1 FROM transfer t WHERE t.payment_option_id = o.id AND t.stamp_type IS NOT NULL) THEN
    v_state := 'NEEDS_V2';
  END IF;
  IF v_state <> 'OK' THEN
    RETURN jsonb_build_object('state', v_state, 'blocker', b.nav);
  END IF;

  v_amount := CASE WHEN o.lock_until > v_now THEN o.locked_amount ELSE o.amount END;
  UPDATE payment_option
     SET lock_until = v_now + make_interval(secs => p_lock_seconds), locked_amount = v_amount
   WHERE id = o.id;
  IF o.lock_until IS NULL OR o.lock_until <= v_now THEN
    PERFORM stazione_emit_event(p_ec, p.id, 'ACTIVATED', 'position', p.iupd, jsonb_build_object(
      'positionStatus', p.status, 'noticeNumber', o.nav, 'iuv', o.iuv, 'amount', v_amount));
  END IF;

  RETURN jsonb_build_object(
    'state', 'OK',
    'notice', jsonb_strip_nulls(jsonb_build_object(
      'iupd', p.iupd,
      'nav', o.nav,
      'iuv', o.iuv,
      'amount', v_amount,
      'description', o.description,
      'dueDate', o.due_date,
      'retentionDate', o.retention_date,
      'isPartialPayment', o.is_partial_payment,
      'metadata', o.metadata,
      'companyName', p.company_name,
      'officeName', p.office_name,
      'debtor', jsonb_build_object(
        'type', p.type, 'fiscalCode', p.fiscal_code, 'fullName', p.full_name, 'streetName', p.street_name,
        'civicNumber', p.civic_number, 'postalCode', p.postal_code, 'city', p.city, 'province', p.province,
        'region', p.region, 'country', p.country, 'email', p.email),
      'transfers', (
        SELECT jsonb_agg(jsonb_build_object(
                 'idTransfer', t.id_transfer, 'amount', t.amount, 'organizationFiscalCode', t.organization_fiscal_code,
                 'companyName', t.company_name, 'iban', t.iban, 'postalIban', t.postal_iban,
                 'stamp', CASE WHEN t.stamp_type IS NULL THEN NULL ELSE jsonb_build_object(
                    'hashDocument', t.stamp_hash_document, 'stampType', t.stamp_type,
                    'provincialResidence', t.stamp_provincial_residence) END,
                 'remittanceInformation', t.remittance_information, 'category', t.category,
                 'metadata', t.metadata) ORDER BY t.id_transfer)
          FROM transfer t WHERE t.payment_option_id = o.id)
    )));
END
$fn$
