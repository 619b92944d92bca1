-- stazione_emit_position_events: writes lifecycle event p_type (CREATED, UPDATED, PUBLISHED, VALID, INVALIDATED,
-- EXPIRED, DELETED) of each position in p_position_ids, with the position as it stands now: its stored status,
-- company name and every notice (for DELETED, call it before the delete). Events are written in position id order.
-- Decides: the lifecycle payload, in one place for every caller (REST changes, creates, the scheduler). Each notice
-- names the debtor of its plan (co-obligors each have theirs); due dates are UTC, as JavaScript writes them. Each
-- event takes the next number of its position's counter, as stazione_emit_event does, and the ACA flag of
-- stazione_event_in_aca_feed.
-- One statement however many positions (each statement run from plpgsql costs a fixed executor start-up), and
-- plpgsql rather than SQL so that its plan is kept for the session rather than made again at every call.
-- Lock: the positions' rows, by the counter's update; callers hold them already (or have just inserted them).
CREATE FUNCTION stazione_emit_position_events(p_position_ids bigint[], p_type text)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  WITH counter AS (
    UPDATE payment_position SET event_sequence = event_sequence + 1 WHERE id = ANY (p_position_ids)
    RETURNING id, organization_fiscal_code, iupd, status, company_name, event_sequence, spontaneous)
  INSERT INTO outbox (event_type, organization_fiscal_code, aggregate_type, aggregate_id, position_id, iupd, sequence,
                      aca, payload)
  SELECT p_type, c.organization_fiscal_code, 'position', c.iupd, c.id, c.iupd, c.event_sequence,
         stazione_event_in_aca_feed(p_type, c.iupd, c.spontaneous),
         jsonb_build_object('positionStatus', c.status, 'companyName', c.company_name, 'notices', n.notices)
    FROM counter c
    CROSS JOIN LATERAL (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
               'noticeNumber', o.nav, 'iuv', o.iuv, 'amount', o.amount,
               'dueDate', to_char(o.due_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
               'description', o.description, 'debtorType', pl.debtor->>'type',
               'debtorFiscalCode', pl.debtor->>'fiscalCode', 'debtorFullName', pl.debtor->>'fullName')
             ORDER BY o.id), '[]'::jsonb) AS notices
        FROM payment_option o JOIN payment_plan pl ON pl.id = o.payment_plan_id
       WHERE o.payment_position_id = c.id) n
   ORDER BY c.id;
END
$fn$
