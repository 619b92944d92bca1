/**
 * Prometheus metrics, in a registry of the app's own (two apps in one process, as tests build them, do
 * not share counters). Gauges that mirror state elsewhere (pool, Node-guard refusals) are read at scrape
 * time, so nothing on a request path updates them.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RefusalReason } from "../auth/refusals.ts";
import type { DeliveryStatus } from "../store/deliveries.ts";

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
  /** Outbox depth, oldest waiting event, failures and dead letters; read from the database at scrape time. */
  deliveryStatus: () => Promise<DeliveryStatus>;
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
  // One status read per scrape, shared by the gauges below (each collects on its own).
  let scrape: { at: number; status: Promise<DeliveryStatus> } | undefined;
  const currentStatus = () => {
    if (!scrape || performance.now() - scrape.at > 1000) scrape = { at: performance.now(), status: sources.deliveryStatus() };
    return scrape.status;
  };
  new Gauge({
    name: "stazione_outbox_pending_events",
    help: "Outbox events not delivered yet: not routed to their destinations, plus deliveries waiting (due, retrying or in flight)",
    registers: [registry],
    async collect() {
      this.set((await currentStatus()).undelivered);
    },
  });
  new Gauge({
    name: "stazione_outbox_oldest_pending_age_seconds",
    help: "Age of the oldest event not delivered yet (0 when none waits)",
    registers: [registry],
    async collect() {
      const oldest = (await currentStatus()).oldestUndeliveredAt;
      this.set(oldest === null ? 0 : Math.max(0, (Date.now() - new Date(oldest).getTime()) / 1000));
    },
  });
  new Gauge({
    name: "stazione_delivery_dead_letters",
    help: "Deliveries that gave up after their last attempt, by organization (redeliver them from the REST API)",
    labelNames: ["organization"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const ec of (await currentStatus()).failuresByOrganization) this.set({ organization: ec.organizationFiscalCode }, ec.deadLetters);
    },
  });
  const attempts = new Counter({
    name: "stazione_delivery_attempts_total",
    help: "Delivery attempts made by this instance, by destination (WEBHOOK, ACA), organization and outcome (delivered, retry, dead)",
    labelNames: ["destination", "organization", "outcome"] as const,
    registers: [registry],
  });
  return {
    registry,
    observeSoap(operation: string | undefined, outcome: string, faultCode: string | undefined, seconds: number): void {
      soap.observe({ operation: operation ?? "unknown", outcome, fault_code: faultCode ?? "none" }, seconds);
    },
    observeRest(method: string, route: string, status: number, seconds: number): void {
      rest.observe({ method, route, status: String(status) }, seconds);
    },
    observeDelivery(destination: string, organization: string, outcome: string): void {
      attempts.inc({ destination, organization, outcome });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
