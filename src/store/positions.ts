/**
 * Debt positions: every query about positions, their options and transfers. Functions take the
 * Sql handle (or transaction) first and speak domain types. Callers own the transactions.
 */
import type { Debtor, NewPosition } from "../domain/position.ts";
import type { PositionStatus } from "../domain/states.ts";
import type { NoticeState, StoredOption, StoredPosition, StoredTransfer } from "../domain/stored.ts";
import { isUniqueViolation, type PgError, type Sql } from "./db.ts";
import { BLOCKER_JOIN, NOTICE_STATE, NOTICE_STATE_OF_OPTION, POSITION_STATUS } from "./fragments.ts";

/** A uniqueness constraint refused a write: which one, and the clashing key (its last column). */
export class UniqueViolation extends Error {
  constructor(
    readonly constraint: string,
    readonly key: string | undefined,
  ) {
    super(`unique violation of ${constraint}`);
    this.name = "UniqueViolation";
  }
}

function uniqueViolation(error: PgError & { detail?: string }): UniqueViolation {
  // detail: 'Key (organization_fiscal_code, iuv)=(77777777777, 01000000000000199) already exists.'
  return new UniqueViolation(error.constraint ?? "", /=\((.*)\)/.exec(error.detail ?? "")?.[1]?.split(", ").pop());
}

export interface PositionToInsert {
  position: NewPosition;
  status: PositionStatus;
  publishDate: Date | undefined;
  /** Kept across a full replace, so the position keeps its creation time. */
  insertedDate?: Date;
  /** Kept across a full replace too: the position's id and event counter, so its events stay one sequence for a receiver. */
  id?: number;
  eventSequence?: number;
  /** Made on demand (spontaneous payments), kept off the ACA feed; kept across a full replace. */
  spontaneous?: boolean;
}

/**
 * Inserts positions with their plans, options and transfers, writes `event` for each (CREATED; none for a
 * full replace, whose caller writes UPDATED once it is complete), and applies the receipts that arrived
 * for their notice numbers before them, in one statement however many there are
 * (stazione_insert_positions): atomic on its own, or part of the caller's transaction.
 */
export async function insertPositions(sql: Sql, entries: readonly PositionToInsert[], event: "CREATED" | undefined): Promise<void> {
  const positions = entries.map((e) => e.position);
  const positionRows = entries.map(({ position: p, status, publishDate, insertedDate, id, eventSequence, spontaneous }) => ({
    id,
    event_sequence: eventSequence,
    spontaneous,
    organization_fiscal_code: p.organizationFiscalCode,
    iupd: p.iupd,
    type: p.debtor.type,
    fiscal_code: p.debtor.fiscalCode,
    full_name: p.debtor.fullName,
    street_name: p.debtor.streetName,
    civic_number: p.debtor.civicNumber,
    postal_code: p.debtor.postalCode,
    city: p.debtor.city,
    province: p.debtor.province,
    region: p.debtor.region,
    country: p.debtor.country,
    email: p.debtor.email,
    phone: p.debtor.phone,
    company_name: p.companyName,
    office_name: p.officeName,
    validity_date: p.validityDate,
    max_due_date: new Date(Math.max(...p.options.map((o) => o.dueDate.getTime()))),
    switch_to_expired: p.switchToExpired,
    pay_stand_in: p.payStandIn,
    status,
    publish_date: publishDate,
    inserted_date: insertedDate,
  }));
  const planRows = positions.flatMap((p) =>
    p.plans.map((plan, ord) => ({
      iupd: p.iupd,
      ord,
      description: plan.description,
      debtor: plan.debtor,
      validity_date: plan.validityDate,
      retention_date: plan.retentionDate,
      switch_to_expired: plan.switchToExpired,
    })),
  );
  // ord: ids follow the order options were given in, which reads show them in
  const optionRows = positions.flatMap((p) =>
    p.options.map((o) => ({
      iupd: p.iupd,
      plan: o.plan,
      iuv: o.iuv,
      nav: o.nav,
      amount: o.amount,
      description: o.description,
      is_partial_payment: o.isPartialPayment,
      due_date: o.dueDate,
      retention_date: o.retentionDate,
      metadata: o.metadata,
    })),
  ).map((row, ord) => ({ ...row, ord }));
  const transferRows = positions.flatMap((p) =>
    p.options.flatMap((o) =>
      o.transfers.map((t) => ({
        nav: o.nav,
        id_transfer: t.idTransfer,
        organization_fiscal_code: t.organizationFiscalCode,
        company_name: t.companyName,
        amount: t.amount,
        remittance_information: t.remittanceInformation,
        category: t.category,
        iban: t.iban,
        postal_iban: t.postalIban,
        stamp_hash_document: t.stamp?.hashDocument,
        stamp_type: t.stamp?.stampType,
        stamp_provincial_residence: t.stamp?.provincialResidence,
        metadata: t.metadata,
      })),
    ),
  );
  const ec = positions[0]?.organizationFiscalCode;
  if (ec === undefined) return;
  await sql.query("SELECT stazione_insert_positions($1, $2::jsonb, $3::jsonb, $4::jsonb, $5::jsonb, $6)", [
    ec,
    JSON.stringify(positionRows),
    JSON.stringify(planRows),
    JSON.stringify(optionRows),
    JSON.stringify(transferRows),
    event ?? null,
  ]).catch((error: unknown) => {
    throw isUniqueViolation(error) ? uniqueViolation(error) : error;
  });
}

