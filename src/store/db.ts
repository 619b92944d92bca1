/**
 * The database handle. Store modules speak plain PostgreSQL with $n parameters through `Sql`, so
 * one dialect runs on both engines:
 *  - PostgreSQL: a `pg` Pool; every statement is named after its text, so each connection parses and
 *    plans it once (the texts come from a bounded set: store modules build them from fixed parts).
 *  - PGlite (embedded default): the PGlite instance itself. It has a single connection and
 *    serialises every query and transaction behind its own mutex.
 * Each engine's client is loaded only when that engine is opened, and Knex, which runs the migrations
 * (through knex-pglite on the embedded database), only when asked for: a start on a current schema
 * does without it.
 */
import { mkdirSync } from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import type { Knex } from "knex";
import type pg from "pg";
import type { Config } from "../config.ts";
import { lockDataDir } from "./dataDirLock.ts";

export interface Sql {
  /** Runs one statement with $n parameters. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Database extends Sql {
  readonly engine: "postgres" | "pglite";
  /** Knex on this database, for the migrations: created on the first call. */
  migrator(): Promise<Knex>;
  /** Runs fn in one transaction on one connection; fn must use the `tx` it is given. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Connections of the PostgreSQL pool (for metrics); undefined on the embedded database. */
  poolUse(): { total: number; idle: number; waiting: number } | undefined;
}

export interface DatabaseOptions {
  url: string | undefined;
  dataDir: string;
  poolSize: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

const INT8 = 20;
const DATE = 1082;
/** Amounts (≤ 99,999,999,999 cents) and counts fit a JS number exactly; dates stay "YYYY-MM-DD". */
const toNumber = (value: string) => Number(value);
const keepText = (value: string) => value;

/** A deadlock or a serialization failure: the whole transaction was rolled back and can run again. */
const isConflict = (error: unknown) => ["40P01", "40001"].includes((error as PgError)?.code ?? "");

const CONFLICT_ATTEMPTS = 5;

/**
 * Runs a statement or transaction again when PostgreSQL rolled it back for a conflict with another
 * one (row locks taken in opposite orders, a notice loaded while its receipt arrived), after a short
 * random pause so the two do not meet again. Only whole transactions are retried, never a statement
 * inside one. The last failure is thrown (isUnavailable: answered as "retry later").
 */
async function retryConflicts<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isConflict(error) || attempt >= CONFLICT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

async function openPostgres(options: DatabaseOptions & { url: string }): Promise<Database> {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: options.url,
    application_name: options.applicationName ?? "stazione",
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.statementTimeoutMs + 1000,
    keepAlive: true,
    // No JIT: it pays off only for long analytical queries, and the station runs short ones whose estimated cost
    // can still pass jit_above_cost (estimates without statistics grow with the tables), each then compiled anew
    // at every execution, tens of milliseconds for a query of one.
    options: "-c jit=off",
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8 ? toNumber : oid === DATE ? keepText : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server (restart, network) emits here; the pool replaces it.
  pool.on("error", () => undefined);
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (name === undefined) names.set(text, (name = `stazione_${names.size + 1}`));
    return name;
  };
  const run = async <R>(client: pg.Pool | pg.PoolClient, text: string, params: readonly unknown[] = []) =>
    (await client.query<R & pg.QueryResultRow>({ text, values: params as unknown[], name: nameOf(text) })).rows as R[];
  const migrator = once(async () => {
    const { default: knexFactory } = await import("knex");
    return knexFactory({ client: "pg", connection: options.url, pool: { min: 0, max: 1 } });
  });
  return {
    engine: "postgres",
    migrator: migrator.get,
    query: (text, params) => retryConflicts(() => run(pool, text, params)),
    transaction: (fn) => retryConflicts(async () => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({ query: (text, params) => run(client, text, params) });
        await client.query("COMMIT");
        client.release();
        return result;
      } catch (error) {
        // A failed ROLLBACK means the connection is broken: destroy it instead of reusing it.
        await client.query("ROLLBACK").then(() => client.release(), (e: Error) => client.release(e));
        throw error;
      }
    }),
    async ping() {
      await pool.query("SELECT 1");
    },
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await (await migrator.created())?.destroy();
      await pool.end();
    },
  };
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const inMemory = options.dataDir.startsWith("memory://");
  if (!inMemory) mkdirSync(options.dataDir, { recursive: true });
  const lock = inMemory ? undefined : lockDataDir(options.dataDir);
  const { PGlite } = await import("@electric-sql/pglite");
  const pglite = new PGlite({
    dataDir: options.dataDir,
    parsers: { [INT8]: toNumber, [DATE]: keepText },
    // PGlite clears its whole buffer pool at every start: at its default of 128 MB that was about
    // 0.4 s of a 2 s cold start, and 64 MB halves it. Pages outside the pool are read from the data
    // directory through the operating system's cache.
    startParams: [...PGlite.defaultStartParams, "-c", "shared_buffers=64MB"],
  });
  await pglite.waitReady.catch((error: unknown) => {
    lock?.release();
    throw error;
  });
  const migrator = once(async () => {
    const [{ default: knexFactory }, { default: ClientPGLite }] = await Promise.all([import("knex"), import("knex-pglite")]);
    return knexFactory({ client: ClientPGLite as unknown as typeof knexFactory.Client, connection: { pglite } as never });
  });
  const run = async <R>(q: Pick<PGlite, "query">, text: string, params: readonly unknown[] = []) =>
    (await q.query<R>(text, params as unknown[])).rows;
  return {
    engine: "pglite",
    migrator: migrator.get,
    query: (text, params) => run(pglite, text, params),
    transaction: (fn) => pglite.transaction((tx) => fn({ query: (text, params) => run(tx, text, params) })),
    async ping() {
      await pglite.query("SELECT 1");
    },
    poolUse: () => undefined,
    async close() {
      // Destroying knex-pglite closes its connection, which is the PGlite instance itself.
      await (await migrator.created())?.destroy();
      if (!pglite.closed) await pglite.close();
      lock?.release();
    },
  };
}

/** A value made by `make` on the first `get`; `created` gives it only if it was made. */
function once<T>(make: () => Promise<T>): { get: () => Promise<T>; created: () => Promise<T | undefined> } {
  let made: Promise<T> | undefined;
  return { get: () => (made ??= make()), created: async () => made };
}

/** The database settings of the configuration; a tool that needs fewer connections passes its own pool size. */
export function databaseOptions(config: Pick<Config, "databaseUrl" | "dataDir" | "dbPoolSize" | "dbConnectTimeoutMs" | "dbStatementTimeoutMs">, poolSize = config.dbPoolSize): DatabaseOptions {
  return { url: config.databaseUrl, dataDir: config.dataDir, poolSize, connectTimeoutMs: config.dbConnectTimeoutMs, statementTimeoutMs: config.dbStatementTimeoutMs };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres({ ...options, url: options.url }) : openPglite(options);
}

/** PostgreSQL error fields the store maps to domain errors. */
export interface PgError {
  code?: string;
  constraint?: string;
}

export const isUniqueViolation = (error: unknown): error is PgError => (error as PgError)?.code === "23505";

const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "57P01", "57P02", "57P03", "53300", "40P01", "40001", "55P03"]);

/**
 * True when the error says the database cannot serve the request now (connection refused, pool wait
 * timed out, server shutting down, statement cancelled by the timeout, a conflict that persisted
 * through its retries) rather than that the request was wrong: the client should retry later.
 */
export function isUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith("08") || code === "57014")) return true;
  return /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection is closed|PGlite is closed/i.test(message ?? "");
}
