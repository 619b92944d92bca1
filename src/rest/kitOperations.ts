/**
 * The testers' and operators' operations, in the REST operation table like every other: /metrics and
 * the exchange journal with its zip export (admin key), and test scenarios (the admin key or a tester
 * key; they answer 404 unless TEST_SCENARIOS is on).
 */
import { errors } from "../domain/errors.ts";
import type { Metrics } from "../observability/metrics.ts";
import { exchangesZip, type Exchange, type ExchangeFilter, type Journal } from "../kit/journal.ts";
import { scenarioInputOf, type ScenarioStore } from "../kit/scenarios.ts";
import { optionalTimestampOf } from "./converters.ts";
import { op, type Operation } from "./operations.ts";
import type { Input } from "./validate.ts";

export interface KitDeps {
  /** Absent when TEST_SCENARIOS is off. */
  scenarios: ScenarioStore | undefined;
  journal: Journal;
  metrics: Metrics;
}

const filterOf = (query: Omit<Input<"exchanges-query">, "limit">): ExchangeFilter => ({
  correlationId: query.correlationId,
  noticeNumber: query.noticeNumber,
  operation: query.operation,
  outcome: query.outcome,
  from: optionalTimestampOf(query.from, "from"),
  to: optionalTimestampOf(query.to, "to"),
});

const exchangeToApi = (e: Exchange) => ({
  correlationId: e.correlationId,
  operation: e.operation ?? null,
  noticeNumber: e.noticeNumber ?? null,
  outcome: e.outcome,
  faultCode: e.faultCode ?? null,
  httpStatus: e.status,
  receivedAt: e.receivedAt.toISOString(),
  durationMs: Math.round(e.durationMs * 1000) / 1000,
  request: e.request.toString("utf8"),
  response: e.response,
});

const SCENARIO_PROBLEMS = [400, 401, 403, 404];

export function kitOperations({ scenarios, journal, metrics }: KitDeps): Operation[] {
  const live = () => {
    if (!scenarios) throw errors.notFound("Not found", "Test scenarios are off on this station (TEST_SCENARIOS=on turns them on)");
    return scenarios;
  };
  return [
    op({
      method: "get", path: "/metrics", operationId: "getMetrics", admin: true,
      summary: "Prometheus metrics (admin key, also as Authorization: Bearer <key>, which is what Prometheus sends)",
      success: { status: 200, description: "The Prometheus text format", schema: { type: "string" }, media: "text/plain" }, problems: [401, 403],
      handle: async () => ({ type: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    }),
    op({
      method: "get", path: "/v1/exchanges", operationId: "getExchanges", admin: true,
      summary: "The SOAP exchanges this instance keeps in its journal, newest first: request and response as on the wire",
      query: "exchanges-query", success: { status: 200, description: "The exchanges", schema: "exchanges-list" }, problems: [400, 401, 403],
      handle: async ({ query }) => ({ body: journal.find(filterOf(query), query.limit).map(exchangeToApi) }),
    }),
    op({
      method: "get", path: "/v1/exchanges/export", operationId: "exportExchanges", admin: true,
      summary: "The journal's exchanges of one notice as a zip of numbered request and response files (400 when it holds none)",
      query: "exchanges-export-query", success: { status: 200, description: "The zip", schema: { type: "string" }, media: "application/zip" }, problems: [400, 401, 403],
      handle: async ({ query }) => {
        const found = journal.find(filterOf(query));
        if (found.length === 0) throw errors.badRequest("noticeNumber", "has no exchange in the journal of this instance");
        return {
          type: "application/zip",
          headers: { "Content-Disposition": `attachment; filename="exchanges-${query.noticeNumber.replace(/[^0-9A-Za-z]/g, "_")}.zip"` },
          body: Buffer.from(exchangesZip(found)),
        };
      },
    }),
    op({
      method: "post", path: "/v1/scenarios", operationId: "createScenario", tester: true,
      summary: "Attach a behaviour (a PAA fault, a delay, a closed connection, a SOAP Fault) to notice numbers for a while",
      body: "scenario-create", success: { status: 201, description: "The scenario", schema: "scenario-response" }, problems: SCENARIO_PROBLEMS,
      handle: async ({ body }) => ({ status: 201, body: await live().add(scenarioInputOf(body)) }),
    }),
    op({
      method: "get", path: "/v1/scenarios", operationId: "getScenarios", tester: true, summary: "The live scenarios, newest (the one that wins) first",
      success: { status: 200, description: "The scenarios", schema: "scenarios-list" }, problems: SCENARIO_PROBLEMS,
      handle: async () => ({ body: await live().list() }),
    }),
    op({
      method: "delete", path: "/v1/scenarios/{id}", operationId: "deleteScenario", tester: true, summary: "End a scenario",
      success: { status: 204, description: "Ended" }, problems: SCENARIO_PROBLEMS,
      handle: async ({ params }) => {
        const id = params.id!;
        if (!/^\d{1,15}$/.test(id) || !(await live().remove(Number(id)))) throw errors.notFound("Scenario not found", `No scenario ${id}`);
        return { status: 204 };
      },
    }),
  ];
}
