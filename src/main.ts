/**
 * Entry point: read config, open the database, migrate, serve; on SIGTERM/SIGINT stop accepting,
 * let in-flight requests finish (bounded by a grace period), then close the pool.
 */
import pino from "pino";
import { createApp, VERSION } from "./app.ts";
import { isNodeSurfaceOpen } from "./auth/nodeGuard.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createDeliveryWorker } from "./events/worker.ts";
import { resealWebhookSecrets } from "./events/resealSecrets.ts";
import { createSecretBox } from "./events/secretBox.ts";
import { createStationServer, reloadCertificates } from "./http/server.ts";
import { createScheduler } from "./jobs/scheduler.ts";
import { databaseOptions, openDatabase } from "./store/db.ts";
import { migrate } from "./store/migrate.ts";

/** Below the usual 30 s container stop timeout, above the Node's 15 s receipt timeout. */
const GRACE_MS = 20_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const log = pino({ level: config.logLevel, redact: ["req.headers[\"ocp-apim-subscription-key\"]"] });
  const db = await openDatabase(databaseOptions(config));
  await migrate(db);
  await resealWebhookSecrets(db, createSecretBox(config.delivery.secretKeys), log);
  const app = createApp({ config, db, log });
  const server = createStationServer(app.listener, config.nodeAccess);
  // A renewed certificate is loaded without a restart: open connections keep theirs.
  if (config.nodeAccess.tls) process.on("SIGHUP", () => reloadCertificates(server, config.nodeAccess, log));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const scheduler = config.schedulerIntervalMs > 0 ? createScheduler({ db, log, intervalMs: config.schedulerIntervalMs }) : undefined;
  scheduler?.start();
  // Outbox delivery runs on its own timer, never on a request's path.
  const delivery = createDeliveryWorker({ db, log, settings: config.delivery, onAttempt: app.metrics.observeDelivery });
  delivery.start();

  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const base = config.publicUrl ?? `${config.nodeAccess.tls ? "https" : "http"}://${config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host}:${port}`;
  log.info({ version: VERSION, database: db.engine === "pglite" ? `PGlite in ${config.dataDir}` : "PostgreSQL" }, "stazione started");
  if (isNodeSurfaceOpen(config.nodeAccess))
    log.warn(
      { soapPath: config.soapPath },
      "the Node-facing surface is unauthenticated: anyone who reaches it can send receipts; set NODE_CLIENT_CA_FILE or NODE_CLIENT_CERT_FINGERPRINTS (and NODE_ALLOWED_CIDRS), see README \"Deploying\"",
    );
  console.log(
    [
      `stazione ${VERSION} listening on ${base} (${db.engine === "pglite" ? `embedded PGlite in ${config.dataDir}` : "PostgreSQL"})`,
      `  WSDL      ${base}/wsdl`,
      `  SOAP      ${base}${config.soapPath}`,
      `  REST docs ${base}/docs  (OpenAPI: ${base}/openapi.json)`,
      `  health    ${base}/health   ready: ${base}/ready`,
      `  metrics   ${base}/metrics (admin key)   SOAP exchanges: ${base}/v1/exchanges`,
      ...(config.testScenarios ? [`  test scenarios ON: ${base}/v1/scenarios (turn TEST_SCENARIOS off in production)`] : []),
      ...(config.adminKeyGenerated ? [`  admin API key for this run (set ADMIN_API_KEY to fix one): ${config.adminKeys[0]}`] : []),
    ].join("\n"),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: draining in-flight requests");
    const force = setTimeout(() => {
      log.warn("grace period over: closing remaining connections");
      server.closeAllConnections();
    }, GRACE_MS);
    force.unref();
    // no new scheduler run or delivery round starts; those in flight finish (delivery bounded by
    // WEBHOOK_TIMEOUT_MS) and record their outcomes before the pool closes
    const jobsStopped = Promise.all([scheduler?.stop(), delivery.stop()]);
    server.close(() => {
      void jobsStopped.then(() => db.close()).then(() => {
        log.info("stopped");
        process.exit(0);
      });
    });
    // Keep-alive connections become idle as their last request ends: close them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    sweep.unref();
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("stazione failed to start:", error);
  process.exit(1);
});
