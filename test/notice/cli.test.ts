import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { main } from "../../src/cli/notices.ts";
import { formatNoticeCode } from "../../src/domain/noticeNumber.ts";
import { createPositionService } from "../../src/services/positions.ts";
import { openDatabase } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";
import { EC, OTHER_EC } from "../support/app.ts";
import { onPostgres, resetDatabase, TEST_DATABASE_URL, testDatabase } from "../support/db.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { CO_OBLIGOR, DEBTOR, makeOptionV3, makePositionV3 } from "../support/factoriesV3.ts";
import { pdfText } from "./support.ts";

const ENV = { ORGANIZATIONS: `${EC},${OTHER_EC}`, ORGANIZATION_CBILL: `${EC}:AB12C`, LOG_LEVEL: "silent" };
const scheme = { auxDigit: "3" as const, segregationCodes: [] };

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

async function run(argv: string[], env: Record<string, string> = ENV) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { env, stdout, stderr, database: await testDatabase() });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe("notices CLI (npm run notices)", () => {
  let out: string;
  let positions: ReturnType<typeof createPositionService>;

  beforeEach(async () => {
    await resetDatabase();
    positions = createPositionService({ db: await testDatabase(), scheme });
    out = await mkdtemp(join(tmpdir(), "notices-cli-"));
  });
  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it("writes <iupd>.pdf for each position, reports the ones it cannot print and goes on", async () => {
    const single = await positions.create(EC, makePosition(), true);
    const plan = await positions.create(EC, makePlan(30000, 3), true);
    const draft = await positions.create(EC, makePosition(), false);

    const { code, stdout, stderr } = await run(["--ec", EC, "--out", out, single.iupd, "UNKNOWN-1", draft.iupd, plan.iupd]);

    expect(code).to.equal(1);
    expect((await readdir(out)).sort()).to.deep.equal([`${plan.iupd}.pdf`, `${single.iupd}.pdf`].sort());
    const planText = await pdfText(await readFile(join(out, `${plan.iupd}.pdf`)));
    for (const option of plan.options) expect(planText).to.include(formatNoticeCode(option.nav));
    expect(planText).to.include("Codice CBILL AB12C");
    expect(await pdfText(await readFile(join(out, `${single.iupd}.pdf`)))).to.include(formatNoticeCode(single.options[0]!.nav));
    expect(stderr).to.include("4/4");
    expect(stderr).to.include(`UNKNOWN-1: No debt position UNKNOWN-1 for organization ${EC}`);
    expect(stderr).to.include(`${draft.iupd}: Debt position ${draft.iupd} is DRAFT`);
    expect(stdout).to.include(`2 notices written to ${out}, 2 failed`);
  });

  it("writes one <iupd>-<fiscal code>.pdf per debtor of a position with co-obligors, each with only their options", async () => {
    const input = makePositionV3([1], { paymentOption: [makeOptionV3(30000, 1, { debtor: DEBTOR }), makeOptionV3(30000, 3, { debtor: CO_OBLIGOR })] });
    const position = await positions.createV3(EC, input, true);
    const single = await positions.create(EC, makePosition(), true);

    const { code, stdout } = await run(["--ec", EC, "--out", out, position.iupd, single.iupd]);

    expect(code).to.equal(0);
    const files = [`${position.iupd}-${DEBTOR.fiscalCode}.pdf`, `${position.iupd}-${CO_OBLIGOR.fiscalCode}.pdf`];
    expect((await readdir(out)).sort()).to.deep.equal([...files, `${single.iupd}.pdf`].sort());
    expect(stdout).to.include(`3 notices written to ${out}`);
    const navs = (plan: number) => position.options.filter((o) => o.plan === plan).map((o) => formatNoticeCode(o.nav));
    for (const [k, debtor] of [DEBTOR, CO_OBLIGOR].entries()) {
      const text = await pdfText(await readFile(join(out, files[k]!)));
      expect(text).to.include(`DESTINATARIO AVVISO Cod. Fiscale ${debtor.fiscalCode} ${debtor.fullName}`);
      for (const nav of navs(k)) expect(text).to.include(nav);
      for (const nav of navs(1 - k)) expect(text).not.to.include(nav);
    }
  });

  it("reads the positions from a list file, skipping blank lines and # comments", async () => {
    const a = await positions.create(EC, makePosition(), true);
    const b = await positions.create(EC, makePosition(), true);
    const list = join(out, "list.txt");
    await writeFile(list, `# TARI 2026\n${a.iupd}\n\n  ${b.iupd}  \r\n${a.iupd}\n`);

    const { code, stdout } = await run(["--ec", EC, "--out", join(out, "pdf"), "--from-file", list]);

    expect(code).to.equal(0);
    expect((await readdir(join(out, "pdf"))).sort()).to.deep.equal([`${a.iupd}.pdf`, `${b.iupd}.pdf`].sort());
    expect(stdout).to.include("2 notices written");
  });

  it("refuses a name that is not an IUPD without writing outside the folder", async () => {
    const { code, stderr } = await run(["--ec", EC, "--out", out, "../escape"]);
    expect(code).to.equal(1);
    expect(stderr).to.include("../escape: is not a valid IUPD");
    expect(await readdir(out)).to.deep.equal([]);
  });

  for (const [name, argv, message] of [
    ["--ec is missing", ["--out", "x", "IUPD-1"], "--ec is required"],
    ["--out is missing", ["--ec", EC, "IUPD-1"], "--out is required"],
    ["the EC is not served here", ["--ec", "12345678901", "--out", "x", "IUPD-1"], "is not one of the ORGANIZATIONS"],
    ["no position is named", ["--ec", EC, "--out", "x"], "no positions given"],
    ["an option is unknown", ["--ec", EC, "--out", "x", "--bogus"], "Unknown option '--bogus'"],
    ["the list file is missing", ["--ec", EC, "--out", "x", "--from-file", "/nonexistent/list.txt"], "cannot read the list"],
  ] as const) {
    it(`exits with 2 and the usage when ${name}`, async () => {
      const { code, stderr } = await run([...argv]);
      expect(code).to.equal(2);
      expect(stderr).to.include(message).and.include("usage: notices");
    });
  }

  it("exits with 2 on a bad configuration, naming the setting", async () => {
    const { code, stderr } = await run(["--ec", EC, "--out", out, "IUPD-1"], { ...ENV, ORGANIZATION_CBILL: `${EC}:TOO-LONG` });
    expect(code).to.equal(2);
    expect(stderr).to.include("ORGANIZATION_CBILL");
  });

  it("runs as a command on the configured database", async function () {
    this.timeout(120_000);
    let env: Record<string, string>;
    let iupd: string;
    if (onPostgres) {
      iupd = (await positions.create(EC, makePosition(), true)).iupd;
      env = { ...ENV, DATABASE_URL: TEST_DATABASE_URL! };
    } else {
      // PGlite is single-process: seed a data directory of its own, close it, then let the command open it.
      const dataDir = join(out, "data");
      const db = await openDatabase({ url: undefined, dataDir, poolSize: 1, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
      try {
        await migrate(db);
        iupd = (await createPositionService({ db, scheme }).create(EC, makePosition(), true)).iupd;
      } finally {
        await db.close();
      }
      env = { ...ENV, DATA_DIR: dataDir };
    }
    const pdfDir = join(out, "pdf");
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/notices.ts", "--ec", EC, "--out", pdfDir, iupd], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, output).to.equal(0);
    expect(output).to.include("1 notice written");
    expect((await readFile(join(pdfDir, `${iupd}.pdf`))).subarray(0, 5).toString()).to.equal("%PDF-");
  });
});
