-- stazione_notice_state: whether a notice can be paid now, as paVerifyPaymentNotice and paGetPayment answer.
-- Decides: OK | UNKNOWN | PAID | IN_PROGRESS | CANCELLED | EXPIRED (the NoticeState set of
-- src/domain/states.ts, less NEEDS_V2, which only stazione_activate adds), from the position status a reader
-- sees, the option and its blocker (p_blocker_paid: NULL without one, else whether the blocker is paid).
-- An unpaid option is UNKNOWN before the validity date of its plan (p_valid_from), as GPD answers "not found" for
-- an installment not valid yet: the position is VALID from its earliest plan's validity date, a later plan only
-- from its own.
-- Lock: none; a pure function of its arguments.
CREATE FUNCTION stazione_notice_state(p_position_status text, p_switch_to_expired boolean, p_option_status text,
                                      p_due_date timestamptz, p_valid_from timestamptz, p_blocker_paid boolean,
                                      p_now timestamptz)
RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE
    WHEN p_position_status IN ('INVALID') THEN 'CANCELLED'
    WHEN p_position_status IN ('EXPIRED') THEN 'EXPIRED'
    WHEN p_position_status IN ('PAID', 'REPORTED') THEN 'PAID'
    WHEN p_position_status NOT IN ('VALID', 'PARTIALLY_PAID') THEN 'UNKNOWN'
    WHEN p_option_status <> 'PO_UNPAID' THEN 'PAID'
    WHEN p_valid_from > p_now THEN 'UNKNOWN'
    WHEN p_switch_to_expired AND p_due_date < p_now THEN 'EXPIRED'
    WHEN p_blocker_paid THEN 'PAID'
    WHEN p_blocker_paid IS NOT NULL THEN 'IN_PROGRESS'
    ELSE 'OK'
  END
$fn$