/** What a change of a position needs to know, read under the position's row lock. */
export interface PositionHead {
  id: number;
  status: PositionStatus;
  validityDate: Date | null;
  insertedDate: Date;
  publishDate: Date | null;
  eventSequence: number;
  spontaneous: boolean;
  /** Notice number of an option being paid right now, if any. */
  lockedNav: string | null;
  iuvs: string[];
}

/**
 * Locks a position row for the rest of the transaction and returns its head, or undefined. A full
 * replace that committed while this waited deleted the row waited for and inserted a new one, which
 * only a new statement sees: so a miss is looked up again (a replace in between each time is rare).
 */
export async function lockPosition(tx: Sql, ec: string, iupd: string): Promise<PositionHead | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const head = await lockPositionOnce(tx, ec, iupd);
    if (head) return head;
  }
  return undefined;
}

async function lockPositionOnce(tx: Sql, ec: string, iupd: string): Promise<PositionHead | undefined> {
  const rows = await tx.query<PositionHead>(
    `SELECT p.id,
            ${POSITION_STATUS} AS status,
            p.validity_date AS "validityDate", p.inserted_date AS "insertedDate", p.publish_date AS "publishDate",
            p.event_sequence AS "eventSequence", p.spontaneous,
            (SELECT o.nav FROM payment_option o WHERE o.payment_position_id = p.id AND o.lock_until > now() LIMIT 1) AS "lockedNav",
            ARRAY(SELECT o.iuv FROM payment_option o WHERE o.payment_position_id = p.id) AS iuvs
       FROM payment_position p
      WHERE p.organization_fiscal_code = $1 AND p.iupd = $2
      FOR UPDATE OF p`,
    [ec, iupd],
  );
  return rows[0];
}

export async function deletePositions(tx: Sql, ids: readonly number[]): Promise<void> {
  await tx.query("DELETE FROM payment_position WHERE id = ANY($1::bigint[])", [ids]);
}

export async function setPositionStatus(tx: Sql, id: number, status: PositionStatus, publishDate?: Date): Promise<void> {
  await tx.query(
    `UPDATE payment_position
        SET status = $2, publish_date = coalesce($3, publish_date), last_updated_date = now(), version = version + 1
      WHERE id = $1`,
    [id, status, publishDate ?? null],
  );
}

const TRANSFER_JSON = `jsonb_strip_nulls(jsonb_build_object(
  'idTransfer', t.id_transfer, 'organizationFiscalCode', t.organization_fiscal_code, 'companyName', t.company_name,
  'amount', t.amount, 'remittanceInformation', t.remittance_information, 'category', t.category, 'iban', t.iban,
  'postalIban', t.postal_iban,
  'stamp', CASE WHEN t.stamp_type IS NULL THEN NULL ELSE jsonb_build_object('hashDocument', t.stamp_hash_document,
    'stampType', t.stamp_type, 'provincialResidence', t.stamp_provincial_residence) END,
  'metadata', t.metadata, 'status', t.status, 'insertedDate', t.inserted_date, 'lastUpdatedDate', t.last_updated_date))`;

