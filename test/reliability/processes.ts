/**
 * Real processes for the reliability tests: app instances started like `npm start` (so SIGTERM and
 * kill -9 mean what they mean in production) and a disposable PostgreSQL cluster that a test can
 * stop and start under load. Everything listens on loopback and is torn down by the test.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ADMIN_KEY, BROKER, EC, EC_KEY, OTHER_EC, OTHER_EC_KEY, STATION } from "../support/app.ts";
import { resetDatabase, skipUnlessPostgres, TEST_DATABASE_URL, testDatabase } from "../support/db.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

export interface Instance {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/** The TypeScript entry point, as `npm run dev` runs it; `npm start` runs bin/start.js (compiled). */
const FROM_SOURCE = ["--import", "tsx", "src/main.ts"];

/** Starts the station (from source unless told) on a free port and waits until /ready answers. */
export async function startInstance(databaseUrl: string, env: Record<string, string> = {}, args = FROM_SOURCE): Promise<Instance> {
  const port = await freePort();
  let log = "";
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      ORGANIZATIONS: `${EC},${OTHER_EC}`,
      ORGANIZATION_API_KEYS: `${EC}:${EC_KEY},${OTHER_EC}:${OTHER_EC_KEY}`,
      ADMIN_API_KEY: ADMIN_KEY,
      BROKER_ID: BROKER,
      STATION_ID: STATION,
      LOG_LEVEL: "warn",
      ...env,
    },
  });
  child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "?")));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`instance exited at start:\n${log}`);
    try {
      if ((await fetch(`${url}/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill("SIGKILL");
      throw new Error(`instance not ready in 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, exited, output: () => log };
}

export interface InstancePair {
  a: Instance;
  b: Instance;
  /** Starts one more instance with the same settings (a restart after a crash), stopped with the others. */
  another(): Promise<Instance>;
}

/**
 * Two instances on the test PostgreSQL, emptied first, for the describe block that calls this (which is
 * skipped on PGlite: one in-process connection cannot race); stopped after it, with any started by
 * `another()`. `env` adds settings for every instance.
 */
export function twoInstances(env: Record<string, string> = {}): InstancePair {
  const started: Instance[] = [];
  const start = async () => {
    const instance = await startInstance(TEST_DATABASE_URL!, env);
    started.push(instance);
    return instance;
  };
  const pair = { another: start } as InstancePair;
  before(async function () {
    skipUnlessPostgres(this, "PGlite has one in-process connection");
    await testDatabase();
    await resetDatabase();
    [pair.a, pair.b] = await Promise.all([start(), start()]);
  });
  after(async () => {
    await Promise.all(started.map((instance) => stopInstance(instance)));
  });
  return pair;
}

export async function stopInstance(instance: Instance, signal: NodeJS.Signals = "SIGTERM"): Promise<number | string> {
  if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill(signal);
  return instance.exited;
}

function postgresBin(): string {
  const versions = readdirSync("/usr/lib/postgresql").sort();
  return `/usr/lib/postgresql/${versions[versions.length - 1]}/bin`;
}

export const postgresBinariesAvailable = () => existsSync("/usr/lib/postgresql") && readdirSync("/usr/lib/postgresql").length > 0;

/** PostgreSQL refuses to run as root: run its tools as the postgres user then. */
function asPostgres(command: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  execFileSync(isRoot ? "runuser" : command, isRoot ? ["-u", "postgres", "--", command, ...args] : args, { stdio: "pipe", timeout: 60_000 });
}

export interface Cluster {
  url: string;
  start(): void;
  /** mode "immediate" is a crash-like stop; "fast" a clean one. */
  stop(mode?: "fast" | "immediate"): void;
  destroy(): void;
}

/** initdb into a temp dir and start it on a free loopback port (trust auth, database postgres). */
export async function startCluster(): Promise<Cluster> {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(os.tmpdir(), "stazione-pg-"));
  chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  const port = await freePort();
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dir]);
  asPostgres(`${bin}/initdb`, ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => asPostgres(`${bin}/pg_ctl`, ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "start"]),
    stop: (mode = "fast") => asPostgres(`${bin}/pg_ctl`, ["-D", data, "-m", mode, "-w", "stop"]),
    destroy: () => {
      try {
        cluster.stop("immediate");
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
