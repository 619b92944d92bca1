/**
 * Calls an EC's own pricing service (a catalogue service with an endpoint): POST endpoint + basePath
 * with {serviceId, organizationFiscalCode, properties: [{name, value}]}, answered {amount} in cents.
 * One attempt within a timeout, never retried; after a failure the endpoint is left alone for a
 * cool-down (demands fail fast meanwhile), so a struggling EC service is not hammered by retries.
 */
import { errors } from "../domain/errors.ts";
import { MAX_CENTS } from "../domain/money.ts";

export interface PricingRequest {
  url: string;
  serviceId: string;
  organizationFiscalCode: string;
  properties: ReadonlyMap<string, string>;
}

/** An answer larger than this is not a price. */
const MAX_ANSWER_BYTES = 4096;

async function readCapped(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new Error(`answered more than ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function amountOf(text: string): number {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new Error("answered something that is not JSON");
  }
  const amount = (answer as { amount?: unknown } | null)?.amount;
  if (!Number.isSafeInteger(amount) || (amount as number) < 1 || (amount as number) > MAX_CENTS) throw new Error("answered no amount in cents (an integer from 1)");
  return amount as number;
}

export function createPricingClient(deps: { timeoutMs: number; cooldownMs: number; now?: () => number }) {
  const now = deps.now ?? Date.now;
  /** Endpoint -> when it may be called again, after a failure. */
  const resting = new Map<string, number>();

  return async function price({ url, serviceId, organizationFiscalCode, properties }: PricingRequest): Promise<number> {
    const until = resting.get(url);
    if (until !== undefined && until > now()) throw errors.upstreamFailed(`The pricing service of service ${serviceId} failed recently; not called again before ${Math.ceil((until - now()) / 1000)} s`);
    resting.delete(url);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ serviceId, organizationFiscalCode, properties: [...properties].map(([name, value]) => ({ name, value })) }),
        signal: AbortSignal.timeout(deps.timeoutMs),
        redirect: "error",
      });
      const text = await readCapped(response);
      if (!response.ok) throw new Error(`answered HTTP ${response.status}`);
      return amountOf(text);
    } catch (error) {
      resting.set(url, now() + deps.cooldownMs);
      const reason = (error as Error).name === "TimeoutError" ? `did not answer within ${deps.timeoutMs} ms` : (error as Error).message;
      throw errors.upstreamFailed(`The pricing service of service ${serviceId} ${reason}`);
    }
  };
}

export type PricingClient = ReturnType<typeof createPricingClient>;
