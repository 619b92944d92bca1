/**
 * `stazione export`: the receipts paid in a date range as CSV, read page by page from
 * GET /v1/organizations/{ec}/receipts (paymentDateFrom/paymentDateTo; a date alone is its whole day in Italy).
 */
import { centsToAmount } from "../domain/money.ts";
import { problemReason, type StationClient } from "./client.ts";
import { csvLine } from "./csv.ts";

export const EXPORT_HEADER = ["receiptId", "noticeNumber", "iuv", "amount", "paymentDateTime", "receivedAt", "pspCompanyName", "payerFiscalCode", "flags"];

const PAGE = 100;

interface ApiReceipt {
  receiptId: string;
  noticeNumber: string;
  paymentAmount: number;
  paymentDateTime?: string;
  receivedAt: string;
  flags: string[];
  receipt: Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === "string" || typeof value === "number" ? String(value) : undefined);

function receiptLine(r: ApiReceipt): string {
  const payer = (r.receipt.payer ?? r.receipt.debtor ?? {}) as Record<string, unknown>;
  const payerId = (payer.uniqueIdentifier ?? {}) as Record<string, unknown>;
  return csvLine([
    r.receiptId,
    r.noticeNumber,
    text(r.receipt.creditorReferenceId),
    centsToAmount(r.paymentAmount),
    r.paymentDateTime,
    r.receivedAt,
    text(r.receipt.pspCompanyName),
    text(payerId.entityUniqueIdentifierValue),
    r.flags.join(" "),
  ]);
}

/** Writes the CSV; resolves to the number of receipts written. */
export async function exportReceipts(opts: { client: StationClient; ec: string; from: string; to: string; out: NodeJS.WritableStream }): Promise<number> {
  opts.out.write(csvLine(EXPORT_HEADER));
  let written = 0;
  for (let page = 0; ; page++) {
    const query = new URLSearchParams({ paymentDateFrom: opts.from, paymentDateTo: opts.to, limit: String(PAGE), page: String(page) });
    const { status, body } = await opts.client.call("GET", `/v1/organizations/${opts.ec}/receipts?${query}`);
    if (status !== 200) throw new Error(`the station refused the export: ${problemReason(status, body)}`);
    const { receipt_list: receipts, page_info: info } = body as { receipt_list: ApiReceipt[]; page_info: { total_pages: number } };
    for (const r of receipts) opts.out.write(receiptLine(r));
    written += receipts.length;
    if (page + 1 >= info.total_pages || receipts.length === 0) return written;
  }
}
