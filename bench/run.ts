/**
 * npm run bench: loads 100k positions into stazione (compiled, as npm start runs it) on PostgreSQL and
 * on PGlite, fires wrk at the SOAP and REST hot paths and at single creates, times a cold start,
 * measures in the same run the bare node:http ceiling and PostgreSQL's durable-commit limit (pgbench
 * single-row inserts), and writes bench/results/*.json and the README table. Loopback only; every
 * step is bounded in time.
 *
 * Env: BENCH_POSITIONS (100000), BENCH_SECONDS per scenario (10), BENCH_CONNECTIONS (64),
 * BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres; a database BENCH_DATABASE, stazione_bench, is recreated),
 * BENCH_ENGINES (postgres,pglite), BENCH_SCENARIOS (all; else a comma list of verify, adversarial, nav, options,
 * create, activate, mixed, receipt: a partial run prints its table but leaves the README and bench/results alone).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { BENCH_EC, benchPosition, rowsOf } from "./data.ts";
import { copyBaseline } from "./copy.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const POSITIONS = Number(process.env.BENCH_POSITIONS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Unrecorded load before each scenario, so JIT compilation and connection set-up stay out of the figures. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
/** Clients of the single-create scenario: an EC's back office, not the Node's crowd. */
const CREATE_CONNECTIONS = 8;
/** The station's PostgreSQL pool: the concurrency PostgreSQL itself sees, for its durable-commit limit. */
const POOL_SIZE = 10;
const THREADS = 2;
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const BENCH_DATABASE = process.env.BENCH_DATABASE ?? "stazione_bench";
const ENGINES = (process.env.BENCH_ENGINES ?? "postgres,pglite").split(",");
const ONLY = process.env.BENCH_SCENARIOS?.split(",");
const ADMIN_KEY = "bench-admin-key-000000000001";
const BROKER = "77777777777";
const STATION = "77777777777_01";

interface ScenarioResult {
  engine: string;
  scenario: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  rssMb: number;
  ratioToCeiling?: number;
  errors: number;
  rowsPerSec?: number;
  ratioToCopy?: number;
  /** Receipts: the share of PostgreSQL's durable single-row insert rate at the same concurrency (pgbench). */
  ratioToDurable?: number;
  /** Cold start: spawn to the first answer of /health. */
  startMs?: number;
  /** Connections wrk held, when not CONNECTIONS. */
  connections?: number;
  /** The server's event-loop delay during the scenario (monitorEventLoopDelay). */
  loopDelayP99Ms?: number;
  loopDelayMaxMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function ensureWrk(): void {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") return; // wrk --version exits 1 but exists
    console.log("installing wrk (Debian package)…");
    execFileSync("bash", ["-c", "apt-get update -qq && apt-get install -y -qq wrk"], { stdio: "inherit" });
  }
}

const rssMb = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
};

async function waitReady(url: string, child: ChildProcess, timeoutMs = 120_000, pollMs = 200): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(pollMs);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(25_000)]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

function wrk(port: number, mode: string, first: number, count: number, tag: string, seconds = SECONDS, connections = CONNECTIONS) {
  const out = execFileSync(
    "wrk",
    ["-t", String(THREADS), "-c", String(connections), "-d", `${seconds}s`, "--timeout", "10s", "-s", path.join(ROOT, "bench/wrk/paForNode.lua"),
      `http://127.0.0.1:${port}`, "--", mode, String(first), String(count), BENCH_EC, BROKER, STATION, tag, ADMIN_KEY, String(THREADS)],
    { encoding: "utf8", timeout: (seconds + 60) * 1000, stdio: ["ignore", "pipe", "inherit"] },
  );
  const json = /JSON (\{.*\})/.exec(out)?.[1];
  if (!json) throw new Error(`wrk printed no result:\n${out}`);
  const r = JSON.parse(json) as { requests: number; duration_us: number; p50_us: number; p99_us: number; socket_errors: number; wrong_answers: number };
  return { reqPerSec: Math.round(r.requests / (r.duration_us / 1e6)), p50Ms: r.p50_us / 1000, p99Ms: r.p99_us / 1000, errors: r.socket_errors + r.wrong_answers };
}

