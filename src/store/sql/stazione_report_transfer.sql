-- stazione_report_transfer: marks transfer p_id_transfer of the option with IUV p_iuv of EC p_ec reported
-- (GPD's reportTransfer, after the PSP's money reached the EC) and answers the outcome: REPORTED, NOT_FOUND, or
-- NOT_ACCOUNTABLE when the position is not PAID or PARTIALLY_PAID, the option is not paid, or the transfer was
-- reported already. Decides, as GPD: the option becomes PO_REPORTED when all its transfers are reported,
-- PO_PARTIALLY_REPORTED before; the position becomes REPORTED when every installment of one plan is PO_REPORTED
-- (a single payment is a plan of one).
-- Lock: takes the position's row lock, as payments do, so a receipt and a report never interleave.
CREATE FUNCTION stazione_report_transfer(p_ec text, p_iuv text, p_id_transfer text, p_now timestamptz,
                                         OUT outcome text, OUT transfer_id bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_position payment_position%ROWTYPE;
  v_option payment_option%ROWTYPE;
  v_transfer transfer%ROWTYPE;
BEGIN
  SELECT p.* INTO v_position FROM payment_position p
   WHERE p.id = (SELECT o.payment_position_id FROM payment_option o WHERE o.organization_fiscal_code = p_ec AND o.iuv = p_iuv)
     FOR UPDATE;
  SELECT o.* INTO v_option FROM payment_option o WHERE o.payment_position_id = v_position.id AND o.iuv = p_iuv;
  SELECT t.* INTO v_transfer FROM transfer t WHERE t.payment_option_id = v_option.id AND t.id_transfer = p_id_transfer;
  IF v_transfer.id IS NULL THEN
    outcome := 'NOT_FOUND';
    RETURN;
  END IF;
  transfer_id := v_transfer.id;
  IF v_position.status NOT IN ('PAID', 'PARTIALLY_PAID') OR v_option.status NOT IN ('PO_PAID', 'PO_PARTIALLY_REPORTED')
     OR v_transfer.status <> 'T_UNREPORTED' THEN
    outcome := 'NOT_ACCOUNTABLE';
    RETURN;
  END IF;

  UPDATE transfer SET status = 'T_REPORTED', last_updated_date = p_now WHERE id = v_transfer.id;
  UPDATE payment_option o
     SET status = CASE WHEN EXISTS (SELECT 1 FROM transfer t WHERE t.payment_option_id = o.id AND t.status <> 'T_REPORTED')
                       THEN 'PO_PARTIALLY_REPORTED' ELSE 'PO_REPORTED' END,
         last_updated_date = p_now
   WHERE o.id = v_option.id;
  IF EXISTS (SELECT 1 FROM payment_option o WHERE o.payment_position_id = v_position.id
              GROUP BY o.payment_plan_id HAVING bool_and(o.status = 'PO_REPORTED')) THEN
    UPDATE payment_position SET status = 'REPORTED', last_updated_date = p_now, version = version + 1 WHERE id = v_position.id;
  ELSE
    UPDATE payment_position SET last_updated_date = p_now, version = version + 1 WHERE id = v_position.id;
  END IF;
  outcome := 'REPORTED';
END
$fn$
