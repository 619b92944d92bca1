/**
 * The exchange journal: the last SOAP exchanges of this instance (request, response, timings, outcome,
 * fault code, correlation id), kept in a ring bounded by count and by bytes. A ring in memory, not a
 * table: recording costs no database round trip and happens after the answer is sent, so it never slows
 * the Node; the price is that each instance keeps its own and a restart empties it (export what you need).
 */
import { zipSync, strToU8 } from "fflate";

export type ExchangeOutcome = "OK" | "KO" | "FAULT" | "CLOSED";

export interface Exchange {
  correlationId: string;
  operation: string | undefined;
  noticeNumber: string | undefined;
  outcome: ExchangeOutcome;
  faultCode: string | undefined;
  status: number;
  receivedAt: Date;
  durationMs: number;
  /** The request's bytes as received. */
  request: Buffer;
  response: string;
}

export interface ExchangeFilter {
  /** The X-Correlation-Id of the answer (also in the log and in a PAA_SYSTEM_ERROR's description). */
  correlationId?: string;
  noticeNumber?: string;
  operation?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
}

export interface JournalLimits {
  entries: number;
  bytes: number;
}

/** The response's UTF-16 length is close enough to the bytes held and costs no encoding. */
const sizeOf = (e: Exchange) => e.request.length + e.response.length + 256;

export function createJournal(limits: JournalLimits) {
  const ring: Exchange[] = [];
  let bytes = 0;
  return {
    record(exchange: Exchange): void {
      if (limits.entries === 0) return;
      ring.push(exchange);
      bytes += sizeOf(exchange);
      while (ring.length > limits.entries || (bytes > limits.bytes && ring.length > 1)) bytes -= sizeOf(ring.shift()!);
    },
    /** Matching exchanges, most recent first. */
    find(filter: ExchangeFilter, limit = Infinity): Exchange[] {
      const found: Exchange[] = [];
      for (let i = ring.length - 1; i >= 0 && found.length < limit; i--) {
        const e = ring[i]!;
        if (filter.correlationId !== undefined && e.correlationId !== filter.correlationId) continue;
        if (filter.noticeNumber !== undefined && e.noticeNumber !== filter.noticeNumber) continue;
        if (filter.operation !== undefined && e.operation !== filter.operation) continue;
        if (filter.outcome !== undefined && e.outcome !== filter.outcome) continue;
        if (filter.from && e.receivedAt < filter.from) continue;
        if (filter.to && e.receivedAt > filter.to) continue;
        found.push(e);
      }
      return found;
    },
    get size() {
      return { entries: ring.length, bytes };
    },
  };
}

export type Journal = ReturnType<typeof createJournal>;

/**
 * A zip of the exchanges in the order they happened, two XML files each
 * (`001_paGetPayment_<correlation id>_request.xml`, `…_response.xml`), the evidence pagoPA's
 * certification asks for each test case.
 */
export function exchangesZip(exchanges: readonly Exchange[]): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  [...exchanges].reverse().forEach((e, i) => {
    const name = `${String(i + 1).padStart(3, "0")}_${e.operation ?? "unknown"}_${e.correlationId}`;
    files[`${name}_request.xml`] = new Uint8Array(e.request);
    files[`${name}_response.xml`] = strToU8(e.response);
  });
  return zipSync(files, { mtime: new Date() });
}