async function bulkLoad(port: number): Promise<{ seconds: number; rows: number }> {
  const batch = 500;
  const started = process.hrtime.bigint();
  let rows = 0;
  let next = 0;
  const worker = async () => {
    while (next < POSITIONS) {
      const from = next;
      next += batch;
      const positions = [];
      for (let i = from; i < Math.min(from + batch, POSITIONS); i++) {
        positions.push(benchPosition(i));
        rows += rowsOf(i);
      }
      const res = await fetch(`http://127.0.0.1:${port}/v2/organizations/${BENCH_EC}/debtpositions?toPublish=true`, {
        method: "POST",
        headers: { "content-type": "application/json", "ocp-apim-subscription-key": ADMIN_KEY },
        body: JSON.stringify({ paymentPositions: positions }),
      });
      if (res.status !== 201) throw new Error(`bulk load answered ${res.status}: ${await res.text()}`);
    }
  };
  await Promise.all([worker(), worker()]);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rows };
}

async function recreatePgDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  // the name is the operator's own setting, quoted as an identifier
  const name = `"${BENCH_DATABASE.replace(/"/g, '""')}"`;
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${encodeURIComponent(BENCH_DATABASE)}`;
  return url.toString();
}

/** The Node.js options npm start gives the station (package.json's start script). */
const START_FLAGS = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start
  .split(" ")
  .filter((word) => word.startsWith("--"));

/**
 * Starts the compiled station (dist/, with npm start's Node.js options), with the event-loop probe
 * preloaded unless told (the probe is TypeScript, loaded through tsx: a cold start is timed without it).
 */
function startStation(port: number, database: { url: string } | { dataDir: string }, probe = true): ChildProcess {
  const preload = probe ? ["--import", "tsx", "--import", "./bench/loopDelay.ts"] : [];
  return spawn(process.execPath, [...START_FLAGS, ...preload, "dist/src/main.js"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ADMIN_API_KEY: ADMIN_KEY,
      ORGANIZATIONS: BENCH_EC,
      BROKER_ID: BROKER,
      STATION_ID: STATION,
      BODY_LIMIT_BYTES: String(8 * 1024 * 1024),
      ...("url" in database ? { DATABASE_URL: database.url, DB_POOL_SIZE: String(POOL_SIZE) } : { DATA_DIR: database.dataDir }),
    },
  });
}

/** Time from spawn to the first answer of /health, on a database already migrated and loaded. */
async function coldStart(engine: string, database: { url: string } | { dataDir: string }): Promise<ScenarioResult> {
  const port = await freePort();
  const started = performance.now();
  const child = startStation(port, database, false);
  try {
    await waitReady(`http://127.0.0.1:${port}/health`, child, 60_000, 10);
    const startMs = performance.now() - started;
    return { engine, scenario: `cold start, compiled (spawn to /health answering): ${Math.round(startMs)} ms`, reqPerSec: NaN, p50Ms: NaN, p99Ms: NaN, rssMb: rssMb(child.pid!), errors: 0, startMs };
  } finally {
    await stop(child);
  }
}

