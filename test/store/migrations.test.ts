/** Every migration's down undoes its up, step by step, on a database of its own. */
import { expect } from "chai";
import { migrationSource } from "../../migrations/index.ts";
import { openDatabase, type Database } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";
import { onPostgres, TEST_DATABASE_URL } from "../support/db.ts";

/** A schema of its own on PostgreSQL (the shared test schema stays as it is); a new in-memory PGlite otherwise. */
const SCHEMA = "stazione_migrations_test";

async function openScratch(): Promise<Database> {
  if (!onPostgres) return openDatabase({ url: undefined, dataDir: "memory://", poolSize: 1, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
  const admin = await openDatabase({ url: TEST_DATABASE_URL, dataDir: "", poolSize: 1, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  await admin.close();
  const url = new URL(TEST_DATABASE_URL!);
  url.searchParams.set("options", `-c search_path=${SCHEMA}`);
  return openDatabase({ url: url.toString(), dataDir: "", poolSize: 1, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
}

/** Tables, columns, constraints, indexes and storage settings of the current schema, in a stable order. */
async function catalogue(db: Database): Promise<string[]> {
  const rows = await db.query<{ line: string }>(
    `SELECT format('column %s.%s %s %s %s %s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), a.attcompression) AS line
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
     UNION ALL
     SELECT format('constraint %s.%s %s', c.relname, k.conname, pg_get_constraintdef(k.oid))
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = current_schema()::regnamespace
     UNION ALL
     SELECT format('index %s', pg_get_indexdef(i.indexrelid))
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = current_schema()::regnamespace
     UNION ALL
     SELECT format('table %s %s', c.relname, c.reloptions) FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
     ORDER BY 1`,
  );
  return rows.map((r) => r.line).filter((line) => !/\bknex_migrations/.test(line));
}

describe("migrations", function () {
  this.timeout(120_000);
  let db: Database;

  before(async () => {
    db = await openScratch();
  });
  after(async () => {
    await db.close();
  });

  it("each down restores the schema its up started from, and all of them an empty schema", async () => {
    const config = { migrationSource, tableName: "knex_migrations" };
    const names = await migrationSource.getMigrations([]);
    for (const name of names) {
      const before = await catalogue(db);
      await (await db.migrator()).migrate.up({ ...config, name });
      const after = await catalogue(db);
      await (await db.migrator()).migrate.down({ ...config, name });
      expect(await catalogue(db), `${name}: down undoes up`).to.deep.equal(before);
      await (await db.migrator()).migrate.up({ ...config, name });
      expect(await catalogue(db), `${name}: up again`).to.deep.equal(after);
    }
    expect((await catalogue(db)).some((line) => line.startsWith("table payment_position")), "the migrations ran").to.equal(true);

    await (await db.migrator()).migrate.rollback(config, true);
    expect(await catalogue(db), "every table a migration created is dropped").to.deep.equal([]);
    await migrate(db);
  });
});
