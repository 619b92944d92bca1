/**
 * `npx stazione <command>`: tools that talk to a running station over its REST API.
 *
 *   stazione import  --ec <fiscal code> <positions.csv | positions.jsonl>   bulk import, resumable
 *   stazione export  --ec <fiscal code> --from <date> --to <date> [--out receipts.csv]
 *   stazione notices --ec <fiscal code> --out <folder> <iupd>...               PDF notices, one per debtor (reads the database)
 *   stazione demo    --ec <fiscal code>                                         demo spontaneous-payment catalogue (admin key)
 *
 * The station's URL and API key come from --url/--key or STAZIONE_URL/STAZIONE_API_KEY.
 * Exit codes: 0 done, 1 some rows failed, 2 bad arguments, 3 the station was unreachable or failed
 * (an import then resumes where it stopped when run again).
 */
import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { createStationClient, StationUnavailable, type StationClient } from "./client.ts";
import { exportReceipts } from "./export.ts";
import { loadDemo } from "../../demo/catalogue.ts";
import { importPositions, MAX_BATCH } from "./import.ts";
import { main as noticesMain, type CliIo } from "./notices.ts";

const USAGE = `usage: stazione <command> [options]
  import  --ec <fiscal code> [--batch <1-${MAX_BATCH}>] [--state <file>] [--company-name <name>] [--draft] [--format csv|jsonl] <file>
  export  --ec <fiscal code> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--out <file.csv>]
  notices --ec <fiscal code> --out <folder> [--from-file <list.txt>] [<iupd>...]
  demo    --ec <fiscal code>   (loads the demo catalogue and enrols the EC; needs the admin key)
common: --url <station URL> (or STAZIONE_URL), --key <API key> (or STAZIONE_API_KEY)`;

const FISCAL_CODE = /^\d{11}$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T.*)?$/;

export interface StationCliIo extends CliIo {
  /** Replaces the HTTP client (tests). */
  client?: StationClient;
}

const OPTIONS = {
  url: { type: "string" },
  key: { type: "string" },
  ec: { type: "string" },
  batch: { type: "string" },
  state: { type: "string" },
  "company-name": { type: "string" },
  draft: { type: "boolean" },
  format: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export async function main(argv: readonly string[], io: StationCliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "notices") return noticesMain(rest, io);
  const fail = (message: string) => (io.stderr.write(`${message}\n${USAGE}\n`), 2);
  if (command === undefined || command === "--help" || command === "-h") return (io.stdout.write(`${USAGE}\n`), command === undefined ? 2 : 0);
  if (command !== "import" && command !== "export" && command !== "demo") return fail(`unknown command "${command}"`);
  let args;
  try {
    args = parseArgs({ args: rest, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    return fail((error as Error).message);
  }
  const v = args.values;
  const url = v.url ?? io.env.STAZIONE_URL;
  const key = v.key ?? io.env.STAZIONE_API_KEY;
  if (!url || !/^https?:\/\//.test(url)) return fail("--url (or STAZIONE_URL) must be the station's http(s) URL");
  if (!key) return fail("--key (or STAZIONE_API_KEY) is required");
  if (!v.ec || !FISCAL_CODE.test(v.ec)) return fail("--ec must be the EC's 11-digit fiscal code");
  const client = io.client ?? createStationClient(url, key);
  try {
    if (command === "demo") {
      const ids = await loadDemo({ url: url.replace(/\/$/, ""), adminKey: key, ec: v.ec });
      io.stdout.write(`Loaded services ${ids.join(", ")} and enrolled ${v.ec}\n`);
      return 0;
    }
    return command === "import" ? await runImport(client, v.ec, v, args.positionals, io, fail) : await runExport(client, v.ec, v, io, fail);
  } catch (error) {
    io.stderr.write(`\n${(error as Error).message}\n`);
    return error instanceof StationUnavailable ? 3 : 1;
  }
}

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

async function runImport(client: StationClient, ec: string, v: Values, files: string[], io: StationCliIo, fail: (m: string) => number): Promise<number> {
  if (files.length !== 1) return fail("name one input file");
  const file = files[0]!;
  const format = v.format ?? (/\.(jsonl|ndjson)$/i.test(file) ? "jsonl" : "csv");
  if (format !== "csv" && format !== "jsonl") return fail("--format must be csv or jsonl");
  const batchSize = Number(v.batch ?? MAX_BATCH);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) return fail(`--batch must be an integer from 1 to ${MAX_BATCH}`);
  let size;
  try {
    ({ size } = await stat(file));
  } catch (error) {
    return fail(`cannot read ${file}: ${(error as Error).message}`);
  }
  const bar = new cliProgress.SingleBar(
    { stream: io.stderr, format: "Import |{bar}| {percentage}% created {created} failed {failed}", noTTYOutput: true, notTTYSchedule: 2000, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(size, 0, { created: 0, failed: 0 });
  let summary;
  try {
    summary = await importPositions({
      client,
      ec,
      file,
      format,
      batchSize,
      stateFile: v.state ?? `${file}.state`,
      companyName: v["company-name"] ?? ec,
      publish: !v.draft,
      onProgress: (bytes, s) => bar.update(bytes, { created: s.created, failed: s.failed.length }),
    });
  } finally {
    bar.stop();
  }
  for (const row of summary.failed) io.stdout.write(`failed: line ${row.line} iupd ${row.iupd || "(none)"}: ${row.reason}\n`);
  io.stdout.write(`${summary.created} created, ${summary.failed.length} failed${summary.resumedBatches ? ` (${summary.resumedBatches} batches done by an earlier run)` : ""}\n`);
  return summary.failed.length > 0 ? 1 : 0;
}

async function runExport(client: StationClient, ec: string, v: Values, io: StationCliIo, fail: (m: string) => number): Promise<number> {
  if (!v.from || !DATE.test(v.from) || !v.to || !DATE.test(v.to)) return fail("--from and --to are required: dates (YYYY-MM-DD) or date-times");
  const out = v.out ? createWriteStream(v.out) : io.stdout;
  const written = await exportReceipts({ client, ec, from: v.from, to: v.to, out });
  if (v.out) await new Promise<void>((done, failed) => (out as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? failed(e) : done())));
  io.stderr.write(`${written} receipts exported\n`);
  return 0;
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error("stazione failed:", error);
      process.exitCode = 1;
    },
  );
}
