/**
 * Every setting, read from the environment once and checked at start. This is the only reader of
 * process.env. README has the table; each line below says what raising or changing a value does.
 */
import { randomBytes } from "node:crypto";
import { configuredKeyDigest, keyProblem } from "./auth/keys.ts";
import { readNodeAccess, type NodeAccessConfig } from "./auth/settings.ts";
import type { AuxDigit, NoticeScheme } from "./domain/noticeNumber.ts";

export interface Config {
  port: number;
  host: string;
  /** Base URL printed at start and written into the served WSDL when set (behind a proxy). */
  publicUrl: string | undefined;
  /** PostgreSQL URL; undefined = embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Connections to PostgreSQL; more helps only while the database has idle cores. */
  dbPoolSize: number;
  /** How long a request waits for a connection before failing fast (the Node gives us 7 s). */
  dbConnectTimeoutMs: number;
  /** Upper bound of one statement; keeps a stuck database from holding requests past the Node's timeouts. */
  dbStatementTimeoutMs: number;
  /** HTTPS, and who may call the Node-facing surface (auth/settings.ts). */
  nodeAccess: NodeAccessConfig;
  /** EC fiscal codes served by this station. */
  organizations: readonly string[];
  /** REST keys per EC as [fiscal code, key] pairs; an EC may have several (rotation). Plain or sha256:<hex>. */
  organizationKeys: ReadonlyArray<readonly [string, string]>;
  /** CBILL code (5 alphanumeric characters) per EC, printed on its payment notices when set. */
  organizationCbill: ReadonlyMap<string, string>;
  /** Keys that reach every EC, all valid at once (rotation). Plain or sha256:<hex>. */
  adminKeys: readonly string[];
  /** True when the admin key was generated because ADMIN_API_KEY was unset. */
  adminKeyGenerated: boolean;
  brokerId: string;
  stationId: string;
  soapPath: string;
  /** Lifetime of the lock taken by paGetPayment: the Node's 30-minute token plus a margin. */
  lockTtlSeconds: number;
  noticeScheme: NoticeScheme;
  /** Largest request body accepted (413 beyond); receipts with 5 transfers and a stamp are ~10 KB. */
  bodyLimitBytes: number;
  logLevel: string;
  /** Named by GET /info (GPD's info.properties.environment), e.g. "uat" or "prod". */
  environment: string;
  /** Testers' scenarios (POST /v1/scenarios); off in production: when off, SOAP requests never look for one. */
  testScenarios: boolean;
  /** Keys that reach the scenarios only (besides the admin key). Plain or sha256:<hex>. */
  testerKeys: readonly string[];
  /** Exchange journal bounds per instance: more entries or bytes keep more history in memory; 0 entries turns it off. */
  journalEntries: number;
  journalBytes: number;
  /** Spontaneous payments: the same demand within this window answers the same open notice. */
  spontaneousRepeatSeconds: number;
  /** Spontaneous payments: how long an EC's pricing service may take, and how long it is left alone after failing. */
  pricingTimeoutMs: number;
  pricingCooldownMs: number;
  /**
   * Pause between lifecycle scheduler runs (PUBLISHED -> VALID, -> EXPIRED, expired locks released); 0 turns it
   * off in this instance. Shorter: stored statuses and their events follow time more closely, for one more
   * indexed query a run. Reads never depend on it: they judge validity and expiry by the clock themselves.
   */
  schedulerIntervalMs: number;
  /** Delivery of outbox events to the ECs' webhooks and to pagoPA's ACA (src/events). */
  delivery: DeliveryConfig;
}

export interface DeliveryConfig {
  /** How often each instance looks for events to deliver: lower delivers sooner and queries more often when idle. */
  intervalMs: number;
  /** Attempts of one event before it becomes a dead letter. */
  maxAttempts: number;
  /** The wait after the first failed attempt; each next wait doubles (±25% jitter). */
  firstRetryMs: number;
  /** The whole of one attempt (connect, send, answer); a delivery in flight is leased for twice this plus 5 s. */
  timeoutMs: number;
  /** Allow webhooks on private, loopback and link-local addresses (tests, local setups); off: SSRF guard. */
  allowPrivate: boolean;
  /** pagoPA's ACA paCreatePosition endpoint and its subscription key; unset: no push (the pull feed stays). */
  aca: { url: string; apiKey: string | undefined } | undefined;
  /** Keys that seal webhook secrets at rest, the first sealing (src/events/secretBox.ts); none: stored as given. */
  secretKeys: readonly string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const FISCAL_CODE = /^\d{11}$/;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const text = (name: string, fallback: string, pattern?: RegExp, hint?: string): string => {
    const value = env[name] === undefined || env[name] === "" ? fallback : env[name]!;
    if (pattern && !pattern.test(value)) problems.push(`${name} ${hint ?? `must match ${pattern}`}, got "${value}"`);
    return value;
  };

