/** The repeatable step that applies src/store/sql: once per change, any signature, safe when raced. */
import { expect } from "chai";
import { openDatabase } from "../../src/store/db.ts";
import { applyFunctions, FUNCTION_NAMES, functionSources, type FunctionSource } from "../../src/store/functions.ts";
import { skipUnlessPostgres, TEST_DATABASE_URL, testDatabase } from "../support/db.ts";

const tracked = async () =>
  (await (await testDatabase()).query<{ name: string; sha256: string }>("SELECT name, sha256 FROM stazione_sql_function ORDER BY name"));

/** Signatures of the functions named name in the current schema. */
const overloads = async (name: string) =>
  (await (await testDatabase()).query<{ s: string }>(
    "SELECT p.oid::regprocedure::text AS s FROM pg_proc p WHERE p.proname = $1 AND p.pronamespace = current_schema()::regnamespace",
    [name],
  )).map((r) => r.s);

/** As if the database had never seen the step: no tracking table, no functions. */
async function forgetEverything(): Promise<void> {
  const db = await testDatabase();
  await db.query("DROP TABLE IF EXISTS stazione_sql_function");
  for (const name of [...FUNCTION_NAMES].reverse()) for (const s of await overloads(name)) await db.query(`DROP FUNCTION ${s}`);
}

describe("the SQL functions step", () => {
  afterEach(async () => {
    await applyFunctions(await testDatabase());
  });

  it("has one source file for every function it applies, in dependency order", () => {
    const sources = functionSources();
    expect(sources.map((s) => s.name)).to.deep.equal([...FUNCTION_NAMES]);
    for (const s of sources) expect(s.text, s.name).to.match(new RegExp(`^CREATE FUNCTION ${s.name}\\(`, "m"));
  });

  it("creates every function on a database that has none and records its hash", async () => {
    await forgetEverything();
    expect(await applyFunctions(await testDatabase())).to.deep.equal([...FUNCTION_NAMES]);
    expect((await tracked()).map((r) => r.name)).to.have.members([...FUNCTION_NAMES]);
    for (const name of FUNCTION_NAMES) expect(await overloads(name), name).to.have.length(1);
    const [row] = await (await testDatabase()).query<{ s: string }>("SELECT stazione_position_status('PUBLISHED', NULL, false, now(), now()) AS s");
    expect(row!.s).to.equal("VALID");
  });

  it("replaces the functions of a database migrated before the step existed (functions, no hashes)", async () => {
    const db = await testDatabase();
    await db.query("DROP TABLE stazione_sql_function");
    // the receipt function as the old migration created it: another signature
    await db.query(
      `CREATE FUNCTION stazione_record_receipt(p_ec text, p_receipt_id text, p_nav text, p_notice_ec text, p_version smallint, p_amount bigint,
         p_payment_date timestamptz, p_receipt jsonb, p_raw text, p_flags text[]) RETURNS jsonb LANGUAGE sql AS $fn$ SELECT '{}'::jsonb $fn$`,
    );
    expect(await overloads("stazione_record_receipt")).to.have.length(2);
    expect(await applyFunctions(db)).to.deep.equal([...FUNCTION_NAMES]);
    for (const name of FUNCTION_NAMES) expect(await overloads(name), name).to.have.length(1);
  });

  it("does nothing when no file changed", async () => {
    const db = await testDatabase();
    await applyFunctions(db);
    const before = await db.query("SELECT name, applied_at FROM stazione_sql_function ORDER BY name");
    expect(await applyFunctions(db)).to.deep.equal([]);
    expect(await db.query("SELECT name, applied_at FROM stazione_sql_function ORDER BY name")).to.deep.equal(before);
  });

  it("re-creates a changed function and every one after it, and nothing before it", async () => {
    const db = await testDatabase();
    const sources = functionSources().map((s) =>
      s.name === "stazione_notice_state" ? { ...s, text: s.text.replace("'CANCELLED'", "'CANCELLED_CHANGED'") } : s,
    );
    const fromNoticeState = FUNCTION_NAMES.slice(FUNCTION_NAMES.indexOf("stazione_notice_state"));
    expect(await applyFunctions(db, sources)).to.deep.equal(fromNoticeState);
    const [row] = await db.query<{ s: string }>("SELECT stazione_notice_state('INVALID', false, 'PO_UNPAID', now(), NULL, NULL, now()) AS s");
    expect(row!.s).to.equal("CANCELLED_CHANGED");
    expect(await applyFunctions(db, sources)).to.deep.equal([]);
    // back to the files: applied again
    expect(await applyFunctions(db)).to.deep.equal(fromNoticeState);
  });

  it("replaces a function whose signature and return type changed, and drops one whose file is gone", async () => {
    const db = await testDatabase();
    const scratch = (text: string): FunctionSource[] => [...functionSources(), { name: "stazione_scratch", text }];
    await applyFunctions(db, scratch("CREATE FUNCTION stazione_scratch(p integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $fn$ SELECT p + 1 $fn$"));
    expect(await overloads("stazione_scratch")).to.deep.equal(["stazione_scratch(integer)"]);
    expect(await applyFunctions(db, scratch("CREATE FUNCTION stazione_scratch(p text, q text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$ SELECT p || q $fn$"))).to.deep.equal(["stazione_scratch"]);
    expect(await overloads("stazione_scratch")).to.deep.equal(["stazione_scratch(text,text)"]);
    const [row] = await db.query<{ s: string }>("SELECT stazione_scratch('a', 'b') AS s");
    expect(row!.s).to.equal("ab");
    expect(await applyFunctions(db)).to.deep.equal([]);
    expect(await overloads("stazione_scratch")).to.deep.equal([]);
    expect((await tracked()).map((r) => r.name)).to.not.include("stazione_scratch");
  });

  it("applies each change once when two instances start together (PostgreSQL)", async function () {
    skipUnlessPostgres(this, "PGlite has one in-process connection");
    await forgetEverything();
    const open = () => openDatabase({ url: TEST_DATABASE_URL, dataDir: "", poolSize: 2, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
    const [a, b] = await Promise.all([open(), open()]);
    try {
      const [x, y] = await Promise.all([applyFunctions(a), applyFunctions(b)]);
      expect([x, y].map((names) => names.length).sort()).to.deep.equal([0, FUNCTION_NAMES.length]);
      for (const name of FUNCTION_NAMES) expect(await overloads(name), name).to.have.length(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