async function benchEngine(engine: string, ceiling: number): Promise<ScenarioResult[]> {
  const port = await freePort();
  const dataDir = engine === "pglite" ? mkdtempSync(path.join(os.tmpdir(), "stazione-bench-")) : undefined;
  const databaseUrl = engine === "postgres" ? await recreatePgDatabase() : undefined;
  const database = databaseUrl ? { url: databaseUrl } : { dataDir: dataDir! };
  const child = startStation(port, database);
  const results: ScenarioResult[] = [];
  try {
    await waitReady(`http://127.0.0.1:${port}/ready`, child);
    console.log(`[${engine}] loading ${POSITIONS} positions through POST /v2 …`);
    const load = await bulkLoad(port);
    const rowsPerSec = Math.round(load.rows / load.seconds);
    let ratioToCopy: number | undefined;
    if (databaseUrl) {
      const copy = await copyBaseline(databaseUrl, POSITIONS);
      ratioToCopy = rowsPerSec / copy.rowsPerSec;
      console.log(`[${engine}] psql \\copy of the same ${copy.rows} rows: ${copy.rowsPerSec} rows/s`);
    }
    results.push({ engine, scenario: "REST bulk load (POST /v2, 500 per request)", reqPerSec: Math.round(POSITIONS / load.seconds), p50Ms: NaN, p99Ms: NaN, rssMb: rssMb(child.pid!), errors: 0, rowsPerSec, ratioToCopy });
    console.log(`[${engine}] bulk load: ${load.rows} rows in ${load.seconds.toFixed(1)} s = ${rowsPerSec} rows/s`);
    // What autovacuum does in a deployment (it may be off on a test machine): statistics after the load, and
    // the dead rows of each scenario cleared before the next. Without it the planner guesses from table sizes
    // and each scenario pays for the updates of those before it: figures of a database no deployment runs.
    const upkeep = databaseUrl && !autovacuumOn(databaseUrl) ? () => execFileSync("psql", [databaseUrl, "-q", "-c", "VACUUM ANALYZE"], { stdio: "ignore" }) : () => {};
    upkeep();
    const durable = databaseUrl ? durableInsertLimit(databaseUrl) : undefined;
    if (durable) console.log(`[${engine}] pgbench single-row inserts, ${POOL_SIZE} clients, synchronous commit: ${durable} tps`);

    // Disjoint notice ranges, so each scenario meets the state it expects; receipts warm up on notices of
    // their own, so the measured ones pay notices that were never paid. Creates number their positions
    // after the loaded ones.
    const quarter = Math.floor(POSITIONS / 4);
    const tenth = Math.floor(POSITIONS / 10);
    const scenarios = [
      { name: "paVerifyPaymentNotice", key: "verify", mode: "verify", first: 0, count: POSITIONS, warm: { mode: "verify", first: 0, count: POSITIONS } },
      // before anything is paid, so that every verify is answered OK
      { name: "paVerifyPaymentNotice + 1 MiB adversarial bodies", key: "adversarial", mode: "verify", first: 0, count: POSITIONS, warm: { mode: "verify", first: 0, count: POSITIONS }, adversarial: true },
      { name: "REST get option by NAV", key: "nav", mode: "nav", first: 0, count: POSITIONS, warm: { mode: "nav", first: 0, count: POSITIONS } },
      { name: "paVerifyPaymentOptions (REST, GET)", key: "options", mode: "options", first: 0, count: POSITIONS, warm: { mode: "options", first: 0, count: POSITIONS } },
      { name: `REST single create (POST /v1, ${CREATE_CONNECTIONS} clients)`, key: "create", mode: "create", first: 2 * POSITIONS, count: 1, warm: { mode: "create", first: POSITIONS, count: 1 }, connections: CREATE_CONNECTIONS },
      { name: "paGetPaymentV2", key: "activate", mode: "activate", first: 0, count: quarter, warm: { mode: "activate", first: 0, count: quarter } },
      // warmed by the scenarios before it; its own receipts would pay the notices it is about to verify
      { name: "mixed verify:activate:receipt 3:2:1", key: "mixed", mode: "mixed", first: quarter, count: quarter, warm: { mode: "verify", first: quarter, count: quarter } },
      { name: "paSendRTV2", key: "receipt", mode: "receipt", first: 2 * quarter, count: 2 * quarter - tenth, warm: { mode: "receipt", first: POSITIONS - tenth, count: tenth } },
    ];
    for (const { name, key, mode, first, count, warm, adversarial, connections } of scenarios) {
      if (ONLY && !ONLY.includes(key)) continue;
      wrk(port, warm.mode, warm.first, warm.count, `${engine}-warm-${Date.now()}`, WARMUP_SECONDS, connections);
      const sender = adversarial ? await startAdversarialSender(port, SECONDS) : undefined;
      child.send("reset");
      const r = wrk(port, mode, first, count, `${engine}-${Date.now()}`, SECONDS, connections);
      const delay = await loopDelay(child);
      const sent = await sender;
      const scenario = sent ? `${name} (${sent.answered} answered, slowest ${Math.round(sent.slowestMs)} ms)` : name;
      const ratioToDurable = mode === "receipt" && durable ? r.reqPerSec / durable : undefined;
      const result = { engine, scenario, ...r, ...delay, rssMb: rssMb(child.pid!), ratioToCeiling: r.reqPerSec / ceiling, ratioToDurable, connections };
      results.push(result);
      console.log(`[${engine}] ${scenario}: ${r.reqPerSec} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, event-loop delay p99 ${fmt(delay.loopDelayP99Ms, 1)} ms, max ${fmt(delay.loopDelayMaxMs, 1)} ms, ${result.rssMb} MB, errors ${r.errors}`);
      upkeep();
    }
  } finally {
    await stop(child);
  }
  try {
    if (ONLY) return results;
    const start = await coldStart(engine, database);
    results.push(start);
    console.log(`[${engine}] ${start.scenario}`);
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

/**
 * What bounds receipts: PostgreSQL's rate of durable single-row inserts (synchronous commit, fsync) at the
 * station's pool size, by pgbench for a few seconds on a table of its own, dropped after.
 */
function durableInsertLimit(databaseUrl: string): number | undefined {
  const pgbench = pgbenchPath();
  if (!pgbench) {
    console.log("pgbench not found: receipts are not compared with the durable-commit limit");
    return undefined;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "stazione-pgbench-"));
  const script = path.join(dir, "insert.sql");
  writeFileSync(script, "INSERT INTO bench_durable (payload) VALUES ('receipt');\n");
  const psql = (sql: string) => execFileSync("psql", [databaseUrl, "-q", "-c", sql], { stdio: "ignore" });
  try {
    psql("CREATE TABLE IF NOT EXISTS bench_durable (id bigserial PRIMARY KEY, payload text)");
    const seconds = Math.min(SECONDS, 5);
    const out = execFileSync(pgbench, ["-n", "-c", String(POOL_SIZE), "-j", String(THREADS), "-T", String(seconds), "-f", script, databaseUrl], {
      encoding: "utf8",
      timeout: (seconds + 30) * 1000,
      env: { ...process.env, PGOPTIONS: "-c synchronous_commit=on" },
    });
    const tps = /tps = ([\d.]+)/.exec(out)?.[1];
    return tps === undefined ? undefined : Math.round(Number(tps));
  } finally {
    psql("DROP TABLE IF EXISTS bench_durable");
    rmSync(dir, { recursive: true, force: true });
  }
}

function autovacuumOn(databaseUrl: string): boolean {
  return execFileSync("psql", [databaseUrl, "-Atc", "SHOW autovacuum"], { encoding: "utf8" }).trim() === "on";
}

function pgbenchPath(): string | undefined {
  try {
    execFileSync("pgbench", ["--version"], { stdio: "ignore" });
    return "pgbench";
  } catch {
    const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").sort() : [];
    const candidate = versions.length > 0 ? `/usr/lib/postgresql/${versions[versions.length - 1]}/bin/pgbench` : undefined;
    return candidate && existsSync(candidate) ? candidate : undefined;
  }
}

/** The server's event-loop delay since the last "reset" (see bench/loopDelay.ts). */
function loopDelay(child: ChildProcess): Promise<{ loopDelayP99Ms: number; loopDelayMaxMs: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no event-loop delay from the server")), 10_000);
    child.once("message", (m: { p99Ms: number; maxMs: number }) => {
      clearTimeout(timer);
      resolve({ loopDelayP99Ms: m.p99Ms, loopDelayMaxMs: m.maxMs });
    });
    child.send("read");
  });
}