  const organizations = text("ORGANIZATIONS", "77777777777")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const ec of organizations) if (!FISCAL_CODE.test(ec)) problems.push(`ORGANIZATIONS must list 11-digit fiscal codes, got "${ec}"`);
  if (organizations.length === 0) problems.push("ORGANIZATIONS must list at least one EC fiscal code");

  /** "<fiscal code>:<value>,…" lists keyed by a served EC, in order (an EC may repeat). Values may be secrets: never echoed. */
  const perOrganization = (name: string, valueName: string, check: (value: string, ec: string) => string | undefined): Array<[string, string]> => {
    const values: Array<[string, string]> = [];
    for (const pair of (env[name] ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
      const at = pair.indexOf(":");
      const ec = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (at < 0 || !organizations.includes(ec)) {
        problems.push(`${name} entries must be <fiscal code in ORGANIZATIONS>:<${valueName}>, got an entry for "${at < 0 ? "?" : ec}"`);
        continue;
      }
      const problem = check(value, ec);
      if (problem) problems.push(`${name}: ${problem}`);
      else values.push([ec, value]);
    }
    return values;
  };
  const organizationKeys = perOrganization("ORGANIZATION_API_KEYS", "key", (key, ec) => {
    const problem = keyProblem(key);
    return problem && `the key of ${ec} ${problem}`;
  });
  const organizationCbill = new Map(
    [...perOrganization("ORGANIZATION_CBILL", "CBILL code", (code, ec) => (/^[A-Za-z0-9]{5}$/.test(code) ? undefined : `the CBILL code of ${ec} must be 5 letters or digits, got "${code}"`))].map(
      ([ec, code]) => [ec, code.toUpperCase()],
    ),
  );

  // Several comma-separated admin keys are valid at once, so a new one can be rolled out before the old one goes.
  const adminKeysGiven = env.ADMIN_API_KEY === undefined ? undefined : env.ADMIN_API_KEY.split(",").map((s) => s.trim()).filter(Boolean);
  for (const key of adminKeysGiven ?? []) {
    const problem = keyProblem(key);
    if (problem) problems.push(`ADMIN_API_KEY ${problem}`);
  }
  if (adminKeysGiven?.length === 0) problems.push("ADMIN_API_KEY must list at least one key");
  // A key shared by two principals would give one the other's access (the first match wins). Compared as
  // digests, so a key given in plain text to one and as a digest to the other is caught too.
  const keyOwners = new Map<string, string>((adminKeysGiven ?? []).filter((key) => !keyProblem(key)).map((key) => [configuredKeyDigest(key).toString("hex"), "the admin key"]));
  for (const [ec, key] of organizationKeys) {
    const digest = configuredKeyDigest(key).toString("hex");
    const owner = keyOwners.get(digest);
    if (owner && owner !== `the key of ${ec}`) problems.push(`ORGANIZATION_API_KEYS: the key of ${ec} is also ${owner}; every key must be different`);
    else keyOwners.set(digest, `the key of ${ec}`);
  }

  const auxDigit = text("AUX_DIGIT", "3", /^[0-3]$/, "must be 0, 1, 2 or 3") as AuxDigit;
  const applicationCode = env.APPLICATION_CODE || undefined;
  if (auxDigit === "0" && !/^\d{2}$/.test(applicationCode ?? "")) problems.push("APPLICATION_CODE (two digits) is required when AUX_DIGIT is 0");
  const segregationCodes = (env.SEGREGATION_CODES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  for (const code of segregationCodes) if (!/^\d{2}$/.test(code)) problems.push(`SEGREGATION_CODES must be two-digit codes, got "${code}"`);

  const checkDigit = text("IUV_CHECK_DIGIT", "on", /^(on|off)$/, "must be on or off") !== "off";

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push("DATABASE_URL must be a postgres:// URL");

  const config: Config = {
    port: int("PORT", 3000, 0, 65535),
    host: text("HOST", "0.0.0.0"),
    publicUrl: env.PUBLIC_URL ? text("PUBLIC_URL", "", /^https?:\/\/[^/]+(\/.*)?$/, "must be an http(s) URL").replace(/\/$/, "") : undefined,
    databaseUrl,
    dataDir: text("DATA_DIR", "./data"),
    dbPoolSize: int("DB_POOL_SIZE", 10, 1, 200),
    dbConnectTimeoutMs: int("DB_CONNECT_TIMEOUT_MS", 2000, 100, 60_000),
    dbStatementTimeoutMs: int("DB_STATEMENT_TIMEOUT_MS", 5000, 100, 600_000),
    nodeAccess: readNodeAccess(env, problems),
    organizations,
    organizationKeys,
    organizationCbill,
    adminKeys: adminKeysGiven ?? [randomBytes(24).toString("base64url")],
    adminKeyGenerated: adminKeysGiven === undefined,
    brokerId: text("BROKER_ID", "77777777777", /^.{1,35}$/, "must be 1 to 35 characters"),
    stationId: text("STATION_ID", "77777777777_01", /^.{1,35}$/, "must be 1 to 35 characters"),
    soapPath: text("SOAP_PATH", "/paForNode", /^\/[A-Za-z0-9/_.-]*$/, "must be a URL path starting with /"),
    lockTtlSeconds: int("LOCK_TTL_SECONDS", 2100, 1, 86_400),
    noticeScheme: { auxDigit, applicationCode, segregationCodes, checkDigit },
    bodyLimitBytes: int("BODY_LIMIT_BYTES", 1_048_576, 1024, 64 * 1_048_576),
    environment: text("ENVIRONMENT", "local", /^[A-Za-z0-9_.-]{1,35}$/, "must be 1 to 35 letters, digits, _ . -"),
    spontaneousRepeatSeconds: int("SPONTANEOUS_REPEAT_SECONDS", 900, 0, 30 * 86_400),
    pricingTimeoutMs: int("PRICING_TIMEOUT_MS", 3000, 100, 60_000),
    pricingCooldownMs: int("PRICING_COOLDOWN_MS", 10_000, 0, 3_600_000),
    schedulerIntervalMs: int("SCHEDULER_INTERVAL_MS", 10_000, 0, 86_400_000),
    logLevel: text("LOG_LEVEL", "info", new RegExp(`^(${LOG_LEVELS.join("|")})$`), `must be one of ${LOG_LEVELS.join(", ")}`),
    ...readKit(env, problems, int),
    delivery: readDelivery(env, problems, int),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The testers' kit settings (src/kit/). */
function readKit(env: Env, problems: string[], int: (name: string, fallback: number, min: number, max: number) => number) {
  const testScenarios = (env.TEST_SCENARIOS || "off") === "on";
  if (!/^(on|off)$/.test(env.TEST_SCENARIOS || "off")) problems.push(`TEST_SCENARIOS must be on or off, got "${env.TEST_SCENARIOS}"`);
  const testerKeys = (env.TESTER_API_KEY ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  for (const key of testerKeys) {
    const problem = keyProblem(key);
    if (problem) problems.push(`TESTER_API_KEY ${problem}`);
  }
  return { testScenarios, testerKeys, journalEntries: int("JOURNAL_ENTRIES", 1000, 0, 1_000_000), journalBytes: int("JOURNAL_BYTES", 16 * 1_048_576, 65_536, 1024 * 1_048_576) };
}

/** The event delivery settings (src/events/). */
function readDelivery(env: Env, problems: string[], int: (name: string, fallback: number, min: number, max: number) => number): DeliveryConfig {
  const allowPrivate = (env.WEBHOOK_ALLOW_PRIVATE || "off") === "on";
  if (!/^(on|off)$/.test(env.WEBHOOK_ALLOW_PRIVATE || "off")) problems.push(`WEBHOOK_ALLOW_PRIVATE must be on or off, got "${env.WEBHOOK_ALLOW_PRIVATE}"`);
  const acaUrl = env.ACA_URL || undefined;
  if (acaUrl !== undefined && !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(acaUrl)) problems.push("ACA_URL must be an http(s) URL");
  if (env.ACA_API_KEY && !acaUrl) problems.push("ACA_API_KEY is set but ACA_URL is not");
  const secretKeys = (env.WEBHOOK_SECRET_KEYS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (secretKeys.some((key) => key.length < 32)) problems.push("WEBHOOK_SECRET_KEYS must list keys of at least 32 characters (e.g. openssl rand -base64 32)");
  if (new Set(secretKeys).size < secretKeys.length) problems.push("WEBHOOK_SECRET_KEYS lists a key twice");
  return {
    intervalMs: int("DELIVERY_INTERVAL_MS", 1000, 10, 600_000),
    maxAttempts: int("WEBHOOK_MAX_ATTEMPTS", 10, 1, 100),
    firstRetryMs: int("WEBHOOK_FIRST_RETRY_MS", 2000, 1, 3_600_000),
    timeoutMs: int("WEBHOOK_TIMEOUT_MS", 10_000, 100, 120_000),
    allowPrivate,
    aca: acaUrl === undefined ? undefined : { url: acaUrl, apiKey: env.ACA_API_KEY || undefined },
    secretKeys,
  };
}
