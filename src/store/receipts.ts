/** Receipts: recording one (paSendRT/paSendRTV2) and reading them back. */
import { createHash } from "node:crypto";
import type { PositionStatus, ReceiptFlag } from "../domain/states.ts";
import type { StoredReceipt, StoredRejectedReceipt } from "../domain/stored.ts";
import type { Sql } from "./db.ts";

export interface ReceiptToRecord {
  /** The EC the receipt was sent to (idPA). */
  organizationFiscalCode: string;
  receiptId: string;
  noticeNumber: string;
  /** The EC that issued the notice (receipt/fiscalCode). */
  noticeFiscalCode: string;
  primitiveVersion: 1 | 2;
  /** KO: a failed payment, kept and applied to nothing. */
  outcome: "OK" | "KO";
  paymentAmount: number;
  /** When the citizen paid; the arrival stands in when absent. */
  paymentDateTime: Date | undefined;
  /** Taken by the Node in Stand-In. */
  standIn: boolean;
  /** Sent with another broker or station id than this station's. */
  stationMismatch: boolean;
  receipt: Record<string, unknown>;
  rawBody: string;
}

export type RecordOutcome =
  | { outcome: "STORED"; flags: ReceiptFlag[]; positionStatus?: PositionStatus }
  | { outcome: "DUPLICATE" };

/** Stores the receipt and applies it to its notice in one round trip (see stazione_record_receipt). */
export async function recordReceipt(sql: Sql, r: ReceiptToRecord): Promise<RecordOutcome> {
  const rows = await sql.query<{ result: RecordOutcome }>(
    `SELECT stazione_record_receipt(p_ec => $1, p_receipt_id => $2, p_nav => $3, p_notice_ec => $4, p_version => $5::smallint,
              p_outcome => $6, p_amount => $7, p_payment_date => $8, p_stand_in => $9, p_station_mismatch => $10,
              p_receipt => $11::jsonb, p_raw => $12) AS result`,
    [
      r.organizationFiscalCode,
      r.receiptId,
      r.noticeNumber,
      r.noticeFiscalCode,
      r.primitiveVersion,
      r.outcome,
      r.paymentAmount,
      r.paymentDateTime ?? null,
      r.standIn,
      r.stationMismatch,
      JSON.stringify(r.receipt),
      r.rawBody,
    ],
  );
  return rows[0]!.result;
}

const RECEIPT_COLUMNS = `r.organization_fiscal_code AS "organizationFiscalCode", r.receipt_id AS "receiptId",
  r.notice_number AS "noticeNumber", r.notice_fiscal_code AS "noticeFiscalCode", r.primitive_version AS "primitiveVersion",
  r.payment_amount AS "paymentAmount", r.payment_date_time AS "paymentDateTime", r.flags, r.received_at AS "receivedAt",
  r.receipt`;

/** Receipts stored for the options of a position, oldest first. */
export async function listReceiptsOfPosition(sql: Sql, ec: string, iupd: string): Promise<StoredReceipt[]> {
  return sql.query<StoredReceipt>(
    `SELECT ${RECEIPT_COLUMNS}
       FROM receipt r
       JOIN payment_option o ON o.id = r.payment_option_id
       JOIN payment_position p ON p.id = o.payment_position_id
      WHERE p.organization_fiscal_code = $1 AND p.iupd = $2 AND r.organization_fiscal_code = $1
      ORDER BY r.received_at, r.id`,
    [ec, iupd],
  );
}

/** Which stored receipts a list shows; every condition is optional and they all apply. */
export interface ReceiptFilter {
  flag?: string;
  /** Receipts with this flag are left out (e.g. OUTCOME_KO where only payments count). */
  withoutFlag?: string;
  noticeNumber?: string;
  iuv?: string;
  /** Only IUVs whose two-digit segregation code is one of these. */
  iuvPrefixes?: readonly string[];
  /** Only IUVs starting with this (gpd-payments' service filter). */
  iuvStartsWith?: string;
  /** The debtor's fiscal code, exactly. */
  debtor?: string;
  /** IUV or debtor fiscal code starting with this. */
  iuvOrDebtorPrefix?: string;
  receivedFrom?: Date;
  /** Exclusive. */
  receivedTo?: Date;
  paymentDateFrom?: Date;
  /** Exclusive. */
  paymentDateTo?: Date;
}

/** The receipt's IUV and debtor, as the receipt itself says them (linked to an option or not). */
const IUV = "(r.receipt->>'creditorReferenceId')";
const DEBTOR = "(r.receipt #>> '{debtor,uniqueIdentifier,entityUniqueIdentifierValue}')";

/** A receipt as gpd-payments lists it, beside the full stored receipt. */
export interface ListedReceipt extends StoredReceipt {
  iuv: string;
  debtor: string;
}

/**
 * One page of an EC's stored receipts, linked to an option or not, most recently received first,
 * and the true number that match. The one query behind every receipt list.
 */
