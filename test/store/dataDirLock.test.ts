/**
 * One station per embedded data directory: a second one is refused, and a lock left by a process that is
 * gone is taken over.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { LOCK_FILE, lockDataDir } from "../../src/store/dataDirLock.ts";
import { openDatabase } from "../../src/store/db.ts";

describe("the embedded data directory's lock", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "stazione-lock-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a second holder while the first one runs, and lets the next one in once it is released", () => {
    const first = lockDataDir(dir);
    expect(readFileSync(path.join(dir, LOCK_FILE), "utf8").trim()).to.equal(String(process.pid));
    expect(() => lockDataDir(dir)).to.throw(/in use by process \d+/);
    first.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).to.equal(false);
    lockDataDir(dir).release();
  });

  it("takes over a lock left by a process that is gone", () => {
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    writeFileSync(path.join(dir, LOCK_FILE), `${gone}\n`);
    const lock = lockDataDir(dir);
    expect(readFileSync(path.join(dir, LOCK_FILE), "utf8").trim()).to.equal(String(process.pid));
    lock.release();
  });

  it("keeps a second station off a PGlite directory in use, and frees it when the first closes", async function () {
    this.timeout(60_000);
    const options = { url: undefined, dataDir: dir, poolSize: 1, connectTimeoutMs: 5000, statementTimeoutMs: 10_000 };
    const db = await openDatabase(options);
    try {
      await openDatabase(options).then(
        () => expect.fail("a second station opened the same directory"),
        (error: Error) => expect(error.message).to.match(/in use by process/),
      );
    } finally {
      await db.close();
    }
    const again = await openDatabase(options);
    await again.close();
  });
});
