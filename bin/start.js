#!/usr/bin/env node
// npm start: the compiled station (dist/src/main.js), rebuilt first when a source changed since the
// last build. Development runs the TypeScript directly: npm run dev.
import process from "node:process";
import { buildIfStale } from "./build.js";

if (buildIfStale()) process.stderr.write("stazione: sources changed, compiled to dist/\n");
await import("../dist/src/main.js");