const OPTION_JSON = `jsonb_strip_nulls(jsonb_build_object(
  'plan', (SELECT pl.ord FROM payment_plan pl WHERE pl.id = o.payment_plan_id), 'nav', o.nav, 'iuv', o.iuv, 'organizationFiscalCode', o.organization_fiscal_code, 'amount', o.amount,
  'description', o.description, 'isPartialPayment', o.is_partial_payment, 'dueDate', o.due_date,
  'retentionDate', o.retention_date, 'fee', o.fee, 'notificationFee', o.notification_fee, 'status', o.status,
  'paymentDate', o.payment_date, 'paymentMethod', o.payment_method, 'pspCompany', o.psp_company,
  'idReceipt', o.id_receipt, 'lockedUntil', CASE WHEN o.lock_until > now() THEN o.lock_until END,
  'noticeState', ${NOTICE_STATE_OF_OPTION},
  'insertedDate', o.inserted_date, 'lastUpdatedDate', o.last_updated_date, 'metadata', o.metadata,
  'transfers', (SELECT coalesce(jsonb_agg(${TRANSFER_JSON} ORDER BY t.id_transfer), '[]') FROM transfer t WHERE t.payment_option_id = o.id)))`;

const DEBTOR_JSON = `jsonb_strip_nulls(jsonb_build_object('type', p.type, 'fiscalCode', p.fiscal_code, 'fullName', p.full_name,
    'streetName', p.street_name, 'civicNumber', p.civic_number, 'postalCode', p.postal_code, 'city', p.city,
    'province', p.province, 'region', p.region, 'country', p.country, 'email', p.email, 'phone', p.phone))`;

const PLAN_JSON = `jsonb_strip_nulls(jsonb_build_object(
  'description', pl.description, 'debtor', pl.debtor, 'validityDate', pl.validity_date, 'retentionDate', pl.retention_date,
  'switchToExpired', pl.switch_to_expired, 'insertedDate', pl.inserted_date))`;

const POSITION_JSON = `jsonb_strip_nulls(jsonb_build_object(
  'organizationFiscalCode', p.organization_fiscal_code, 'iupd', p.iupd,
  'debtor', ${DEBTOR_JSON},
  'companyName', p.company_name, 'officeName', p.office_name, 'validityDate', p.validity_date,
  'switchToExpired', p.switch_to_expired, 'payStandIn', p.pay_stand_in,
  'status', ${POSITION_STATUS},
  'insertedDate', p.inserted_date, 'publishDate', p.publish_date, 'lastUpdatedDate', p.last_updated_date,
  'paymentDate', p.payment_date, 'version', p.version,
  'plans', (SELECT coalesce(jsonb_agg(${PLAN_JSON} ORDER BY pl.ord), '[]') FROM payment_plan pl WHERE pl.payment_position_id = p.id),
  'options', (SELECT coalesce(jsonb_agg(${OPTION_JSON} ORDER BY o.id), '[]') FROM payment_option o WHERE o.payment_position_id = p.id)))`;

export async function getPosition(sql: Sql, ec: string, iupd: string): Promise<StoredPosition | undefined> {
  const rows = await sql.query<{ position: StoredPosition }>(
    `SELECT ${POSITION_JSON} AS position FROM payment_position p WHERE p.organization_fiscal_code = $1 AND p.iupd = $2`,
    [ec, iupd],
  );
  return rows[0]?.position;
}

/** The position that holds notice number `nav` of EC `ec`, if any. */
/** The positions holding these notice numbers, in one statement: one answer per key, in the order given. */
export async function getPositionsByNotice(sql: Sql, keys: readonly { ec: string; nav: string }[]): Promise<(StoredPosition | undefined)[]> {
  const rows = await sql.query<{ position: StoredPosition | null }>(
    `SELECT (SELECT ${POSITION_JSON} FROM payment_position p
              WHERE p.id = (SELECT o.payment_position_id FROM payment_option o WHERE o.organization_fiscal_code = k.ec AND o.nav = k.nav)) AS position
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(ec, nav, n)
      ORDER BY k.n`,
    [keys.map((k) => k.ec), keys.map((k) => k.nav)],
  );
  return rows.map((r) => r.position ?? undefined);
}

