/**
 * The testers' and operators' routes: scenarios (admin or tester key, only with TEST_SCENARIOS=on),
 * the exchange journal and its zip export (admin key), and /metrics (admin key, in the usual header or
 * as a bearer token, which is what Prometheus' `authorization` setting sends).
 */
import type { Express, NextFunction, Request, Response } from "express";
import { DomainError, ErrorCode, errors } from "../domain/errors.ts";
import { API_KEY_HEADER, createAuthenticator } from "../rest/auth.ts";
import { jsonBody } from "../rest/body.ts";
import type { Metrics } from "../observability/metrics.ts";
import { exchangesZip, type Exchange, type ExchangeFilter, type Journal } from "./journal.ts";
import { scenarioInputOf, type ScenarioStore } from "./scenarios.ts";

type Authenticator = ReturnType<typeof createAuthenticator>;

export interface KitRouteDeps {
  authenticate: Authenticator;
  testerKeys: readonly string[];
  /** Absent when TEST_SCENARIOS is off. */
  scenarios: ScenarioStore | undefined;
  journal: Journal;
  metrics: Metrics;
  bodyLimitBytes: number;
}

const presentedKey = (req: Request) => req.header(API_KEY_HEADER) ?? /^Bearer (.+)$/i.exec(req.header("authorization") ?? "")?.[1];

/** Lets through the admin key and, when given, the keys of `alsoAllowed`. */
function requireKey(authenticate: Authenticator, alsoAllowed?: Authenticator) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const key = presentedKey(req);
    const principal = authenticate(key);
    if (principal?.kind === "admin" || alsoAllowed?.(key)) return next();
    throw principal ? errors.adminOnly() : errors.unauthenticated();
  };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const OUTCOMES = ["OK", "KO", "FAULT", "CLOSED"];

function textParam(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length > 64) throw errors.badRequest(name, "must be given once, up to 64 characters");
  return value;
}

function instantParam(req: Request, name: string): Date | undefined {
  const value = textParam(req, name);
  if (value === undefined) return undefined;
  if (!ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) throw errors.badRequest(name, "must be a date-time with an offset, e.g. 2026-12-02T10:00:00Z");
  return new Date(value);
}

export function exchangeFilterOf(req: Request): ExchangeFilter {
  const outcome = textParam(req, "outcome");
  if (outcome !== undefined && !OUTCOMES.includes(outcome)) throw errors.badRequest("outcome", `must be one of ${OUTCOMES.join(", ")}`);
  return { noticeNumber: textParam(req, "noticeNumber"), operation: textParam(req, "operation"), outcome, from: instantParam(req, "from"), to: instantParam(req, "to") };
}

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

export function mountKitRoutes(rest: Express, deps: KitRouteDeps): void {
  const admin = requireKey(deps.authenticate);
  rest.get("/metrics", admin, async (_req, res) => void res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()));

  rest.get("/v1/exchanges", admin, (req, res) => {
    const raw = textParam(req, "limit") ?? "100";
    if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) throw errors.badRequest("limit", "must be an integer from 1 to 1000");
    res.json(deps.journal.find(exchangeFilterOf(req), Number(raw)).map(exchangeToApi));
  });
  rest.get("/v1/exchanges/export", admin, (req, res) => {
    const filter = exchangeFilterOf(req);
    if (!filter.noticeNumber) throw errors.badRequest("noticeNumber", "is required: the export holds the exchanges of one notice");
    const found = deps.journal.find(filter);
    if (found.length === 0) throw errors.badRequest("noticeNumber", `has no exchange in the journal of this instance`);
    res
      .type("application/zip")
      .set("content-disposition", `attachment; filename="exchanges-${filter.noticeNumber.replace(/[^0-9A-Za-z]/g, "_")}.zip"`)
      .send(Buffer.from(exchangesZip(found)));
  });

  const scenarios = deps.scenarios;
  const scenarioAccess = requireKey(deps.authenticate, createAuthenticator(deps.testerKeys, []));
  const available = (req: Request, _res: Response, next: NextFunction) => {
    if (!scenarios) throw errors.routeNotFound(req.method, `${req.path} (TEST_SCENARIOS is off)`);
    next();
  };
  rest.post("/v1/scenarios", available, scenarioAccess, jsonBody(deps.bodyLimitBytes), async (req, res) => void res.status(201).json(await scenarios!.add(scenarioInputOf(req.body))));
  rest.get("/v1/scenarios", available, scenarioAccess, async (_req, res) => void res.json(await scenarios!.list()));
  rest.delete("/v1/scenarios/:id", available, scenarioAccess, async (req, res) => {
    const id = req.params.id as string;
    if (!/^\d{1,15}$/.test(id) || !(await scenarios!.remove(Number(id)))) throw new DomainError(ErrorCode.routeNotFound, "Not found", `No scenario ${id}`);
    res.status(204).end();
  });
}
