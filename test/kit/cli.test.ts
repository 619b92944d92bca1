import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { expect } from "chai";
import { ADMIN_KEY, EC, EC_KEY, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makePosition, nextNotice } from "../support/factories.ts";
import { postSoap, receiptRequest } from "../support/soap.ts";
import { createPosition, KEY_HEADER } from "../support/rest.ts";
import { createStationClient, StationUnavailable, type StationClient } from "../../src/cli/client.ts";
import { csvLine, csvRecords } from "../../src/cli/csv.ts";
import { CSV_HEADER } from "../../src/cli/import.ts";
import { main } from "../../src/cli/main.ts";

/** Captures what a command writes. */
function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (chunks.push(String(chunk)), done()) });
  return Object.assign(stream, { text: () => chunks.join("") });
}

async function run(argv: string[], client?: StationClient) {
  const stdout = sink();
  const stderr = sink();
  const code = await main(argv, { env: {}, stdout, stderr, client });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

async function positionCount(): Promise<number> {
  const [row] = await (await testDatabase()).query<{ n: number }>("SELECT count(*)::int AS n FROM payment_position WHERE organization_fiscal_code = $1", [EC]);
  return row!.n;
}

describe("stazione CLI", () => {
  let t: TestApp;
  let server: Server;
  let url: string;
  let dir: string;
  beforeEach(async () => {
    t = await startApp();
    server = t.app.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = await mkdtemp(join(tmpdir(), "stazione-cli-"));
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  describe("csv", () => {
    it("reads quoted fields with commas, quotes and line breaks across chunks, and CRLF", async () => {
      async function* chunks() {
        yield 'a,"b,""c""';
        yield '\nd",e\r\n';
        yield "f,,g\n\n";
      }
      const records = [];
      for await (const r of csvRecords(chunks())) records.push(r);
      expect(records).to.deep.equal([
        { fields: ["a", 'b,"c"\nd', "e"], line: 1 },
        { fields: ["f", "", "g"], line: 3 },
      ]);
      expect(csvLine(["x", 'say "hi", ok', undefined])).to.equal('x,"say ""hi"", ok",\n');
    });
  });

  it("imports 10k CSV rows in bulk batches, names each failed row, and resumes after the station went away", async function () {
    this.timeout(600_000);
    const run1 = Date.now();
    const rows = Array.from({ length: 10_000 }, (_, i) => {
      const { iuv } = nextNotice();
      return {
        iupd: `CLI-${run1}-${i + 1}`, iuv, amount: "12.34", dueDate: "2099-12-31", description: i === 0 ? "Rata unica, anno 2026" : "Tassa rifiuti",
        debtorType: "F", debtorFiscalCode: "RSSMRA80A01H501U", debtorFullName: "Mario Rossi", iban: "IT60X0542811101000000123456", category: "0101100IM", remittanceInformation: "TARI 2026",
      };
    });
    rows[16]!.amount = "dodici"; // refused before sending
    rows[5002]!.iban = "NOT-AN-IBAN"; // refused by the station: its batch is retried row by row
    rows[9998]!.iupd = rows[0]!.iupd; // a duplicate IUPD: 409
    const file = join(dir, "positions.csv");
    await writeFile(file, csvLine(CSV_HEADER) + rows.map((r) => csvLine(CSV_HEADER.map((name) => r[name]))).join(""));

    // The first run loses the station after four batches.
    const real = createStationClient(url, EC_KEY);
    let bulkCalls = 0;
    const flaky: StationClient = {
      call(method, path, body) {
        if (path.startsWith("/v2/") && ++bulkCalls > 4) throw new StationUnavailable("cannot reach the station: ECONNREFUSED");
        return real.call(method, path, body);
      },
    };
    const first = await run(["import", "--url", url, "--key", EC_KEY, "--ec", EC, file], flaky);
    expect(first.code).to.equal(3);
    expect(first.stderr).to.contain("ECONNREFUSED");
    expect(await positionCount()).to.equal(4 * 500 - 1);

    const second = await run(["import", "--url", url, "--key", EC_KEY, "--ec", EC, file]);
    expect(second.code).to.equal(1);
    expect(second.stdout).to.contain("9997 created, 3 failed (4 batches done by an earlier run)");
    const failures = second.stdout.split("\n").filter((line) => line.startsWith("failed:"));
    expect(failures).to.have.length(3);
    expect(failures[0]).to.match(new RegExp(`^failed: line 18 iupd CLI-${run1}-17: amount "dodici"`));
    expect(failures[1]).to.match(new RegExp(`^failed: line 5004 iupd CLI-${run1}-5003: 400 .*iban`, "i"));
    expect(failures[2]).to.match(new RegExp(`^failed: line 10000 iupd CLI-${run1}-1: 409 `));
    expect(await positionCount()).to.equal(9997);
    const kept = await t.http.get(`/v1/organizations/${EC}/debtpositions/CLI-${run1}-1`).set(KEY_HEADER, EC_KEY);
    expect(kept.body.paymentOption[0]).to.include({ description: "Rata unica, anno 2026", amount: 1234 });

    // Run again: every batch is done, nothing is sent.
    const third = await run(["import", "--url", url, "--key", EC_KEY, "--ec", EC, file], { call: () => Promise.reject(new Error("nothing should be sent")) });
    expect(third.stdout).to.contain("9997 created, 3 failed (20 batches done by an earlier run)");
  });

  it("imports JSON lines of GPD bodies, naming a line that is not JSON", async () => {
    const file = join(dir, "positions.jsonl");
    const good = makePosition();
    await writeFile(file, `${JSON.stringify(good)}\n{not json\n`);
    const r = await run(["import", "--url", url, "--key", EC_KEY, "--ec", EC, file]);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.contain("1 created, 1 failed");
    expect(r.stdout).to.contain("failed: line 2 iupd (none): not a GPD position body");
  });

  it("exports the receipts of a date range as CSV", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const option = created.paymentOption[0];
    await postSoap(t, receiptRequest({ receiptId: "r-cli-1", nav: option.nav, iuv: option.iuv, amount: "100.00", v2: true }), "paSendRTV2");
    const out = join(dir, "receipts.csv");
    const r = await run(["export", "--url", url, "--key", ADMIN_KEY, "--ec", EC, "--from", "2026-11-20", "--to", "2026-11-20", "--out", out]);
    expect(r.code).to.equal(0);
    const lines = (await readFile(out, "utf8")).trim().split("\n");
    expect(lines[0]).to.equal("receiptId,noticeNumber,iuv,amount,paymentDateTime,receivedAt,pspCompanyName,payerFiscalCode,flags");
    expect(lines).to.have.length(2);
    expect(lines[1]).to.match(new RegExp(`^r-cli-1,${option.nav},${option.iuv},100\\.00,2026-11-20T`));
    const none = await run(["export", "--url", url, "--key", ADMIN_KEY, "--ec", EC, "--from", "2026-11-21", "--to", "2026-11-22"]);
    expect(none.stdout.trim().split("\n")).to.have.length(1);
  });

  it("refuses missing settings with usage and exit code 2", async () => {
    expect((await run(["import", "--ec", EC, "x.csv"])).code).to.equal(2);
    expect((await run(["frobnicate"])).code).to.equal(2);
    expect((await run(["import", "--url", url, "--key", EC_KEY, "--ec", EC, join(dir, "missing.csv")])).stderr).to.contain("cannot read");
    expect((await run(["export", "--url", url, "--key", ADMIN_KEY, "--ec", EC, "--from", "yesterday", "--to", "2026-11-22"])).stderr).to.contain("--from and --to");
  });
});