export async function getPositions(sql: Sql, ec: string, iupds: readonly string[]): Promise<StoredPosition[]> {
  const rows = await sql.query<{ position: StoredPosition }>(
    `SELECT ${POSITION_JSON} AS position FROM payment_position p
      WHERE p.organization_fiscal_code = $1 AND p.iupd = ANY($2::text[]) ORDER BY p.id`,
    [ec, iupds],
  );
  return rows.map((r) => r.position);
}

/** The position that holds an option, found by the option's notice number or IUV. */
export async function getPositionOfOption(sql: Sql, ec: string, navOrIuv: string): Promise<StoredPosition | undefined> {
  const rows = await sql.query<{ position: StoredPosition }>(
    `SELECT ${POSITION_JSON} AS position FROM payment_position p
      WHERE p.id = (SELECT o.payment_position_id FROM payment_option o
                     WHERE o.organization_fiscal_code = $1 AND (o.nav = $2 OR o.iuv = $2) ORDER BY o.nav = $2 DESC LIMIT 1)`,
    [ec, navOrIuv],
  );
  return rows[0]?.position;
}

export interface PositionFilter {
  dueDateFrom?: Date;
  dueDateTo?: Date;
  paymentDateFrom?: Date;
  paymentDateTo?: Date;
  /** Any of these statuses (as readers see them). */
  statuses?: readonly PositionStatus[];
  /** Only positions with an IUV starting with one of these codes. */
  segregationCodes?: readonly string[];
}

/** Sort keys; STATUS sorts by the status readers see, as the status filter does. */
export const ORDER_COLUMNS = { INSERTED_DATE: "p.inserted_date", IUPD: "p.iupd", STATUS: POSITION_STATUS, COMPANY_NAME: "p.company_name" } as const;
export type OrderBy = keyof typeof ORDER_COLUMNS;

export interface Page {
  limit: number;
  page: number;
  orderBy: OrderBy;
  ordering: "ASC" | "DESC";
}

/** One page of positions and the true number of positions that match the filter. */
export async function listPositions(sql: Sql, ec: string, filter: PositionFilter, page: Page): Promise<{ items: StoredPosition[]; total: number }> {
  const params: unknown[] = [ec];
  const where = ["p.organization_fiscal_code = $1"];
  const bind = (value: unknown) => `$${params.push(value)}`;
  if (filter.dueDateFrom || filter.dueDateTo) {
    const bounds = [
      filter.dueDateFrom ? `o.due_date >= ${bind(filter.dueDateFrom)}` : "true",
      filter.dueDateTo ? `o.due_date < ${bind(filter.dueDateTo)}` : "true",
    ];
    where.push(`EXISTS (SELECT 1 FROM payment_option o WHERE o.payment_position_id = p.id AND ${bounds.join(" AND ")})`);
  }
  if (filter.paymentDateFrom) where.push(`p.payment_date >= ${bind(filter.paymentDateFrom)}`);
  if (filter.paymentDateTo) where.push(`p.payment_date < ${bind(filter.paymentDateTo)}`);
  if (filter.statuses) where.push(`${POSITION_STATUS} = ANY(${bind(filter.statuses)}::text[])`);
  if (filter.segregationCodes) {
    where.push(`EXISTS (SELECT 1 FROM payment_option o WHERE o.payment_position_id = p.id AND left(o.iuv, 2) = ANY(${bind(filter.segregationCodes)}::text[]))`);
  }
  const whereSql = where.join(" AND ");
  const [counted] = await sql.query<{ total: number }>(`SELECT count(*) AS total FROM payment_position p WHERE ${whereSql}`, params);
  const order = `${ORDER_COLUMNS[page.orderBy]} ${page.ordering === "ASC" ? "ASC" : "DESC"}, p.id ${page.ordering === "ASC" ? "ASC" : "DESC"}`;
  const rows = await sql.query<{ position: StoredPosition }>(
    `SELECT ${POSITION_JSON} AS position FROM payment_position p WHERE ${whereSql}
      ORDER BY ${order} LIMIT ${bind(page.limit)} OFFSET ${bind(page.limit * page.page)}`,
    params,
  );
  return { items: rows.map((r) => r.position), total: counted?.total ?? 0 };
}

