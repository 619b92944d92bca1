-- stazione_position_status: the status a reader sees.
-- Decides: publication takes effect at the validity date (PUBLISHED reads as VALID from then on), and a
-- position set to expire reads as EXPIRED once its last due date has passed. Every other status is as stored.
-- Lock: none; a pure function of its arguments, called by readers and by the payment functions under the
-- position's row lock.
CREATE FUNCTION stazione_position_status(p_status text, p_validity timestamptz, p_switch_to_expired boolean,
                                         p_max_due timestamptz, p_now timestamptz)
RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE
    WHEN p_status IN ('PUBLISHED', 'VALID') AND p_switch_to_expired AND p_max_due < p_now THEN 'EXPIRED'
    WHEN p_status = 'PUBLISHED' AND (p_validity IS NULL OR p_validity <= p_now) THEN 'VALID'
    ELSE p_status
  END
$fn$
