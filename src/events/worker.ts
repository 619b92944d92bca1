/**
 * The delivery worker: on a timer (never on a request's path), routes new outbox events, claims due
 * deliveries and makes each attempt, then records its outcome. Any number of instances may run: claims
 * skip rows another holds and lease the rest, so no HTTP call is made inside a transaction and an
 * instance killed mid-attempt only delays that delivery until its lease ends.
 */
import type { Logger } from "pino";
import type { DeliveryConfig } from "../config.ts";
import { claimDeliveries, Destination, recordDelivered, recordFailure, routeEvents, type ClaimedDelivery } from "../store/deliveries.ts";
import type { Database } from "../store/db.ts";
import { getWebhook } from "../store/webhooks.ts";
import { repeating } from "../jobs/repeating.ts";
import { acaRequests } from "./aca.ts";
import { postJson } from "./http.ts";
import { createSecretBox } from "./secretBox.ts";
import { currentPosition, idempotencyKey, signature, webhookBody } from "./webhookBody.ts";

export type AttemptOutcome = "delivered" | "retry" | "dead";

/** Deliveries claimed (and attempted in parallel) per round; a full round starts the next at once. */
const BATCH = 16;
/** Events routed per round. */
const ROUTE_BATCH = 500;
/** The longest wait between two attempts, however many came before. */
const MAX_RETRY_MS = 3_600_000;

/** The wait after failed attempt `attempt` (from 1): firstRetryMs doubling each time, ±25% jitter so receivers are not hit in waves. */
export function retryDelay(attempt: number, firstRetryMs: number, random: () => number = Math.random): number {
  return Math.min(firstRetryMs * 2 ** (attempt - 1), MAX_RETRY_MS) * (0.75 + 0.5 * random());
}

const isSuccess = (status: number) => status >= 200 && status < 300;

export function createDeliveryWorker(deps: {
  db: Database;
  log: Logger;
  settings: DeliveryConfig;
  onAttempt?: (destination: Destination, organizationFiscalCode: string, outcome: AttemptOutcome) => void;
}) {
  const { db, log, settings } = deps;
  const secrets = createSecretBox(settings.secretKeys);
  // long enough for the body's reads and every call of one attempt; a crashed attempt is retried after it
  const leaseMs = 2 * settings.timeoutMs + 5000;
  const post = (url: string, body: string, headers: Record<string, string>, timeoutMs = settings.timeoutMs) =>
    postJson(url, body, headers, { timeoutMs, allowPrivate: settings.allowPrivate });

  /** Throws when the attempt failed, with what to record. */
  async function toWebhook(delivery: ClaimedDelivery): Promise<void> {
    const webhook = await getWebhook(db, delivery.organizationFiscalCode);
    if (!webhook) throw new Error("no webhook is configured for the organization");
    const body = JSON.stringify(await webhookBody(db, delivery));
    const { status } = await post(webhook.url, body, {
      "x-stazione-signature": signature(body, secrets.open(delivery.organizationFiscalCode, webhook.secret)),
      "idempotency-key": idempotencyKey(delivery.eventId),
      "x-stazione-event": delivery.type,
    });
    if (!isSuccess(status)) throw new Error(`HTTP ${status}`);
  }

  async function toAca(delivery: ClaimedDelivery, aca: NonNullable<DeliveryConfig["aca"]>): Promise<void> {
    const deadline = Date.now() + settings.timeoutMs;
    for (const request of acaRequests(delivery, await currentPosition(db, delivery))) {
      const { status } = await post(aca.url, JSON.stringify(request), {
        ...(aca.apiKey ? { "ocp-apim-subscription-key": aca.apiKey } : {}),
        "idempotency-key": idempotencyKey(delivery.eventId, request.iuv),
      }, Math.max(1, deadline - Date.now()));
      if (!isSuccess(status)) throw new Error(`HTTP ${status} for IUV ${request.iuv}`);
    }
  }

  async function attempt(delivery: ClaimedDelivery): Promise<void> {
    let outcome: AttemptOutcome = "delivered";
    try {
      if (delivery.destination === Destination.WEBHOOK) await toWebhook(delivery);
      else if (settings.aca) await toAca(delivery, settings.aca);
      else throw new Error("ACA_URL is not configured");
      await recordDelivered(db, delivery.id);
    } catch (error) {
      const reason = (error as Error).message || String(error);
      const retryAt = delivery.attempt >= settings.maxAttempts ? undefined : new Date(Date.now() + retryDelay(delivery.attempt, settings.firstRetryMs));
      outcome = retryAt ? "retry" : "dead";
      log.warn({ eventId: delivery.eventId, destination: delivery.destination, attempt: delivery.attempt, reason, deadLetter: !retryAt }, "event delivery failed");
      // if this write fails too, the lease ends and the attempt is made again
      await recordFailure(db, delivery.id, delivery.attempt, reason, retryAt).catch((e: unknown) => log.error({ err: e }, "recording a delivery failure"));
    }
    deps.onAttempt?.(delivery.destination, delivery.organizationFiscalCode, outcome);
  }

  /** One round: route what is new, then attempt what is due. Resolves with the number of attempts made. */
  async function runOnce(): Promise<number> {
    await routeEvents(db, { acaPush: settings.aca !== undefined, batch: ROUTE_BATCH });
    const claimed = await claimDeliveries(db, BATCH, leaseMs);
    await Promise.all(claimed.map(attempt));
    return claimed.length;
  }

  const job = repeating(runOnce, {
    intervalMs: settings.intervalMs,
    // a full batch: more is probably due
    again: (attempts) => attempts === BATCH,
    onError: (error) => log.error({ err: error }, "event delivery round failed"),
  });

  return {
    runOnce,
    start: job.start,
    /** Stops the timer and waits for the round in flight, so its attempts are recorded. */
    stop: job.stop,
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
