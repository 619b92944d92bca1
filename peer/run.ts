/**
 * npm run peer -- --gpd <pagopa-debt-position> --payments <pagopa-gpd-payments> [--database-url postgres://…]
 *
 * Runs pagoPA's own cucumber suites against a station started for the run: the debt-position service's suite
 * (GPD REST) and gpd-payments' suite (paForNode SOAP and the receipts API, with ApiConfig and the Node played by
 * ./platform.ts). Prints one line per scenario and stops everything. Exit code 1 when a scenario failed.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startPlatform } from "./platform.ts";
import { startRecorder } from "./recorder.ts";
import { startStation } from "./station.ts";
import { installIfMissing, runSuite, suiteDir, suiteEnv, type ScenarioResult, type Suite } from "./suites.ts";

const USAGE = `usage: npm run peer -- [--gpd <path>] [--payments <path>] [--database-url <postgres://…>]
                        [--station <checkout>] [--port 3101] [--platform-port 3102] [--out <dir>]
  --gpd            clone of github.com/pagopa/pagopa-debt-position (or its integration-test/src)
  --payments       clone of github.com/pagopa/pagopa-gpd-payments (or its integration-test/src)
  --database-url   PostgreSQL database for the station (default: $DATABASE_URL); it is migrated, never emptied
  --station        station checkout to run (default: this one)
  --out            folder for the logs and cucumber reports (default: a new temporary folder)`;

/** What pagoPA's suites use when nothing else is configured (their config/.env.local). */
const SUITE_DEFAULTS = { ec: "77777777777", broker: "15376371009", station: "15376371009_11" };
/** Prefix of the IUVs gpd-payments' suite creates, as ApiConfig reports it for the EC–station pair. */
const SEGREGATION_CODE = "01";
const SOAP_PATH = "/paForNode";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      gpd: { type: "string" },
      payments: { type: "string" },
      "database-url": { type: "string" },
      station: { type: "string" },
      port: { type: "string", default: "3101" },
      "platform-port": { type: "string", default: "3102" },
      out: { type: "string" },
      help: { type: "boolean" },
    },
  });
  const databaseUrl = values["database-url"] ?? process.env.DATABASE_URL;
  if (values.help || (!values.gpd && !values.payments) || !databaseUrl) {
    console.error(!databaseUrl && !values.help ? `a PostgreSQL database is needed: --database-url or DATABASE_URL\n${USAGE}` : USAGE);
    return 2;
  }
  const gpd: Suite | undefined = values.gpd ? { name: "pagopa-debt-position", dir: suiteDir(resolve(values.gpd)), undeclared: [] } : undefined;
  // gpd-payments' payments_client.js requires "ip", which its package.json does not list.
  const payments: Suite | undefined = values.payments ? { name: "pagopa-gpd-payments", dir: suiteDir(resolve(values.payments)), undeclared: ["ip"] } : undefined;
  const gpdEnv = gpd ? suiteEnv(gpd.dir) : {};
  const paymentsEnv = payments ? suiteEnv(payments.dir) : {};

  const ec = paymentsEnv.test_creditor_institution ?? SUITE_DEFAULTS.ec;
  const organizations = [...new Set([ec, gpdEnv.organization_fiscal_code ?? SUITE_DEFAULTS.ec])];
  const broker = paymentsEnv.test_broker ?? SUITE_DEFAULTS.broker;
  const stationId = paymentsEnv.test_station ?? SUITE_DEFAULTS.station;
  const key = randomBytes(24).toString("hex");
  const out = values.out ? resolve(values.out) : mkdtempSync(join(tmpdir(), "stazione-peer-"));
  mkdirSync(out, { recursive: true });
  const log = (name: string) => join(out, name);

  for (const suite of [gpd, payments]) if (suite) await installIfMissing(suite, log(`${suite.name}.install.log`));

  const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));
  const port = Number(values.port);
  const platformPort = Number(values["platform-port"]);
  const recorder = await startRecorder(platformPort + 1, new URL(`http://127.0.0.1:${port}`));
  const platform = await startPlatform({
    port: platformPort,
    stationUrl: recorder.url,
    soapPath: SOAP_PATH,
    organizations,
    brokerId: broker,
    stationId,
    segregationCode: SEGREGATION_CODE,
  });
  const station = await startStation({
    dir: values.station ? resolve(values.station) : projectRoot,
    port,
    logFile: log("station.log"),
    env: {
      DATABASE_URL: databaseUrl,
      IUV_CHECK_DIGIT: "off",
      ORGANIZATIONS: organizations.join(","),
      BROKER_ID: broker,
      STATION_ID: stationId,
      ADMIN_API_KEY: key,
      SOAP_PATH,
      LOG_LEVEL: "info",
    },
  }).catch(async (error: unknown) => {
    await Promise.all([platform.stop(), recorder.stop()]);
    throw error;
  });
  console.log(`station ${station.url} (ECs ${organizations.join(", ")}, broker ${broker}, station ${stationId}, IUV_CHECK_DIGIT=off); logs in ${out}`);

  const results: { suite: string; scenarios: ScenarioResult[] }[] = [];
  try {
    if (gpd) {
      recorder.writeTo(log(`${gpd.name}.traffic.log`));
      const env = {
        ...gpdEnv,
        environment: "peer", // anything but "local", which drops the /v1 from the external paths
        gpd_external_host: `${recorder.url}/gpd/debt-positions-service`,
        gpd_host: `${recorder.url}/v1`,
        gpd_host_v2: `${recorder.url}/v2`,
        gpd_api_massive: "/organizations/{orgId}/debtpositions",
        API_SUBSCRIPTION_KEY: key,
      };
      results.push({ suite: gpd.name, scenarios: await runSuite(gpd, env, log(`${gpd.name}.json`), log(`${gpd.name}.log`)) });
    }
    if (payments) {
      recorder.writeTo(log(`${payments.name}.traffic.log`));
      const unused = `${platform.nodeUrl}/not-part-of-this-run`; // GPS, donations, IUV generator: no active scenario calls them
      const env = {
        ...paymentsEnv,
        payments_host: `${recorder.url}${SOAP_PATH}`,
        payments_info: `${recorder.url}/info`,
        payments_receipts_host: recorder.url,
        gpd_host: `${recorder.url}/v1`,
        api_config_host: platform.apiConfigUrl,
        nodo_host: platform.nodeUrl,
        gps_host: unused,
        donation_host: unused,
        iuv_generator_host: unused,
        ALLOW_SELF_SIGNED_CERT: "false",
        SUBKEY: key,
      };
      results.push({ suite: payments.name, scenarios: await runSuite(payments, env, log(`${payments.name}.json`), log(`${payments.name}.log`)) });
    }
  } finally {
    await Promise.all([platform.stop(), recorder.stop()]);
    await station.stop();
  }

  let failed = 0;
  for (const { suite, scenarios } of results) {
    const passed = scenarios.filter((s) => s.passed).length;
    failed += scenarios.length - passed;
    console.log(`\n${suite}: ${passed} of ${scenarios.length} scenarios passed`);
    for (const s of scenarios) {
      console.log(`  ${s.passed ? "PASS" : "FAIL"}  ${s.location}  ${s.name}`);
      if (s.failure) console.log(`        ${s.failure.status} at "${s.failure.step}": ${s.failure.message}`);
    }
  }
  console.log(`\nlogs and cucumber reports: ${out}`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