/**
 * Starts bench/adversarial.ts (1 MiB bodies of adversarial shapes, back to back) once it has built its
 * bodies; resolves with how many it had answered and the slowest answer when it stops after `seconds`.
 */
async function startAdversarialSender(port: number, seconds: number): Promise<Promise<{ answered: number; slowestMs: number }>> {
  const sender = spawn(process.execPath, ["--import", "tsx", "bench/adversarial.ts", String(port), String(seconds)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  let ready: () => void;
  const started = new Promise<void>((r) => (ready = r));
  sender.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes("READY")) ready();
  });
  const finished = new Promise<{ answered: number; slowestMs: number }>((resolve, reject) =>
    sender.once("exit", () => {
      const json = /JSON (\{.*\})/.exec(out)?.[1];
      if (json) resolve(JSON.parse(json));
      else reject(new Error(`the adversarial sender printed no result:\n${out}`));
    }),
  );
  await Promise.race([started, finished]);
  return finished;
}

async function measureCeiling(): Promise<ScenarioResult> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "bench/ceiling.ts"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, PORT: String(port) } });
  try {
    const until = Date.now() + 30_000;
    for (;;) {
      try {
        await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "x" });
        break;
      } catch {
        if (Date.now() > until) throw new Error("ceiling server did not start");
        await sleep(100);
      }
    }
    wrk(port, "verify", 0, POSITIONS, "ceiling-warm", WARMUP_SECONDS);
    const r = wrk(port, "verify", 0, POSITIONS, "ceiling");
    return { engine: "node:http", scenario: "ceiling: fixed paVerifyPaymentNotice body", ...r, rssMb: rssMb(child.pid!), ratioToCeiling: 1 };
  } finally {
    await stop(child);
  }
}

