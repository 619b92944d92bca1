/**
 * Starts a station from a checkout (its own `src/main.ts`, its own node_modules) as a child process, waits until
 * it answers `/ready`, and stops it with SIGTERM. Its output goes to a log file, so a failing scenario can be
 * matched with what the station logged.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import { join } from "node:path";

export interface StationOptions {
  /** Checkout to run (the project root by default). */
  dir: string;
  port: number;
  env: Record<string, string>;
  logFile: string;
}

export interface RunningStation {
  url: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

export async function startStation(options: StationOptions): Promise<RunningStation> {
  const log = openSync(options.logFile, "a");
  const child = spawn(join(options.dir, "node_modules", ".bin", "tsx"), ["src/main.ts"], {
    cwd: options.dir,
    env: { ...process.env, ...options.env, HOST: "127.0.0.1", PORT: String(options.port) },
    stdio: ["ignore", log, log],
  });
  const url = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(null)); // could not start (no node_modules in that checkout?)
  });
  try {
    await waitReady(url, exited);
  } catch (error) {
    await stopChild(child, exited);
    throw new Error(`${(error as Error).message}; see ${options.logFile}`);
  }
  return { url, stop: () => stopChild(child, exited) };
}

async function waitReady(url: string, exited: Promise<number | null>): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`the station exited at start (code ${gone})`);
    try {
      if ((await fetch(`${url}/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the station did not become ready within ${READY_TIMEOUT_MS / 1000} s`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 25_000);
  await exited;
  clearTimeout(killer);
}
