/**
 * `stazione import`: debt positions from a CSV file (one single-option position with one transfer per
 * row) or from JSON lines of GPD position bodies, read as a stream and sent in bulk batches
 * (POST /v2/…/debtpositions, all or nothing). When a batch is refused, its rows are sent one by one
 * (POST /v1/…/debtpositions) to find the bad ones; the others are created. Each finished batch is
 * appended to a state file, so a run stopped halfway (station down, Ctrl-C) resumes after the last
 * finished batch; an interrupted batch is sent again, and rows it had created report 409.
 */
import { createReadStream, existsSync } from "node:fs";
import { appendFile, readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { amountToCents } from "../domain/money.ts";
import type { StationClient } from "./client.ts";
import { problemReason } from "./client.ts";
import { csvRecords } from "./csv.ts";

export const CSV_HEADER = ["iupd", "iuv", "amount", "dueDate", "description", "debtorType", "debtorFiscalCode", "debtorFullName", "iban", "category", "remittanceInformation"] as const;

/** The bulk endpoint's limit: one transaction per batch. */
export const MAX_BATCH = 500;

export interface FailedRow {
  line: number;
  iupd: string;
  reason: string;
}

export interface ImportSummary {
  created: number;
  failed: FailedRow[];
  /** Batches skipped because the state file says they were done. */
  resumedBatches: number;
}

interface Row {
  line: number;
  iupd: string;
  /** The GPD body, or why the row could not become one. */
  position?: Record<string, unknown>;
  problem?: string;
}

export interface ImportOptions {
  client: StationClient;
  ec: string;
  file: string;
  format: "csv" | "jsonl";
  batchSize: number;
  stateFile: string;
  companyName: string;
  publish: boolean;
  onProgress?: (bytesRead: number, summary: ImportSummary) => void;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A CSV row as a GPD position: the due date is the end of that day in Italy when given as a date. */
export function csvRowToPosition(values: Record<(typeof CSV_HEADER)[number], string>, companyName: string): Record<string, unknown> {
  const cents = amountToCents(values.amount) ?? (/^\d{1,9}$/.test(values.amount) ? Number(values.amount) * 100 : undefined);
  if (cents === undefined || cents <= 0) throw new Error(`amount "${values.amount}" must be euros like 12.34 or 12`);
  const dueDate = DATE_ONLY.test(values.dueDate) ? `${values.dueDate}T23:59:59+01:00` : values.dueDate;
  return {
    iupd: values.iupd,
    type: values.debtorType,
    fiscalCode: values.debtorFiscalCode,
    fullName: values.debtorFullName,
    companyName,
    switchToExpired: false,
    paymentOption: [
      {
        iuv: values.iuv,
        amount: cents,
        description: values.description,
        isPartialPayment: false,
        dueDate,
        transfer: [{ idTransfer: "1", amount: cents, remittanceInformation: values.remittanceInformation, category: values.category, iban: values.iban }],
      },
    ],
  };
}

/** Rows of the input file, with the count of bytes read so far. */
async function* rowsOf(opts: ImportOptions, read: { bytes: number }): AsyncGenerator<Row> {
  const stream = createReadStream(opts.file, { encoding: "utf8" });
  async function* counted(): AsyncGenerator<string> {
    for await (const chunk of stream as AsyncIterable<string>) {
      read.bytes += Buffer.byteLength(chunk);
      yield chunk;
    }
  }
  if (opts.format === "jsonl") {
    let line = 0;
    let rest = "";
    const parse = (text: string, at: number): Row | undefined => {
      if (text.trim() === "") return undefined;
      try {
        const position = JSON.parse(text) as Record<string, unknown>;
        if (typeof position !== "object" || position === null || Array.isArray(position)) throw new Error("is not a JSON object");
        return { line: at, iupd: String(position.iupd ?? ""), position };
      } catch (error) {
        return { line: at, iupd: "", problem: `not a GPD position body: ${(error as Error).message}` };
      }
    };
    for await (const chunk of counted()) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      for (const part of parts) {
        const row = parse(part, ++line);
        if (row) yield row;
      }
    }
    const row = parse(rest, ++line);
    if (row) yield row;
    return;
  }
  let header: string[] | undefined;
  for await (const { fields, line } of csvRecords(counted())) {
    if (!header) {
      header = fields.map((f) => f.trim().replace(/^\uFEFF/, ""));
      const missing = CSV_HEADER.filter((name) => !header!.includes(name));
      if (missing.length) throw new Error(`the CSV header lacks ${missing.join(", ")} (expected ${CSV_HEADER.join(",")})`);
      continue;
    }
    const values = Object.fromEntries(CSV_HEADER.map((name) => [name, fields[header!.indexOf(name)]?.trim() ?? ""])) as Record<(typeof CSV_HEADER)[number], string>;
    try {
      if (fields.length !== header.length) throw new Error(`has ${fields.length} fields, the header ${header.length}`);
      yield { line, iupd: values.iupd, position: csvRowToPosition(values, opts.companyName) };
    } catch (error) {
      yield { line, iupd: values.iupd, problem: (error as Error).message };
    }
  }
}

interface BatchResult {
  batch: number;
  created: number;
  failed: FailedRow[];
}

async function sendBatch(opts: ImportOptions, batch: number, rows: readonly Row[]): Promise<BatchResult> {
  const failed: FailedRow[] = rows.filter((r) => r.problem).map((r) => ({ line: r.line, iupd: r.iupd, reason: r.problem! }));
  const sendable = rows.filter((r) => r.position);
  const base = `/organizations/${opts.ec}/debtpositions?toPublish=${opts.publish}`;
  if (sendable.length === 0) return { batch, created: 0, failed };
  const bulk = await opts.client.call("POST", `/v2${base}`, { paymentPositions: sendable.map((r) => r.position) });
  if (bulk.status === 201) return { batch, created: sendable.length, failed };
  // Refused as a whole: one by one finds the rows at fault and creates the others.
  let created = 0;
  for (const row of sendable) {
    const single = await opts.client.call("POST", `/v1${base}`, row.position);
    if (single.status === 201) created++;
    else failed.push({ line: row.line, iupd: row.iupd, reason: problemReason(single.status, single.body) });
  }
  failed.sort((a, b) => a.line - b.line);
  return { batch, created, failed };
}

interface StateHeader {
  input: string;
  size: number;
  batchSize: number;
}

/** The batches a previous run finished, after checking the state file belongs to this input. */
async function readState(opts: ImportOptions, header: StateHeader): Promise<Map<number, BatchResult>> {
  const done = new Map<number, BatchResult>();
  if (!existsSync(opts.stateFile)) {
    await appendFile(opts.stateFile, `${JSON.stringify(header)}\n`);
    return done;
  }
  const [first, ...lines] = (await readFile(opts.stateFile, "utf8")).split("\n").filter(Boolean);
  const previous = JSON.parse(first ?? "{}") as StateHeader;
  if (previous.input !== header.input || previous.size !== header.size || previous.batchSize !== header.batchSize) {
    throw new Error(`the state file ${opts.stateFile} belongs to another input or batch size: remove it to start over`);
  }
  for (const line of lines) {
    // A line cut short by a crash is not a finished batch.
    try {
      const result = JSON.parse(line) as BatchResult;
      done.set(result.batch, result);
    } catch {
      break;
    }
  }
  return done;
}

export async function importPositions(opts: ImportOptions): Promise<ImportSummary> {
  const header: StateHeader = { input: resolve(opts.file), size: (await stat(opts.file)).size, batchSize: opts.batchSize };
  const done = await readState(opts, header);
  const summary: ImportSummary = { created: 0, failed: [], resumedBatches: 0 };
  const read = { bytes: 0 };
  const finish = async (result: BatchResult, resumed: boolean) => {
    summary.created += result.created;
    summary.failed.push(...result.failed);
    if (resumed) summary.resumedBatches++;
    else await appendFile(opts.stateFile, `${JSON.stringify(result)}\n`);
    opts.onProgress?.(read.bytes, summary);
  };
  let batch: Row[] = [];
  let index = 0;
  const flush = async () => {
    const previous = done.get(index);
    await finish(previous ?? (await sendBatch(opts, index, batch)), previous !== undefined);
    batch = [];
    index++;
  };
  for await (const row of rowsOf(opts, read)) {
    batch.push(row);
    if (batch.length === opts.batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  return summary;
}
