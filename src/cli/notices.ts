/**
 * Writes the payment notices (PDF) of a list of debt positions to a folder, one <iupd>.pdf each, or
 * for a position with co-obligors one <iupd>-<debtor's fiscal code>.pdf per debtor:
 *
 *   npm run notices -- --ec 77777777777 --out ./avvisi IUPD-1 IUPD-2
 *   npm run notices -- --ec 77777777777 --out ./avvisi --from-file list.txt   (one IUPD a line, # comments)
 *
 * It reads the same environment as the server (DATABASE_URL, or the embedded PGlite in DATA_DIR,
 * ORGANIZATIONS, ORGANIZATION_CBILL...). PGlite is single-process: with the embedded database, stop
 * the server first or point both at PostgreSQL. A position that cannot be printed (unknown, not
 * payable) is reported and skipped; the others are written. Exit code: 0 all written, 1 some
 * failed, 2 bad arguments or configuration.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { ConfigError, loadConfig } from "../config.ts";
import { isDomainError } from "../domain/errors.ts";
import { createNoticeDocumentService, type NoticeDocumentService } from "../services/noticeDocuments.ts";
import { databaseOptions, openDatabase, type Database } from "../store/db.ts";
import { migrate } from "../store/migrate.ts";

const USAGE = `usage: notices --ec <EC fiscal code> --out <folder> [--from-file <list.txt>] [<iupd>...]`;
/** What the schema allows for an IUPD; it also keeps every file name inside the output folder. */
const IUPD = /^[A-Za-z0-9_.-]{1,70}$/;

export interface Failure {
  iupd: string;
  reason: string;
}

export interface WriteResult {
  written: string[];
  failed: Failure[];
}

/** Renders and writes each position's notices (one per debtor); a failure is recorded and the next position goes on. */
export async function writeNotices(opts: {
  documents: NoticeDocumentService;
  ec: string;
  iupds: readonly string[];
  outDir: string;
  onProgress?: (done: number, iupd: string) => void;
}): Promise<WriteResult> {
  const result: WriteResult = { written: [], failed: [] };
  await mkdir(opts.outDir, { recursive: true });
  for (const [i, iupd] of opts.iupds.entries()) {
    try {
      if (!IUPD.test(iupd)) throw new Error("is not a valid IUPD (1 to 70 letters, digits, '_', '.', '-')");
      for (const { name, pdf } of await opts.documents.forPositionPerDebtor(opts.ec, iupd)) {
        const file = join(opts.outDir, `${name}.pdf`);
        await writeFile(file, pdf);
        result.written.push(file);
      }
    } catch (error) {
      result.failed.push({ iupd, reason: isDomainError(error) ? error.detail : (error as Error).message });
    }
    opts.onProgress?.(i + 1, iupd);
  }
  return result;
}

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** An open, migrated database to use instead of the configured one (tests); left open. */
  database?: Database;
}

async function readList(file: string): Promise<string[]> {
  return (await readFile(file, "utf8"))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** Runs the command; resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const fail = (message: string) => (io.stderr.write(`${message}\n${USAGE}\n`), 2);
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { ec: { type: "string" }, out: { type: "string" }, "from-file": { type: "string", multiple: true }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
  if (args.values.help) return (io.stdout.write(`${USAGE}\n`), 0);
  const { ec, out } = args.values;
  if (!ec) return fail("--ec is required");
  if (!out) return fail("--out is required");

  let config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  if (!config.organizations.includes(ec)) return fail(`--ec ${ec} is not one of the ORGANIZATIONS this station serves (${config.organizations.join(", ")})`);

  let iupds: string[] = [...args.positionals];
  try {
    for (const file of args.values["from-file"] ?? []) iupds.push(...(await readList(file)));
  } catch (error) {
    return fail(`cannot read the list: ${(error as Error).message}`);
  }
  iupds = [...new Set(iupds)];
  if (iupds.length === 0) return fail("no positions given: name IUPDs or --from-file");

  const db = io.database ?? (await openDatabase(databaseOptions(config, 2)));
  try {
    if (!io.database) await migrate(db);
    const documents = createNoticeDocumentService({ db, cbill: config.organizationCbill });
    // Off a terminal (CI logs, pipes) the bar prints a line now and then instead of redrawing.
    const bar = new cliProgress.SingleBar(
      { stream: io.stderr, format: "Avvisi |{bar}| {value}/{total} {iupd}", noTTYOutput: true, notTTYSchedule: 1000, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(iupds.length, 0, { iupd: "" });
    const outDir = resolve(out);
    const { written, failed } = await writeNotices({ documents, ec, iupds, outDir, onProgress: (done, iupd) => bar.update(done, { iupd }) });
    bar.stop();
    for (const { iupd, reason } of failed) io.stderr.write(`${iupd}: ${reason}\n`);
    io.stdout.write(`${written.length} notice${written.length === 1 ? "" : "s"} written to ${outDir}${failed.length ? `, ${failed.length} failed` : ""}\n`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    if (!io.database) await db.close();
  }
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error("notices failed:", error);
      process.exitCode = 1;
    },
  );
}
