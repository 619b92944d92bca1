/**
 * Prometheus metrics, in a registry of the app's own (two apps in one process, as tests build them, do
 * not share counters). Gauges that mirror state elsewhere (pool, Node-guard refusals) are read at scrape
 * time, so nothing on a request path updates them.
 */
import { Gauge, Histogram, Registry } from "prom-client";
import type { RefusalReason } from "../auth/refusals.ts";

/** Seconds: the SOAP answers aim at milliseconds; the Node gives up at 7 s (15 s for receipts). */
const SOAP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 7, 15];
const REST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface PoolUse {
  total: number;
  idle: number;
  waiting: number;
}

export interface MetricSources {
  poolUse: () => PoolUse | undefined;
  refusalCounts: () => Record<RefusalReason, number>;
  /** Events waiting in the outbox; read from the database at scrape time. */
  outboxDepth: () => Promise<number>;
}

export function createMetrics(sources: MetricSources) {
  const registry = new Registry();
  const soap = new Histogram({
    name: "stazione_soap_request_duration_seconds",
    help: "paForNode requests by operation, outcome (OK, KO, FAULT, CLOSED) and fault code (none when OK)",
    labelNames: ["operation", "outcome", "fault_code"] as const,
    buckets: SOAP_BUCKETS,
    registers: [registry],
  });
  const rest = new Histogram({
    name: "stazione_http_request_duration_seconds",
    help: "REST and other HTTP requests by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: REST_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: "stazione_db_pool_connections",
    help: "PostgreSQL pool connections by state (total, idle, waiting: requests queued for one); absent on the embedded database",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const use = sources.poolUse();
      if (!use) return;
      for (const state of ["total", "idle", "waiting"] as const) this.set({ state }, use[state]);
    },
  });
  // A gauge of a monotonic count: the guard owns the count, the scrape reads it (Prometheus' rate() works on it).
  new Gauge({
    name: "stazione_node_refusals_total",
    help: "Calls refused on the Node-facing surface since start, by reason",
    labelNames: ["reason"] as const,
    registers: [registry],
    collect() {
      for (const [reason, count] of Object.entries(sources.refusalCounts())) this.set({ reason }, count);
    },
  });
  new Gauge({
    name: "stazione_outbox_pending_events",
    help: "Events in the outbox not delivered yet",
    registers: [registry],
    async collect() {
      this.set(await sources.outboxDepth());
    },
  });
  return {
    registry,
    observeSoap(operation: string | undefined, outcome: string, faultCode: string | undefined, seconds: number): void {
      soap.observe({ operation: operation ?? "unknown", outcome, fault_code: faultCode ?? "none" }, seconds);
    },
    observeRest(method: string, route: string, status: number, seconds: number): void {
      rest.observe({ method, route, status: String(status) }, seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
