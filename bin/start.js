#!/usr/bin/env node
// npm start: the compiled station (dist/src/main.js), rebuilt first when a source changed since the
// last build. Development runs the TypeScript directly: npm run dev. An install without TypeScript
// and without a build (npm ci --omit=dev from a bare checkout) runs the TypeScript through tsx.
import { existsSync } from "node:fs";
import process from "node:process";
import { URL } from "node:url";
import { buildIfStale } from "./build.js";

if (buildIfStale()) process.stderr.write("stazione: sources changed, compiled to dist/\n");
if (existsSync(new URL("../dist/src/main.js", import.meta.url))) {
  await import("../dist/src/main.js");
} else {
  process.stderr.write("stazione: no build in dist/ and no TypeScript compiler to make one: running the sources through tsx (slower start)\n");
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/main.ts");
}
