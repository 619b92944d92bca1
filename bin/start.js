#!/usr/bin/env node
// npm start: the compiled station (dist/src/main.js), rebuilt first when a source changed since the
// last build. Development runs the TypeScript directly: npm run dev.
import { buildIfStale } from "./build.js";

if (buildIfStale()) console.error("stazione: sources changed, compiled to dist/");
await import("../dist/src/main.js");
