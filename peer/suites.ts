/**
 * pagoPA's two cucumber suites as they sit in their repositories (`integration-test/src`): their own dependencies,
 * installed in their folder when missing, and their own `config/.env.local`, with the hosts and keys pointed at the
 * station and the platform doubles. Each run writes cucumber's JSON report, read back into one result per scenario.
 */
import { spawn } from "node:child_process";
import { existsSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Suite {
  name: string;
  /** The suite's `integration-test/src` folder. */
  dir: string;
  /** Packages the suite requires without declaring them. */
  undeclared: string[];
}

export interface ScenarioResult {
  location: string;
  name: string;
  passed: boolean;
  /** First step that did not pass, with cucumber's message. */
  failure?: { step: string; status: string; message: string };
}

/** Accepts the repository root or its `integration-test/src` folder. */
export function suiteDir(path: string): string {
  const nested = join(path, "integration-test", "src");
  const dir = existsSync(nested) ? nested : path;
  if (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "features"))) {
    throw new Error(`${path} is not a pagoPA repository with integration-test/src (package.json and features/)`);
  }
  return dir;
}

/** The suite's own `config/.env.local` (KEY=VALUE lines), the base its configuration starts from. */
export function suiteEnv(dir: string): Record<string, string> {
  const file = join(dir, "config", ".env.local");
  const env: Record<string, string> = {};
  if (!existsSync(file)) return env;
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const at = line.indexOf("=");
    if (at > 0 && !line.trimStart().startsWith("#")) env[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return env;
}

export async function installIfMissing(suite: Suite, logFile: string): Promise<void> {
  if (!existsSync(join(suite.dir, "node_modules", "@cucumber", "cucumber"))) {
    const lock = existsSync(join(suite.dir, "package-lock.json"));
    console.log(`${suite.name}: installing its dependencies (npm ${lock ? "ci" : "install"}) in ${suite.dir}`);
    await run("npm", [lock ? "ci" : "install", "--no-audit", "--no-fund"], suite.dir, {}, logFile);
  }
  const missing = suite.undeclared.filter((name) => !existsSync(join(suite.dir, "node_modules", name)));
  if (missing.length > 0) {
    console.log(`${suite.name}: installing ${missing.join(", ")} (required by its code, missing from its package.json)`);
    await run("npm", ["install", "--no-save", "--no-audit", "--no-fund", ...missing], suite.dir, {}, logFile);
  }
}

export async function runSuite(suite: Suite, env: Record<string, string>, reportFile: string, logFile: string): Promise<ScenarioResult[]> {
  const cucumber = join(suite.dir, "node_modules", ".bin", "cucumber-js");
  const args = ["-r", "step_definitions", "--publish-quiet", "--format", "progress", "--format", `json:${reportFile}`];
  await run(cucumber, args, suite.dir, env, logFile, true);
  if (!existsSync(reportFile)) throw new Error(`${suite.name}: cucumber wrote no report; see ${logFile}`);
  return scenarioResults(JSON.parse(readFileSync(reportFile, "utf8")) as CucumberFeature[]);
}

interface CucumberStep {
  keyword: string;
  name?: string;
  hidden?: boolean;
  result: { status: string; error_message?: string };
}
interface CucumberFeature {
  uri: string;
  elements?: { name: string; line: number; type: string; steps: CucumberStep[] }[];
}

export function scenarioResults(features: CucumberFeature[]): ScenarioResult[] {
  return features.flatMap((feature) =>
    (feature.elements ?? [])
      .filter((element) => element.type === "scenario")
      .map((scenario) => {
        const failed = scenario.steps.find((step) => step.result.status !== "passed");
        const result: ScenarioResult = { location: `${feature.uri}:${scenario.line}`, name: scenario.name, passed: failed === undefined };
        if (failed) {
          result.failure = {
            step: `${failed.keyword.trim()} ${failed.name ?? ""}`.trim(),
            status: failed.result.status,
            message: (failed.result.error_message ?? "").split("\n").filter((line) => line.trim() !== "" && !line.trimStart().startsWith("at ")).slice(0, 6).join(" | "),
          };
        }
        return result;
      }),
  );
}

/** Runs a command with its output appended to the log; fails on a non-zero exit unless the caller reads a report. */
function run(command: string, args: string[], cwd: string, env: Record<string, string>, logFile: string, anyExit = false): Promise<void> {
  const log = openSync(logFile, "a");
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", log, log] });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 || anyExit ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}; see ${logFile}`))));
  });
}
