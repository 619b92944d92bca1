/**
 * Builds the HTTP application from explicit dependencies (no singletons), so tests build the same
 * app on PGlite or PostgreSQL without a port. The SOAP endpoint is dispatched before Express ever
 * sees the request: the hot path pays for no middleware.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import { createNodeGuard } from "./auth/nodeGuard.ts";
import type { Config } from "./config.ts";
import { errors, isDomainError } from "./domain/errors.ts";
import { createAuthenticator, identifyCaller, requireAdmin, requireOrganizationAccess } from "./rest/auth.ts";
import { createEventService } from "./events/service.ts";
import { createSecretBox } from "./events/secretBox.ts";
import { buildOpenApi, DOCS_PAGE } from "./rest/openapi.ts";
import { sendProblem } from "./rest/problem.ts";
import { jsonBody } from "./rest/body.ts";
import { mountOperations } from "./rest/mount.ts";
import { operations } from "./rest/operations.ts";
import { createValidators } from "./rest/validate.ts";
import { createPaymentService } from "./services/payments.ts";
import { createPositionService } from "./services/positions.ts";
import { createPricingClient } from "./services/pricing.ts";
import { createReceiptService } from "./services/receipts.ts";
import { createSpontaneousService } from "./services/spontaneous.ts";
import { createNoticeDocumentService } from "./services/noticeDocuments.ts";
import { createNotificationFeeService } from "./services/notificationFees.ts";
import { createContract } from "./soap/contract.ts";
import { createSoapEndpoint } from "./soap/handler.ts";
import { createPrimitives, createReceiptQuarantine } from "./soap/primitives.ts";
import { isUnavailable, type Database } from "./store/db.ts";
import { createJournal } from "./kit/journal.ts";
import { kitOperations } from "./rest/kitOperations.ts";
import { createScenarioStore } from "./kit/scenarios.ts";
import { createMetrics } from "./observability/metrics.ts";

export const VERSION = "0.1.0";

/** swagger-ui-dist's asset folder, found without loading its 1 MB bundle into the server. */
const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

export interface AppDeps {
  config: Config;
  db: Database;
  log: Logger;
}

/** A client error raised before an operation runs (body parser, URL decoding), as a 400 naming what is wrong. */
function clientError({ type }: { type?: string }) {
  if (type === "entity.parse.failed") return errors.badRequest("(body)", "is not valid JSON");
  if (type === "charset.unsupported" || type === "encoding.unsupported") return errors.badRequest("(body)", "must be UTF-8 JSON, not compressed");
  return errors.badRequest("(path)", "is not a valid URL (bad percent-encoding)");
}

