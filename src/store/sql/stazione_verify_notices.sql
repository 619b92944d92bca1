-- stazione_verify_notices: paVerifyPaymentNotice for many notices in one call (the requests that arrived
-- together, see src/store/coalesce.ts). One row per (p_ecs[i], p_navs[i]) that names an option; a notice with
-- no row is unknown. Changes nothing, takes no lock.
-- Decides: the notice state (stazione_notice_state, stazione_blocker), as stazione_activate does; the amount
-- an activation froze while its lock holds.
-- A PL/pgSQL function with a generic plan, so that its query is planned once per connection, on PGlite too
-- (whose statements are otherwise planned at every call: planning the inlined rule cost more than running it;
-- a custom plan, which PL/pgSQL would keep choosing here, is planned again at every call as well).
CREATE FUNCTION stazione_verify_notices(p_ecs text[], p_navs text[])
RETURNS TABLE (ec text, nav text, state text, blocker text, amount bigint, description text, due_date timestamptz,
               company_name text, office_name text, all_postal boolean)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT o.organization_fiscal_code::text, o.nav::text,
         stazione_notice_state(
           stazione_position_status(p.status, p.validity_date, p.switch_to_expired, p.max_due_date, now()),
           pl.switch_to_expired, o.status, o.due_date, pl.validity_date, b.paid, now()),
         b.nav::text,
         CASE WHEN o.lock_until > now() THEN o.locked_amount ELSE o.amount END,
         o.description::text, o.due_date, p.company_name::text, p.office_name::text,
         (SELECT bool_and(t.postal_iban IS NOT NULL) FROM transfer t WHERE t.payment_option_id = o.id)
    FROM unnest(p_ecs, p_navs) AS k(ec, nav)
    JOIN payment_option o ON o.organization_fiscal_code = k.ec AND o.nav = k.nav
    JOIN payment_position p ON p.id = o.payment_position_id
    JOIN payment_plan pl ON pl.id = o.payment_plan_id
    LEFT JOIN LATERAL stazione_blocker(p.id, o.id, o.payment_plan_id, now()) b ON true;
END
$fn$
