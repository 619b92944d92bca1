/** Receipts: recording one (paSendRT/paSendRTV2) and reading them back. */
import type { StoredReceipt } from "../domain/stored.ts";
import type { Sql } from "./db.ts";

export interface ReceiptToRecord {
  /** The EC the receipt was sent to (idPA). */
  organizationFiscalCode: string;
  receiptId: string;
  noticeNumber: string;
  /** The EC that issued the notice (receipt/fiscalCode). */
  noticeFiscalCode: string;
  primitiveVersion: 1 | 2;
  paymentAmount: number;
  paymentDateTime: Date | undefined;
  receipt: Record<string, unknown>;
  rawBody: string;
  flags: readonly string[];
}

export type RecordOutcome =
  | { outcome: "STORED"; flags: string[]; positionStatus?: string }
  | { outcome: "DUPLICATE" };

/** Stores the receipt and applies it to its notice in one round trip (see stazione_record_receipt). */
export async function recordReceipt(sql: Sql, r: ReceiptToRecord): Promise<RecordOutcome> {
  const rows = await sql.query<{ result: RecordOutcome }>(
    "SELECT stazione_record_receipt($1, $2, $3, $4, $5::smallint, $6, $7, $8::jsonb, $9, $10::text[]) AS result",
    [
      r.organizationFiscalCode,
      r.receiptId,
      r.noticeNumber,
      r.noticeFiscalCode,
      r.primitiveVersion,
      r.paymentAmount,
      r.paymentDateTime ?? null,
      JSON.stringify(r.receipt),
      r.rawBody,
      r.flags,
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

export async function getReceipt(sql: Sql, ec: string, receiptId: string): Promise<StoredReceipt | undefined> {
  const rows = await sql.query<StoredReceipt>(
    `SELECT ${RECEIPT_COLUMNS} FROM receipt r WHERE r.organization_fiscal_code = $1 AND r.receipt_id = $2`,
    [ec, receiptId],
  );
  return rows[0];
}
