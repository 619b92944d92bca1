#!/usr/bin/env node
// Compiles the station to dist/ (tsc, tsconfig.build.json) when a source is newer than the last build.
// `npm ci` runs it (prepare) and `npm start` runs it first, so the station starts from JavaScript;
// type checking is `npm run typecheck`'s job. Without TypeScript installed (npm ci --omit=dev) it
// builds nothing: an existing build is used as it is, and without one npm start runs the TypeScript.
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "dist");
const STAMP = path.join(DIST, ".built");
/** What the build reads: the compiled folders and the compiler settings. */
const SOURCES = ["src", "migrations", "demo", "tsconfig.json", "tsconfig.build.json", "package.json"];

function newestChange(file) {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(file).reduce((newest, name) => Math.max(newest, newestChange(path.join(file, name))), stat.mtimeMs);
}

export function isStale() {
  const built = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return SOURCES.some((source) => newestChange(path.join(ROOT, source)) > built);
}

function typescriptCompiler() {
  try {
    return createRequire(import.meta.url).resolve("typescript/bin/tsc");
  } catch {
    return undefined;
  }
}

/** Builds when stale; returns whether it built. */
export function buildIfStale() {
  if (!isStale()) return false;
  const tsc = typescriptCompiler();
  if (!tsc) return false;
  // from scratch, so a deleted source leaves no module behind
  rmSync(DIST, { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json"), "--noCheck"], { cwd: ROOT, stdio: "inherit" });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return true;
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  if (buildIfStale()) process.stderr.write("stazione: compiled to dist/\n");
}
