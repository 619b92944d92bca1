-- stazione_event_in_aca_feed: whether an event of type p_type belongs to the ACA feed.
-- Decides: the lifecycle of a notice that is not spontaneous does (spontaneous notices are made on demand for a
-- payment already under way, so the notice archive has nothing to answer for them); nothing without a position
-- (p_iupd NULL) does. One expression, so the planner inlines it into each event writer.
CREATE FUNCTION stazione_event_in_aca_feed(p_type text, p_iupd text, p_spontaneous boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $fn$
  SELECT p_iupd IS NOT NULL AND NOT p_spontaneous
     AND p_type IN ('CREATED', 'UPDATED', 'PUBLISHED', 'VALID', 'INVALIDATED', 'EXPIRED', 'DELETED', 'PARTIALLY_PAID', 'PAID')
$fn$
