/** The station's REST API as the CLI calls it: a base URL and an API key, JSON in and out. */

export interface StationClient {
  /** Resolves with the status and the parsed JSON body (undefined when there is none). */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

/** Thrown when the station cannot be reached or answers 5xx: the command stops (and can resume). */
export class StationUnavailable extends Error {}

export function createStationClient(baseUrl: string, apiKey: string): StationClient {
  const base = baseUrl.replace(/\/$/, "");
  return {
    async call(method, path, body) {
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: { "ocp-apim-subscription-key": apiKey, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new StationUnavailable(`cannot reach ${base}: ${(error as Error).cause ?? (error as Error).message}`);
      }
      const text = await res.text();
      if (res.status >= 500) throw new StationUnavailable(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return { status: res.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
    },
  };
}

/** The reason a REST problem gives ("409 A position with IUPD … exists"). */
export function problemReason(status: number, body: unknown): string {
  const problem = (body ?? {}) as { detail?: unknown; title?: unknown };
  return `${status} ${String(problem.detail ?? problem.title ?? "")}`.trim();
}
