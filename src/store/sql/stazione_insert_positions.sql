-- stazione_insert_positions: new positions of EC p_ec with their plans, options and transfers, in one call
-- however many there are (each table's rows as one JSON array, unpacked by jsonb_to_recordset; see
-- insertPositions in src/store/positions.ts for the fields), then event p_event for each (CREATED for a create;
-- NULL when the caller writes its own event, as a full replace does once it is complete) and the receipts that
-- arrived for their notice numbers before they were loaded (stazione_apply_waiting_receipts), in that order: a
-- receiver sees a new position's CREATED before anything a waiting receipt does to it. One statement, so one
-- round trip and, outside a transaction, one commit: a single REST create costs nothing more.
-- A full replace gives back the position's id and event counter (and its spontaneous mark), so its events stay
-- one sequence on one position for a receiver.
-- Refuses: a clash with an existing IUPD, IUV or notice number (unique_violation, which the store names).
-- Called by the store for every insert of positions (create, bulk create, full replace).
-- A generic plan (the row estimates of jsonb_to_recordset do not depend on the arguments), so the insert is
-- planned once per connection rather than at every call.
CREATE FUNCTION stazione_insert_positions(p_ec text, p_positions jsonb, p_plans jsonb, p_options jsonb, p_transfers jsonb,
                                          p_event text)
RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
  v_position_ids bigint[];
  v_navs text[];
BEGIN
  WITH pos AS (
       INSERT INTO payment_position (id, event_sequence, spontaneous, organization_fiscal_code, iupd, type, fiscal_code,
         full_name, street_name, civic_number, postal_code, city, province, region, country, email, phone, company_name,
         office_name, validity_date, max_due_date, switch_to_expired, pay_stand_in, status, publish_date, inserted_date,
         last_updated_date)
       OVERRIDING SYSTEM VALUE
       SELECT coalesce(r.id, nextval(pg_get_serial_sequence('payment_position', 'id'))), coalesce(r.event_sequence, 0),
         coalesce(r.spontaneous, false), r.organization_fiscal_code, r.iupd, r.type, r.fiscal_code, r.full_name,
         r.street_name, r.civic_number, r.postal_code, r.city, r.province, r.region, r.country, r.email, r.phone,
         r.company_name, r.office_name,
         r.validity_date, r.max_due_date, r.switch_to_expired, r.pay_stand_in, r.status, r.publish_date,
         coalesce(r.inserted_date, now()), now()
       FROM jsonb_to_recordset(p_positions) AS r(id bigint, event_sequence integer, spontaneous boolean,
         organization_fiscal_code text, iupd text, type text, fiscal_code text, full_name text, street_name text,
         civic_number text, postal_code text, city text, province text, region text,
         country text, email text, phone text, company_name text, office_name text, validity_date timestamptz,
         max_due_date timestamptz, switch_to_expired boolean, pay_stand_in boolean, status text, publish_date timestamptz,
         inserted_date timestamptz)
       RETURNING id, iupd),
     plan AS (
       INSERT INTO payment_plan (payment_position_id, ord, description, debtor, validity_date, retention_date, switch_to_expired)
       SELECT pos.id, r.ord, r.description, r.debtor, r.validity_date, r.retention_date, r.switch_to_expired
       FROM jsonb_to_recordset(p_plans) AS r(iupd text, ord integer, description text, debtor jsonb,
         validity_date timestamptz, retention_date timestamptz, switch_to_expired boolean)
       JOIN pos ON pos.iupd = r.iupd
       RETURNING id, payment_position_id, ord),
     opt AS (
       INSERT INTO payment_option (payment_position_id, payment_plan_id, organization_fiscal_code, iuv, nav, amount, description,
         is_partial_payment, due_date, retention_date, metadata)
       SELECT pos.id, plan.id, p_ec, r.iuv, r.nav, r.amount, r.description, r.is_partial_payment, r.due_date, r.retention_date, r.metadata
       FROM jsonb_to_recordset(p_options) AS r(iupd text, plan integer, iuv text, nav text, amount bigint, description text,
         is_partial_payment boolean, due_date timestamptz, retention_date timestamptz, metadata jsonb, ord integer)
       JOIN pos ON pos.iupd = r.iupd
       JOIN plan ON plan.payment_position_id = pos.id AND plan.ord = r.plan
       ORDER BY r.ord
       RETURNING id, nav),
     tr AS (
       INSERT INTO transfer (payment_option_id, id_transfer, organization_fiscal_code, company_name, amount,
         remittance_information, category, iban, postal_iban, stamp_hash_document, stamp_type, stamp_provincial_residence, metadata)
       SELECT opt.id, r.id_transfer, r.organization_fiscal_code, r.company_name, r.amount, r.remittance_information,
         r.category, r.iban, r.postal_iban, r.stamp_hash_document, r.stamp_type, r.stamp_provincial_residence, r.metadata
       FROM jsonb_to_recordset(p_transfers) AS r(nav text, id_transfer text, organization_fiscal_code text, company_name text,
         amount bigint, remittance_information text, category text, iban text, postal_iban text, stamp_hash_document text,
         stamp_type text, stamp_provincial_residence text, metadata jsonb)
       JOIN opt ON opt.nav = r.nav)
  SELECT ARRAY(SELECT id FROM pos), ARRAY(SELECT nav FROM opt) INTO v_position_ids, v_navs;
  IF p_event IS NOT NULL THEN
    PERFORM stazione_emit_position_events(v_position_ids, p_event);
  END IF;
  PERFORM stazione_apply_waiting_receipts(p_ec, v_navs);
END
$fn$