function machine() {
  let postgres = "unknown";
  try {
    postgres = execFileSync("psql", ["--version"], { encoding: "utf8" }).trim();
  } catch {
    // psql missing: not fatal for the report
  }
  return { cpu: os.cpus()[0]?.model ?? "?", cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres, os: `${os.type()} ${os.release()}` };
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits));

function table(results: ScenarioResult[], info: ReturnType<typeof machine>, date: string): string {
  const lines = [
    `Last run ${date} on ${info.cores} cores (${info.cpu}), ${info.memoryGb} GiB, Node ${info.node}, ${info.postgres}; the station compiled (npm start); wrk ${THREADS} threads, ${CONNECTIONS} connections (single creates: ${CREATE_CONNECTIONS}), ${SECONDS} s per scenario after ${WARMUP_SECONDS} s of warm-up, ${POSITIONS} positions with 1–5 transfers. PostgreSQL with autovacuum off gets VACUUM ANALYZE after the load and after each scenario, as autovacuum would. Durable commits (synchronous_commit on, fsync on). × ceiling: share of the bare node:http server measured in the same run; × durable inserts: share of pgbench single-row inserts with synchronous commit at the pool's ${POOL_SIZE} clients, same run.`,
    "",
    "| engine | scenario | req/s | p50 ms | p99 ms | event-loop delay p99 / max ms | RSS MB | × ceiling | × durable inserts | rows/s | × COPY | errors |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.engine} | ${r.scenario} | ${fmt(r.reqPerSec)} | ${fmt(r.p50Ms, 1)} | ${fmt(r.p99Ms, 1)} | ${r.loopDelayP99Ms === undefined ? "–" : `${fmt(r.loopDelayP99Ms, 1)} / ${fmt(r.loopDelayMaxMs, 1)}`} | ${r.rssMb} | ${fmt(r.ratioToCeiling, 2)} | ${fmt(r.ratioToDurable, 2)} | ${fmt(r.rowsPerSec)} | ${fmt(r.ratioToCopy, 2)} | ${r.errors} |`,
    ),
  ];
  return lines.join("\n");
}

async function main() {
  ensureWrk();
  // the station as npm start runs it
  execFileSync(process.execPath, ["bin/build.js"], { cwd: ROOT, stdio: "inherit" });
  const info = machine();
  const ceiling = await measureCeiling();
  console.log(`ceiling: ${ceiling.reqPerSec} req/s, p99 ${ceiling.p99Ms} ms`);
  const results: ScenarioResult[] = [ceiling];
  for (const engine of ENGINES) results.push(...(await benchEngine(engine, ceiling.reqPerSec)));
  const date = new Date().toISOString();
  if (ONLY) {
    console.log(`\n${table(results, info, date)}`);
    return;
  }
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  const report = { date, machine: info, positions: POSITIONS, seconds: SECONDS, connections: CONNECTIONS, results };
  writeFileSync(path.join(ROOT, "bench/results/latest.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(ROOT, `bench/results/${date.replace(/[:.]/g, "-")}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const readmePath = path.join(ROOT, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const updated = readme.replace(/(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/, (_, start: string, end: string) => `${start}${table(results, info, date)}\n${end}`);
  writeFileSync(readmePath, updated);
  console.log(`\n${table(results, info, date)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