export async function listReceipts(sql: Sql, ec: string, filter: ReceiptFilter, page: { limit: number; offset: number }): Promise<{ items: ListedReceipt[]; total: number }> {
  const params: unknown[] = [ec];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const where = ["r.organization_fiscal_code = $1"];
  if (filter.flag !== undefined) where.push(`${bind(filter.flag)} = ANY(r.flags)`);
  if (filter.withoutFlag !== undefined) where.push(`NOT (${bind(filter.withoutFlag)} = ANY(r.flags))`);
  if (filter.noticeNumber !== undefined) where.push(`r.notice_number = ${bind(filter.noticeNumber)}`);
  if (filter.iuv !== undefined) where.push(`${IUV} = ${bind(filter.iuv)}`);
  if (filter.iuvPrefixes !== undefined) where.push(`left(${IUV}, 2) = ANY(${bind(filter.iuvPrefixes)}::text[])`);
  if (filter.iuvStartsWith !== undefined) where.push(`starts_with(${IUV}, ${bind(filter.iuvStartsWith)})`);
  if (filter.debtor !== undefined) where.push(`${DEBTOR} = ${bind(filter.debtor)}`);
  if (filter.iuvOrDebtorPrefix !== undefined) {
    const prefix = bind(filter.iuvOrDebtorPrefix);
    where.push(`(starts_with(${IUV}, ${prefix}) OR starts_with(${DEBTOR}, ${prefix}))`);
  }
  if (filter.receivedFrom) where.push(`r.received_at >= ${bind(filter.receivedFrom)}`);
  if (filter.receivedTo) where.push(`r.received_at < ${bind(filter.receivedTo)}`);
  if (filter.paymentDateFrom) where.push(`r.payment_date_time >= ${bind(filter.paymentDateFrom)}`);
  if (filter.paymentDateTo) where.push(`r.payment_date_time < ${bind(filter.paymentDateTo)}`);
  const whereSql = where.join(" AND ");
  const [counted] = await sql.query<{ total: string | number }>(`SELECT count(*) AS total FROM receipt r WHERE ${whereSql}`, params);
  const items = await sql.query<ListedReceipt>(
    `SELECT ${RECEIPT_COLUMNS}, ${IUV} AS iuv, ${DEBTOR} AS debtor FROM receipt r WHERE ${whereSql}
      ORDER BY r.received_at DESC, r.id DESC LIMIT ${bind(page.limit)} OFFSET ${bind(page.offset)}`,
    params,
  );
  return { items, total: Number(counted?.total ?? 0) };
}

/** The receipt body as received, for the first receipt of a payment of the IUV (gpd-payments' document). */
export async function getReceiptDocument(sql: Sql, ec: string, iuv: string): Promise<string | undefined> {
  const rows = await sql.query<{ rawBody: string }>(
    `SELECT r.raw_body AS "rawBody" FROM receipt r
      WHERE r.organization_fiscal_code = $1 AND ${IUV} = $2 AND NOT ('OUTCOME_KO' = ANY(r.flags))
      ORDER BY r.received_at, r.id LIMIT 1`,
    [ec, iuv],
  );
  return rows[0]?.rawBody;
}

export async function getReceipt(sql: Sql, ec: string, receiptId: string): Promise<StoredReceipt | undefined> {
  const rows = await sql.query<StoredReceipt>(
    `SELECT ${RECEIPT_COLUMNS} FROM receipt r WHERE r.organization_fiscal_code = $1 AND r.receipt_id = $2`,
    [ec, receiptId],
  );
  return rows[0];
}

export interface ReceiptToQuarantine {
  organizationFiscalCode: string;
  receiptId: string | undefined;
  noticeNumber: string | undefined;
  primitiveVersion: 1 | 2;
  reason: string;
  rawBody: string;
}

/**
 * Keeps a refused receipt's body; the Node's retries of the same body add attempts to one row. The first
 * arrival writes event RECEIPT_QUARANTINED, on the position holding its notice number when there is one
 * (xmax is 0 on a row this statement inserted, not on one it updated).
 */
export async function quarantineReceipt(sql: Sql, r: ReceiptToQuarantine): Promise<void> {
  await sql.query(
    `WITH kept AS (
       INSERT INTO rejected_receipt (organization_fiscal_code, receipt_id, notice_number, primitive_version, reason, raw_body, body_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (organization_fiscal_code, body_hash)
       DO UPDATE SET attempts = rejected_receipt.attempts + 1, last_received_at = now(), reason = EXCLUDED.reason
       RETURNING id, organization_fiscal_code AS ec, receipt_id, notice_number, reason, xmax = 0 AS first)
     SELECT stazione_emit_event(kept.ec, p.id, 'RECEIPT_QUARANTINED', 'rejected_receipt', kept.id::text,
              jsonb_build_object('receiptId', kept.receipt_id, 'noticeNumber', kept.notice_number, 'flags', '[]'::jsonb,
                                 'reason', kept.reason)
              || jsonb_strip_nulls(jsonb_build_object('positionStatus', p.status)))
       FROM kept
       LEFT JOIN payment_option o ON o.organization_fiscal_code = kept.ec AND o.nav = kept.notice_number
       LEFT JOIN payment_position p ON p.id = o.payment_position_id
      WHERE kept.first`,
    [r.organizationFiscalCode, r.receiptId ?? null, r.noticeNumber ?? null, r.primitiveVersion, r.reason, r.rawBody, createHash("sha256").update(r.rawBody).digest("hex")],
  );
}

/** Refused receipts of an EC, most recent first. */
export async function listRejectedReceipts(sql: Sql, ec: string, limit: number): Promise<StoredRejectedReceipt[]> {
  return sql.query<StoredRejectedReceipt>(
    `SELECT organization_fiscal_code AS "organizationFiscalCode", receipt_id AS "receiptId", notice_number AS "noticeNumber",
            primitive_version AS "primitiveVersion", reason, attempts, first_received_at AS "firstReceivedAt",
            last_received_at AS "lastReceivedAt", raw_body AS "rawBody"
       FROM rejected_receipt WHERE organization_fiscal_code = $1
      ORDER BY last_received_at DESC, id DESC LIMIT $2`,
    [ec, limit],
  );
}