export function createApp({ config, db, log }: AppDeps) {
  const station = { organizations: config.organizations, brokerId: config.brokerId, stationId: config.stationId };
  const positions = createPositionService({ db, scheme: config.noticeScheme });
  const payments = createPaymentService({ db, lockTtlSeconds: config.lockTtlSeconds, station });
  const noticeDocuments = createNoticeDocumentService({ db, cbill: config.organizationCbill });
  // Node authentication: the guard runs first in the listener below; its refusal counts are an admin operation and a metric.
  const nodeGuard = createNodeGuard(config.nodeAccess, config.soapPath, log);
  const events = createEventService({ db, allowPrivate: config.delivery.allowPrivate, secrets: createSecretBox(config.delivery.secretKeys) });
  const metrics = createMetrics({ poolUse: () => db.poolUse(), refusalCounts: () => nodeGuard.refusalCounts(), deliveryStatus: events.status });
  const journal = createJournal({ entries: config.journalEntries, bytes: config.journalBytes });
  const scenarios = config.testScenarios ? createScenarioStore(db) : undefined;
  const soapDebug = log.isLevelEnabled("debug");
  const spontaneous = createSpontaneousService({
    db,
    positions,
    scheme: config.noticeScheme,
    pricing: createPricingClient({ timeoutMs: config.pricingTimeoutMs, cooldownMs: config.pricingCooldownMs }),
    repeatWindowSeconds: config.spontaneousRepeatSeconds,
  });
  const soap = createSoapEndpoint({
    primitives: createPrimitives(payments, spontaneous),
    onSchemaViolation: createReceiptQuarantine(payments),
    brokerId: config.brokerId,
    bodyLimitBytes: config.bodyLimitBytes,
    log,
    scenarioFor: scenarios && ((operation, noticeNumber) => scenarios.behaviourFor(operation, noticeNumber)),
    onExchange: (exchange) => {
      metrics.observeSoap(exchange.operation, exchange.outcome, exchange.faultCode, exchange.durationMs / 1000);
      journal.record(exchange);
      if (soapDebug) {
        const { correlationId, operation, noticeNumber, outcome, faultCode, durationMs } = exchange;
        log.debug({ correlationId, operation, noticeNumber, outcome, faultCode, durationMs }, "soap exchange");
      }
    },
  });
  const contract = createContract({ soapPath: config.soapPath, publicUrl: config.publicUrl });
  const validators = createValidators();
  const table = operations({ info: { name: "stazione", version: VERSION, environment: config.environment }, positions, payments, receipts: createReceiptService({ db }), documents: noticeDocuments, notificationFees: createNotificationFeeService({ db }), nodeAccess: () => ({ open: nodeGuard.open, refusals: nodeGuard.refusalCounts() }), spontaneous, events, log }).concat(kitOperations({ scenarios, journal, metrics }));
  const openApi = buildOpenApi(VERSION, table, config.organizations[0]!);
  const authenticate = createAuthenticator(config.adminKeys, config.organizationKeys);
  const access = requireOrganizationAccess(authenticate, config.organizations);

  const rest = express();
  rest.disable("x-powered-by");
  rest.set("etag", false);

  // A correlation id per request, in the answer's headers and in every log line about it; timed for /metrics.
  rest.use((req, res, next) => {
    const started = performance.now();
    res.locals.correlationId = randomUUID();
    res.set("x-correlation-id", res.locals.correlationId as string);
    res.on("finish", () => {
      const route = req.route ? `${req.baseUrl}${(req.route as { path: string }).path}` : "unmatched";
      metrics.observeRest(req.method, route, res.statusCode, (performance.now() - started) / 1000);
      log.debug({ correlationId: res.locals.correlationId, method: req.method, route, status: res.statusCode }, "request");
    });
    next();
  });

  rest.get("/health", (_req, res) => void res.json({ status: "UP" }));
  rest.get("/ready", async (_req, res) => {
    try {
      await db.ping();
      res.json({ status: "READY" });
    } catch {
      res.status(503).json({ status: "NOT_READY", detail: "database unreachable" });
    }
  });
  rest.get(["/wsdl", config.soapPath], (req, res, next) => {
    if (req.path === config.soapPath && !("wsdl" in req.query)) return next();
    res.type("text/xml").send(contract.wsdl(req));
  });
  rest.get("/xsd/:name", (req, res, next) => {
    const text = contract.schema(req, req.params.name);
    if (text === undefined) return next();
    res.type("text/xml").send(text);
  });
  rest.get("/openapi.json", (_req, res) => void res.json(openApi));
  // The page loads its assets relative to /docs: send /docs/ there (relatively, so a proxy prefix survives).
  rest.get("/docs", (req, res) => (req.originalUrl.split("?")[0]!.endsWith("/") ? res.redirect(301, "../docs") : void res.type("html").send(DOCS_PAGE)));
  rest.use("/docs", express.static(SWAGGER_UI_DIR, { index: false }));

  const body = jsonBody(config.bodyLimitBytes);
  mountOperations(rest, table, validators, {
    scoped: [access, body],
    admin: [requireAdmin(authenticate), body],
    keyed: [identifyCaller(authenticate)],
    tester: [requireAdmin(authenticate, createAuthenticator(config.testerKeys, [])), body],
  });

  rest.use((req, res) => sendProblem(res, errors.routeNotFound(req.method, req.path)));
  rest.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const correlationId = res.locals.correlationId as string;
    const status = (error as { status?: number }).status;
    if (isDomainError(error)) return sendProblem(res, error);
    if (status === 413) return sendProblem(res, errors.tooLarge(config.bodyLimitBytes));
    if (status !== undefined && status >= 400 && status < 500) return sendProblem(res, clientError(error as { type?: string }));
    if (isUnavailable(error)) return sendProblem(res, errors.unavailable());
    log.error({ correlationId, err: error }, "unexpected error");
    sendProblem(res, errors.internal(correlationId));
  });

  /** node:http listener: POST to the SOAP path goes straight to the SOAP endpoint. */
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (!nodeGuard.admit(req, res)) return;
    if (req.method === "POST" && (req.url === config.soapPath || req.url?.startsWith(`${config.soapPath}?`))) soap.handle(req, res);
    else rest(req, res);
  };
  return { listener, operations: table, metrics, createServer: (): Server => createServer(listener) };
}

export type App = ReturnType<typeof createApp>;
