-- stazione_emit_position_event: writes lifecycle event p_type (CREATED, UPDATED, PUBLISHED, VALID, INVALIDATED,
-- EXPIRED, DELETED) of position p_position_id through stazione_emit_event, with the position as it stands now:
-- its stored status, company name and every notice (for DELETED, call it before the delete).
-- Decides: the lifecycle payload, in one place for every caller (REST changes, the scheduler). Each notice names
-- the debtor of its plan (co-obligors each have theirs); due dates are UTC, as JavaScript writes them.
-- Lock: the position's row, by stazione_emit_event; callers hold it already.
CREATE FUNCTION stazione_emit_position_event(p_position_id bigint, p_type text)
RETURNS bigint LANGUAGE sql AS $fn$
  SELECT stazione_emit_event(p.organization_fiscal_code, p.id, p_type, 'position', p.iupd, jsonb_build_object(
           'positionStatus', p.status,
           'companyName', p.company_name,
           'notices', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                'noticeNumber', o.nav, 'iuv', o.iuv, 'amount', o.amount,
                                'dueDate', to_char(o.due_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                'description', o.description, 'debtorType', pl.debtor->>'type',
                                'debtorFiscalCode', pl.debtor->>'fiscalCode', 'debtorFullName', pl.debtor->>'fullName')
                              ORDER BY o.id), '[]'::jsonb)
                         FROM payment_option o JOIN payment_plan pl ON pl.id = o.payment_plan_id
                        WHERE o.payment_position_id = p.id)))
    FROM payment_position p
   WHERE p.id = p_position_id
$fn$