/** A payment option with what GPD tells about its position: IUPD, status, debtor, company and office. */
export interface StoredOptionWithPosition extends StoredOption {
  iupd: string;
  debtPositionStatus: PositionStatus;
  debtor: Debtor;
  companyName: string;
  officeName?: string;
  payStandIn: boolean;
  /** The validity date of its plan (GPD v3: of its payment option), when it has one. */
  validFrom?: string;
}

/** A payment option by notice number or by IUV (GPD looks up both), with its position. */
export async function getOptionWithPosition(sql: Sql, ec: string, navOrIuv: string): Promise<StoredOptionWithPosition | undefined> {
  return (await getOptionsWithPosition(sql, [{ ec, navOrIuv }]))[0];
}

export interface OptionKey {
  ec: string;
  /** A notice number, or an IUV; an option whose notice number it is comes first. */
  navOrIuv: string;
}

/** Options by notice number or IUV with their positions, in one statement: one answer per key, in the order given. */
export async function getOptionsWithPosition(sql: Sql, keys: readonly OptionKey[]): Promise<(StoredOptionWithPosition | undefined)[]> {
  const rows = await sql.query<{ option: StoredOptionWithPosition | null }>(
    `SELECT (SELECT ${OPTION_JSON} || jsonb_strip_nulls(jsonb_build_object('iupd', p.iupd, 'debtPositionStatus', ${POSITION_STATUS},
                      'debtor', ${DEBTOR_JSON}, 'companyName', p.company_name, 'officeName', p.office_name, 'payStandIn', p.pay_stand_in,
                      'validFrom', pl.validity_date))
               FROM payment_option o JOIN payment_position p ON p.id = o.payment_position_id JOIN payment_plan pl ON pl.id = o.payment_plan_id
              WHERE o.organization_fiscal_code = k.ec AND (o.nav = k.key OR o.iuv = k.key)
              ORDER BY o.nav = k.key DESC
              LIMIT 1) AS option
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(ec, key, n)
      ORDER BY k.n`,
    [keys.map((k) => k.ec), keys.map((k) => k.navOrIuv)],
  );
  return rows.map((r) => r.option ?? undefined);
}

/** An option about to be paid outside pagoPA, read under its position's row lock. */
export interface OptionToPay {
  positionId: number;
  optionId: number;
  iupd: string;
  nav: string;
  iuv: string;
  /** What paVerifyPaymentNotice would answer now. */
  state: NoticeState;
  blocker: string | null;
  /** A paGetPayment holds the option right now. */
  locked: boolean;
}

/**
 * Locks the position of an option (by notice number or IUV) and reads the option's state after
 * the lock is held, so a receipt that held it first is seen.
 */
export async function lockOptionToPay(tx: Sql, ec: string, navOrIuv: string): Promise<OptionToPay | undefined> {
  const [locked] = await tx.query<{ id: number }>(
    `SELECT p.id FROM payment_position p
      WHERE p.id = (SELECT o.payment_position_id FROM payment_option o
                     WHERE o.organization_fiscal_code = $1 AND (o.nav = $2 OR o.iuv = $2) ORDER BY o.nav = $2 DESC LIMIT 1)
      FOR UPDATE`,
    [ec, navOrIuv],
  );
  if (!locked) return undefined;
  const [option] = await tx.query<OptionToPay>(
    `SELECT p.id AS "positionId", o.id AS "optionId", p.iupd, o.nav, o.iuv, ${NOTICE_STATE} AS state, b.nav AS blocker,
            coalesce(o.lock_until > now(), false) AS locked
       FROM payment_option o
       JOIN payment_position p ON p.id = o.payment_position_id
       ${BLOCKER_JOIN}
      WHERE p.id = $1 AND (o.nav = $2 OR o.iuv = $2)
      ORDER BY o.nav = $2 DESC LIMIT 1`,
    [locked.id, navOrIuv],
  );
  return option;
}

/** GPD's marker in idReceipt and pspCompany of an option the EC marked paid. */
export const MARKED_PAID_BY_EC = "CLOSED_AS_ALREADY_PAID_BY_EC";

/** What is known of a payment made outside a receipt (GPD's PaymentOptionModel); the EC's marker stands in for what is missing. */
export interface OutsidePayment {
  paymentDate: Date;
  paymentMethod?: string;
  pspCompany?: string;
  idReceipt?: string;
  fee?: number;
}

