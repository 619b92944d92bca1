-- stazione_positions_loaded: what follows the insert of positions holding notice numbers p_navs of EC p_ec
-- (create, bulk create, full replace; called by stazione_insert_positions): event p_event for each of them (CREATED
-- for a create; NULL when the caller writes its own event, as a full replace does once it is complete), then
-- the receipts that waited for those notice numbers (stazione_apply_waiting_receipts). Returns how many
-- receipts it applied.
-- Decides: the order a receiver sees: a new position's CREATED comes before anything a waiting receipt does to it.
-- Lock: the positions are the caller's (just inserted); see stazione_apply_waiting_receipts for the receipts.
CREATE FUNCTION stazione_positions_loaded(p_ec text, p_navs text[], p_event text)
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  v_position_id bigint;
BEGIN
  IF p_event IS NOT NULL THEN
    FOR v_position_id IN
      SELECT DISTINCT o.payment_position_id FROM payment_option o
       WHERE o.organization_fiscal_code = p_ec AND o.nav = ANY (p_navs)
       ORDER BY 1
    LOOP
      PERFORM stazione_emit_position_event(v_position_id, p_event);
    END LOOP;
  END IF;
  RETURN stazione_apply_waiting_receipts(p_ec, p_navs);
END
$fn$
