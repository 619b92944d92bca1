/**
 * CSV (RFC 4180: commas, double-quoted fields with "" for a quote, CRLF or LF) read as a stream of
 * records, one pass over the characters, and written back with the same quoting.
 */

/** One record: its fields and the line it starts on (1-based, for messages). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** Records of a stream of text chunks; a quoted field may span chunks and lines. */
export async function* csvRecords(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let start = 1;
  let pendingCR = false;
  const endRecord = (): CsvRecord | undefined => {
    fields.push(field);
    const record = fields.length === 1 && fields[0] === "" && !afterQuote ? undefined : { fields, line: start };
    fields = [];
    field = "";
    afterQuote = false;
    return record;
  };
  for await (const chunk of chunks) {
    for (const ch of chunk) {
      if (pendingCR) {
        pendingCR = false;
        if (ch === "\n") continue;
      }
      if (quoted) {
        if (ch === '"') {
          quoted = false;
          afterQuote = true;
        } else {
          if (ch === "\n") line++;
          field += ch;
        }
        continue;
      }
      if (ch === '"') {
        // "" inside a quoted field is a quote; a quote opening a field starts quoting.
        if (afterQuote) field += '"';
        quoted = true;
        afterQuote = false;
      } else if (ch === ",") {
        fields.push(field);
        field = "";
        afterQuote = false;
      } else if (ch === "\n" || ch === "\r") {
        pendingCR = ch === "\r";
        const record = endRecord();
        line++;
        start = line;
        if (record) yield record;
      } else field += ch;
    }
  }
  if (quoted) throw new Error(`line ${start}: a quoted field is not closed`);
  const last = endRecord();
  if (last) yield last;
}

/** One CSV line (with its LF) of values, quoted where they need it. */
export function csvLine(values: ReadonlyArray<string | number | undefined>): string {
  return `${values.map((v) => (v === undefined ? "" : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(",")}\n`;
}
