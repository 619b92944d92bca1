#!/usr/bin/env node
// Launcher for `npx stazione …`: runs the TypeScript CLI through tsx, a dependency of the station.
import process from "node:process";
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