/**
 * Marks a locked option paid without a receipt: stazione_pay_option applies it as a receipt would (GPD's
 * marker as receipt id and PSP when not given), so the position's status follows the same rule; its PAID or
 * PARTIALLY_PAID event names no receipt.
 */
export async function markOptionPaid(tx: Sql, ec: string, target: OptionToPay, payment: OutsidePayment): Promise<void> {
  await tx.query(
    `SELECT stazione_emit_events($5, paid.position_id, jsonb_build_array(paid.payment_event))
       FROM stazione_pay_option($1, $2::text, $3, $4::jsonb, now(), p_by_receipt => false) paid
      WHERE paid.payment_event IS NOT NULL`,
    [
      target.optionId,
      payment.idReceipt ?? MARKED_PAID_BY_EC,
      payment.paymentDate,
      JSON.stringify({ PSPCompanyName: payment.pspCompany ?? MARKED_PAID_BY_EC, paymentMethod: payment.paymentMethod, fee: payment.fee }),
      ec,
    ],
  );
}

export type TransferReport = { outcome: "REPORTED"; transfer: StoredTransfer } | { outcome: "NOT_FOUND" | "NOT_ACCOUNTABLE" };

/** Reports a transfer through stazione_report_transfer (which takes the position's row lock), then reads it back. */
export async function reportTransfer(tx: Sql, ec: string, iuv: string, idTransfer: string): Promise<TransferReport> {
  const [done] = (await tx.query<{ outcome: TransferReport["outcome"]; id: number | null }>(
    `SELECT outcome, transfer_id AS id FROM stazione_report_transfer($1, $2, $3, now())`,
    [ec, iuv, idTransfer],
  )) as [{ outcome: TransferReport["outcome"]; id: number | null }];
  if (done.outcome !== "REPORTED") return { outcome: done.outcome };
  const [read] = await tx.query<{ transfer: StoredTransfer }>(`SELECT ${TRANSFER_JSON} AS transfer FROM transfer t WHERE t.id = $1`, [done.id]);
  return { outcome: "REPORTED", transfer: read!.transfer };
}

/**
 * Replaces an IBAN on up to `limit` transfers of unpaid options no payment holds, in positions
 * still open (DRAFT, PUBLISHED, VALID, PARTIALLY_PAID as readers see them). The positions are
 * locked first, in id order, so a payment in flight either finishes before or sees the new IBAN.
 * Answers how many transfers changed and the positions they belong to.
 */
export async function changeTransferIban(tx: Sql, ec: string, oldIban: string, newIban: string, limit: number): Promise<{ transfers: number; positionIds: number[] }> {
  const locked = await tx.query<{ id: number }>(
    `SELECT p.id FROM payment_position p
      WHERE p.organization_fiscal_code = $1
        AND EXISTS (SELECT 1 FROM payment_option o JOIN transfer t ON t.payment_option_id = o.id
                     WHERE o.payment_position_id = p.id AND t.iban = $2)
      ORDER BY p.id LIMIT $3
      FOR UPDATE`,
    [ec, oldIban, limit],
  );
  if (locked.length === 0) return { transfers: 0, positionIds: [] };
  const changed = await tx.query<{ positionId: number }>(
    `UPDATE transfer SET iban = $2, last_updated_date = now()
      WHERE id IN (SELECT t.id
                     FROM transfer t
                     JOIN payment_option o ON o.id = t.payment_option_id
                     JOIN payment_position p ON p.id = o.payment_position_id
                    WHERE p.id = ANY($4::bigint[]) AND t.iban = $1 AND o.status = 'PO_UNPAID'
                      AND (o.lock_until IS NULL OR o.lock_until <= now())
                      AND ${POSITION_STATUS} IN ('DRAFT', 'PUBLISHED', 'VALID', 'PARTIALLY_PAID')
                    ORDER BY t.id LIMIT $3)
      RETURNING (SELECT o.payment_position_id FROM payment_option o WHERE o.id = transfer.payment_option_id) AS "positionId"`,
    [oldIban, newIban, limit, locked.map((r) => r.id)],
  );
  return { transfers: changed.length, positionIds: [...new Set(changed.map((r) => Number(r.positionId)))] };
}
