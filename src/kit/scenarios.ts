/**
 * Scenarios for integration testers: a behaviour (a PAA fault, a delay, a closed connection, a SOAP
 * Fault) attached to a notice number or a glob of notice numbers, for a limited time. They live in the
 * database so every instance behind a load balancer plays the same one. Patterns are globs of digits,
 * `*` and `?` (never a user-supplied regex): matching walks the pattern and the notice number once,
 * with at most one backtrack point, so its cost is bounded by their lengths.
 */
import { ErrorCode, errors } from "../domain/errors.ts";
import { paaFault, type PaaFault } from "../soap/faults.ts";
import type { Operation } from "../soap/messages.ts";
import type { Sql } from "../store/db.ts";

/** Above the Node's 15 s receipt timeout, below a container's usual 30 s stop timeout. */
export const MAX_DELAY_MS = 20_000;
export const MAX_TTL_SECONDS = 7 * 86_400;
const DEFAULT_TTL_SECONDS = 3600;

/** Every paForNode fault the station can answer, by code. */
export const PAA_FAULTS: ReadonlyMap<string, PaaFault> = new Map(Object.values(ErrorCode).map((code) => [paaFault(code).faultCode, paaFault(code)]));

export type Behaviour =
  | { behaviour: "fault"; faultCode: string }
  | { behaviour: "delay"; delayMs: number }
  | { behaviour: "close" }
  | { behaviour: "soapFault" };

export interface Scenario {
  id: number;
  /** An 18-digit notice number, or a glob: `302*` (a prefix), `3020?1*`. */
  pattern: string;
  /** Only this operation; every operation when absent. */
  operation?: Operation;
  behaviour: Behaviour;
  expiresAt: string;
}

export type ScenarioInput = Omit<Scenario, "id" | "expiresAt"> & { ttlSeconds: number };

/**
 * The pagopa-mock-ec edge cases testers already know, by the same notice prefixes: 30297… station not
 * reachable, 30298… station timeout, 30299… payment expired. (Its other prefixes choose a tribute's
 * shape, which here comes from the positions you create.)
 */
export const PRESETS: Readonly<Record<string, Omit<ScenarioInput, "ttlSeconds">>> = {
  "mock-ec-unreachable": { pattern: "30297*", behaviour: { behaviour: "close" } },
  "mock-ec-timeout": { pattern: "30298*", behaviour: { behaviour: "delay", delayMs: 16_000 } },
  "mock-ec-expired": { pattern: "30299*", behaviour: { behaviour: "fault", faultCode: "PAA_PAGAMENTO_SCADUTO" } },
};

/** Glob match of `*` (any run) and `?` (one character): greedy with one backtrack point, no recursion. */
export function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

/** A scenario request as the schema (scenario-create) admits it: each field checked, not yet how they combine. */
export interface ScenarioRequest {
  preset?: string;
  noticeNumber?: string;
  pattern?: string;
  operation?: string;
  behaviour?: Behaviour["behaviour"];
  faultCode?: string;
  delayMs?: number;
  ttlSeconds?: number;
}

const bad = (field: string, detail: string) => errors.badRequest(field, detail);

/** The scenario a request asks for, or a 400 naming the field a combination misses or has too many of. */
export function scenarioInputOf(request: ScenarioRequest): ScenarioInput {
  const { preset, noticeNumber, pattern, operation, behaviour, faultCode, delayMs, ttlSeconds = DEFAULT_TTL_SECONDS } = request;
  if (preset !== undefined) {
    const extra = Object.keys(request).find((field) => field !== "preset" && field !== "ttlSeconds");
    if (extra) throw bad(extra, "is not taken with a preset");
    return { ...PRESETS[preset]!, ttlSeconds };
  }
  if (noticeNumber !== undefined && pattern !== undefined) throw bad("pattern", "and noticeNumber exclude each other");
  const target = noticeNumber ?? pattern;
  if (target === undefined) throw bad("pattern", "is required (or noticeNumber, or a preset)");
  return { pattern: target, ...(operation === undefined ? {} : { operation: operation as Operation }), behaviour: behaviourOf(behaviour, faultCode, delayMs), ttlSeconds };
}

function behaviourOf(behaviour: ScenarioRequest["behaviour"], faultCode: string | undefined, delayMs: number | undefined): Behaviour {
  if (behaviour !== "fault" && faultCode !== undefined) throw bad("faultCode", "is only taken with behaviour fault");
  if (behaviour !== "delay" && delayMs !== undefined) throw bad("delayMs", "is only taken with behaviour delay");
  switch (behaviour) {
    case "fault":
      if (faultCode === undefined) throw bad("faultCode", "is required with behaviour fault");
      return { behaviour, faultCode };
    case "delay":
      if (delayMs === undefined) throw bad("delayMs", "is required with behaviour delay");
      return { behaviour, delayMs };
    case "close":
    case "soapFault":
      return { behaviour };
    case undefined:
      throw bad("behaviour", "is required: fault, delay, close or soapFault");
  }
}

interface ScenarioRow {
  id: number;
  pattern: string;
  operation: string | null;
  behaviour: Behaviour | string;
  expires_at: Date | string;
}

const rowToScenario = (row: ScenarioRow): Scenario => ({
  id: Number(row.id),
  pattern: row.pattern,
  ...(row.operation ? { operation: row.operation as Operation } : {}),
  behaviour: typeof row.behaviour === "string" ? (JSON.parse(row.behaviour) as Behaviour) : row.behaviour,
  expiresAt: new Date(row.expires_at).toISOString(),
});

const LIVE = "SELECT id, pattern, operation, behaviour, expires_at FROM test_scenario WHERE expires_at > now() ORDER BY id DESC";

export function createScenarioStore(db: Sql) {
  return {
    async add(input: ScenarioInput): Promise<Scenario> {
      await db.query("DELETE FROM test_scenario WHERE expires_at <= now()");
      const [row] = await db.query<ScenarioRow>(
        "INSERT INTO test_scenario (pattern, operation, behaviour, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING id, pattern, operation, behaviour, expires_at",
        [input.pattern, input.operation ?? null, JSON.stringify(input.behaviour), input.ttlSeconds],
      );
      return rowToScenario(row!);
    },
    async list(): Promise<Scenario[]> {
      return (await db.query<ScenarioRow>(LIVE)).map(rowToScenario);
    },
    /** True when a scenario was removed. */
    async remove(id: number): Promise<boolean> {
      return (await db.query("DELETE FROM test_scenario WHERE id = $1 RETURNING id", [id])).length > 0;
    },
    /** The newest live scenario for a request, if any. */
    async behaviourFor(operation: Operation, noticeNumber: string | undefined): Promise<(Behaviour & { scenarioId: number }) | undefined> {
      if (noticeNumber === undefined) return undefined;
      for (const scenario of await this.list()) {
        if (scenario.operation && scenario.operation !== operation) continue;
        if (globMatches(scenario.pattern, noticeNumber)) return { ...scenario.behaviour, scenarioId: scenario.id };
      }
      return undefined;
    },
  };
}

export type ScenarioStore = ReturnType<typeof createScenarioStore>;
