import type { Knex } from "knex";
import { runStatements } from "./helpers.ts";

/**
 * The payment decisions of paForNode run inside PostgreSQL so that each primitive costs one round
 * trip and every decision about one debt position is taken under that position's row lock
 * (activations, receipts and REST changes of the same position are serialised; different
 * positions never wait for each other).
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `-- The status a reader sees: publication takes effect at the validity date, expiry after the last due date.
    CREATE FUNCTION stazione_position_status(p_status text, p_validity timestamptz, p_switch_to_expired boolean,
                                             p_max_due timestamptz, p_now timestamptz)
    RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
      SELECT CASE
        WHEN p_status IN ('PUBLISHED', 'VALID') AND p_switch_to_expired AND p_max_due < p_now THEN 'EXPIRED'
        WHEN p_status = 'PUBLISHED' AND (p_validity IS NULL OR p_validity <= p_now) THEN 'VALID'
        ELSE p_status
      END
    $fn$`,
    `-- The option that keeps this one from being paid now: the single payment and the installments of a
    -- plan exclude each other (installments do not); a paid one first, else one being paid.
    CREATE FUNCTION stazione_blocker(p_position_id bigint, p_option_id bigint, p_is_partial boolean, p_now timestamptz)
    RETURNS TABLE (nav text, paid boolean) LANGUAGE sql STABLE AS $fn$
      SELECT x.nav, x.status <> 'PO_UNPAID'
        FROM payment_option x
       WHERE x.payment_position_id = p_position_id AND x.id <> p_option_id
         AND NOT (x.is_partial_payment AND p_is_partial)
         AND (x.status <> 'PO_UNPAID' OR x.lock_until > p_now)
       ORDER BY x.status <> 'PO_UNPAID' DESC
       LIMIT 1
    $fn$`,
    `-- Whether a notice can be paid now: OK | UNKNOWN | PAID | IN_PROGRESS | CANCELLED | EXPIRED.
    CREATE FUNCTION stazione_notice_state(p_position_status text, p_switch_to_expired boolean, p_option_status text,
                                          p_due_date timestamptz, p_blocker_paid boolean, p_now timestamptz)
    RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
      SELECT CASE
        WHEN p_position_status IN ('INVALID') THEN 'CANCELLED'
        WHEN p_position_status IN ('EXPIRED') THEN 'EXPIRED'
        WHEN p_position_status IN ('PAID', 'REPORTED') THEN 'PAID'
        WHEN p_position_status NOT IN ('VALID', 'PARTIALLY_PAID') THEN 'UNKNOWN'
        WHEN p_option_status <> 'PO_UNPAID' THEN 'PAID'
        WHEN p_switch_to_expired AND p_due_date < p_now THEN 'EXPIRED'
        WHEN p_blocker_paid THEN 'PAID'
        WHEN p_blocker_paid IS NOT NULL THEN 'IN_PROGRESS'
        ELSE 'OK'
      END
    $fn$`,
    `-- paGetPayment: the notice, locked for p_lock_seconds when payable (a repeated activation refreshes the
    -- lock and keeps the frozen amount). The position row lock serialises it with receipts and REST changes.
    -- Without p_stamps_allowed (V1 cannot describe an @e.bollo transfer) such a notice answers NEEDS_V2, unlocked.
    CREATE FUNCTION stazione_activate(p_ec text, p_nav text, p_lock_seconds integer, p_stamps_allowed boolean)
    RETURNS jsonb LANGUAGE plpgsql AS $fn$
    DECLARE
      v_position_id bigint;
      p payment_position%ROWTYPE;
      o payment_option%ROWTYPE;
      b record;
      v_now timestamptz := now();
      v_state text;
      v_amount bigint;
    BEGIN
      SELECT payment_position_id INTO v_position_id FROM payment_option WHERE organization_fiscal_code = p_ec AND nav = p_nav;
      IF NOT FOUND THEN RETURN jsonb_build_object('state', 'UNKNOWN'); END IF;
      SELECT * INTO p FROM payment_position WHERE id = v_position_id FOR UPDATE;
      -- read again under the lock: a concurrent full replace may have swapped the option rows
      SELECT * INTO o FROM payment_option WHERE organization_fiscal_code = p_ec AND nav = p_nav;
      IF p.id IS NULL OR o.id IS NULL OR o.payment_position_id <> p.id THEN
        RETURN jsonb_build_object('state', 'UNKNOWN');
      END IF;
      SELECT * INTO b FROM stazione_blocker(p.id, o.id, o.is_partial_payment, v_now);
      v_state := stazione_notice_state(
        stazione_position_status(p.status, p.validity_date, p.switch_to_expired, p.max_due_date, v_now),
        p.switch_to_expired, o.status, o.due_date, b.paid, v_now);
      IF v_state = 'OK' AND NOT p_stamps_allowed
         AND EXISTS (SELECT 1 FROM transfer t WHERE t.payment_option_id = o.id AND t.stamp_type IS NOT NULL) THEN
        v_state := 'NEEDS_V2';
      END IF;
      IF v_state <> 'OK' THEN
        RETURN jsonb_build_object('state', v_state, 'blocker', b.nav);
      END IF;

      v_amount := CASE WHEN o.lock_until > v_now THEN o.locked_amount ELSE o.amount END;
      -- A lock lost in a server crash is harmless (the receipt is stored whatever happens; the Node keeps its
      -- own token), so the activation does not wait for the WAL flush. Receipts stay durable.
      SET LOCAL synchronous_commit = off;
      UPDATE payment_option
         SET lock_until = v_now + make_interval(secs => p_lock_seconds), locked_amount = v_amount
       WHERE id = o.id;

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
    $fn$`,
    `-- Stores a receipt and applies it, in one transaction. A receipt is proof of payment: it is always
    -- stored; what is odd about it becomes a flag for the EC. outcome: STORED | DUPLICATE.
    -- Order: decide under the position's row lock, then insert the receipt once (a duplicate stops here
    -- with nothing changed), then apply it to the option and the position.
    CREATE FUNCTION stazione_record_receipt(p_ec text, p_receipt_id text, p_nav text, p_notice_ec text,
                                            p_version smallint, p_amount bigint, p_payment_date timestamptz,
                                            p_receipt jsonb, p_raw text, p_flags text[])
    RETURNS jsonb LANGUAGE plpgsql AS $fn$
    DECLARE
      v_receipt bigint;
      v_position_id bigint;
      p payment_position%ROWTYPE;
      o payment_option%ROWTYPE;
      v_flags text[] := p_flags;
      v_now timestamptz := now();
      v_effective text;
      v_status text;
      v_applies boolean := false;
    BEGIN
      IF p_ec <> p_notice_ec THEN
        -- this station serves a secondary beneficiary: the notice belongs to another EC
        v_flags := v_flags || 'SECONDARY_BENEFICIARY'::text;
      ELSIF 'OUTCOME_KO' = ANY (p_flags) THEN
        -- a receipt of a failed payment is kept for audit and changes nothing
        NULL;
      ELSE
        SELECT payment_position_id INTO v_position_id FROM payment_option WHERE organization_fiscal_code = p_ec AND nav = p_nav;
        IF v_position_id IS NOT NULL THEN
          SELECT * INTO p FROM payment_position WHERE id = v_position_id FOR UPDATE;
          SELECT * INTO o FROM payment_option WHERE organization_fiscal_code = p_ec AND nav = p_nav;
        END IF;
        IF p.id IS NULL OR o.id IS NULL THEN
          v_flags := v_flags || 'UNKNOWN_NOTICE'::text;
        ELSE
          v_applies := true;
          v_effective := stazione_position_status(p.status, p.validity_date, p.switch_to_expired, p.max_due_date, v_now);
          IF o.status <> 'PO_UNPAID' OR v_effective IN ('PAID', 'REPORTED')
             OR (SELECT b.paid FROM stazione_blocker(p.id, o.id, o.is_partial_payment, v_now) b) THEN
            v_flags := v_flags || 'DOUBLE_PAYMENT'::text;
          END IF;
          IF v_effective = 'INVALID' THEN
            v_flags := v_flags || 'PAID_ON_INVALID'::text;
          ELSIF v_effective = 'EXPIRED' OR (p.switch_to_expired AND o.due_date < v_now AND o.status = 'PO_UNPAID') THEN
            v_flags := v_flags || 'PAID_AFTER_EXPIRY'::text;
          ELSIF v_effective IN ('DRAFT', 'PUBLISHED') THEN
            v_flags := v_flags || 'PAID_BEFORE_VALIDITY'::text;
          END IF;
          IF p_amount <> COALESCE(o.locked_amount, o.amount) THEN
            v_flags := v_flags || 'AMOUNT_MISMATCH'::text;
          END IF;
        END IF;
      END IF;

      INSERT INTO receipt (organization_fiscal_code, receipt_id, notice_number, notice_fiscal_code, payment_option_id,
                           primitive_version, payment_amount, payment_date_time, receipt, raw_body, flags)
      VALUES (p_ec, p_receipt_id, p_nav, p_notice_ec, o.id, p_version, p_amount, p_payment_date, p_receipt, p_raw, v_flags)
      ON CONFLICT (organization_fiscal_code, receipt_id) DO NOTHING
      RETURNING id INTO v_receipt;
      IF v_receipt IS NULL THEN RETURN jsonb_build_object('outcome', 'DUPLICATE'); END IF;

      IF v_applies THEN
        -- the first receipt pays the option; a later one is a double payment and changes nothing but the lock
        UPDATE payment_option SET
          status = 'PO_PAID',
          payment_date = CASE WHEN status = 'PO_UNPAID' THEN COALESCE(p_payment_date, v_now) ELSE payment_date END,
          payment_method = CASE WHEN status = 'PO_UNPAID' THEN left(p_receipt->>'paymentMethod', 35) ELSE payment_method END,
          psp_company = CASE WHEN status = 'PO_UNPAID' THEN left(p_receipt->>'PSPCompanyName', 70) ELSE psp_company END,
          id_receipt = CASE WHEN status = 'PO_UNPAID' THEN p_receipt_id ELSE id_receipt END,
          fee = CASE WHEN status = 'PO_UNPAID' THEN COALESCE((p_receipt->>'fee')::bigint, fee) ELSE fee END,
          lock_until = NULL,
          last_updated_date = v_now
        WHERE id = o.id AND (status = 'PO_UNPAID' OR lock_until IS NOT NULL);

        SELECT CASE
                 WHEN bool_or(NOT is_partial_payment AND status <> 'PO_UNPAID')
                   OR coalesce(bool_and(status <> 'PO_UNPAID') FILTER (WHERE is_partial_payment), false) THEN 'PAID'
                 WHEN bool_or(is_partial_payment AND status <> 'PO_UNPAID') THEN 'PARTIALLY_PAID'
               END
          INTO v_status
          FROM payment_option WHERE payment_position_id = p.id;
        -- an invalidated position stays INVALID (the EC refunds); any other one follows its payments
        IF v_status IS NOT NULL AND p.status NOT IN ('INVALID', 'REPORTED') AND p.status <> v_status THEN
          UPDATE payment_position
             SET status = v_status,
                 payment_date = CASE WHEN v_status = 'PAID' THEN COALESCE(p_payment_date, v_now) ELSE payment_date END,
                 last_updated_date = v_now,
                 version = version + 1
           WHERE id = p.id;
        ELSE
          v_status := p.status;
        END IF;
      END IF;

      INSERT INTO outbox (event_type, organization_fiscal_code, aggregate_type, aggregate_id, payload)
      VALUES ('RECEIPT_STORED', p_ec, 'receipt', p_receipt_id, jsonb_strip_nulls(jsonb_build_object(
        'receiptId', p_receipt_id, 'noticeNumber', p_nav, 'iupd', p.iupd, 'positionStatus', v_status,
        'flags', to_jsonb(v_flags))));
      RETURN jsonb_strip_nulls(jsonb_build_object('outcome', 'STORED', 'flags', to_jsonb(v_flags), 'positionStatus', v_status));
    END
    $fn$`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `DROP FUNCTION stazione_record_receipt(text, text, text, text, smallint, bigint, timestamptz, jsonb, text, text[])`,
    `DROP FUNCTION stazione_activate(text, text, integer, boolean)`,
    `DROP FUNCTION stazione_notice_state(text, boolean, text, timestamptz, boolean, timestamptz)`,
    `DROP FUNCTION stazione_blocker(bigint, bigint, boolean, timestamptz)`,
    `DROP FUNCTION stazione_position_status(text, timestamptz, boolean, timestamptz, timestamptz)`,
  ]);
}
