/**
 * For the delivery tests: a local webhook receiver that can fail the first attempts of each event or
 * hold requests open, events written through stazione_emit_event, and a worker on the test database.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createDeliveryWorker, type DeliveryWorker } from "../../src/events/worker.ts";
import type { Database } from "../../src/store/db.ts";
import { EC, testConfig } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { seed } from "../store/seed.ts";

export interface Received {
  headers: IncomingMessage["headers"];
  raw: string;
  body: Record<string, unknown>;
  /** What the receiver answered. */
  status: number;
}

export interface Receiver {
  url: string;
  /** Every request, in arrival order. */
  requests: Received[];
  /** Requests answered 2xx. */
  accepted(): Received[];
  /** Answers every request from now on with this status (default: 200 after the failures asked at start). */
  answerAlways(status: number | undefined): void;
  /** Calls back on each request before answering; the request is held until the returned promise settles. */
  onRequest(hook: ((received: Received) => Promise<void>) | undefined): void;
  close(): Promise<void>;
}

/** A receiver on 127.0.0.1 that answers 500 to the first `failFirst` attempts of each event (by Idempotency-Key), then 200. */
export async function startReceiver(failFirst = 0): Promise<Receiver> {
  const requests: Received[] = [];
  const attemptsByKey = new Map<string, number>();
  let always: number | undefined;
  let hook: ((received: Received) => Promise<void>) | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const key = String(req.headers["idempotency-key"]);
      const attempt = (attemptsByKey.get(key) ?? 0) + 1;
      attemptsByKey.set(key, attempt);
      const status = always ?? (attempt <= failFirst ? 500 : 200);
      const received: Received = { headers: req.headers, raw, body: JSON.parse(raw) as Record<string, unknown>, status };
      requests.push(received);
      if (hook) await hook(received).catch(() => undefined);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    requests,
    accepted: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    answerAlways: (status) => void (always = status),
    onRequest: (h) => void (hook = h),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Delivery settings for tests: fast retries, private targets allowed. */
export function deliveryEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return { WEBHOOK_ALLOW_PRIVATE: "on", WEBHOOK_FIRST_RETRY_MS: "1", WEBHOOK_TIMEOUT_MS: "2000", DELIVERY_INTERVAL_MS: "20", ...overrides };
}

export function testWorker(db: Database, env: Record<string, string> = {}): DeliveryWorker {
  return createDeliveryWorker({ db, log: pino({ level: "silent" }), settings: testConfig(deliveryEnv(env)).delivery });
}

/** Runs rounds until nothing is pending (or throws after `timeoutMs`). */
export async function deliverAll(worker: DeliveryWorker, timeoutMs = 20_000): Promise<void> {
  const db = await testDatabase();
  const until = Date.now() + timeoutMs;
  for (;;) {
    await worker.runOnce();
    const [row] = await db.query<{ waiting: number }>(
      "SELECT ((SELECT count(*) FROM outbox WHERE routed_at IS NULL) + (SELECT count(*) FROM delivery WHERE state = 'PENDING'))::int AS waiting",
    );
    if (row!.waiting === 0) return;
    if (Date.now() > until) throw new Error(`${row!.waiting} deliveries still waiting after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const WEBHOOK_SECRET = "a-secret-of-the-ec-0001";

export async function setWebhook(url: string, secret = WEBHOOK_SECRET, ec = EC): Promise<void> {
  const db = await testDatabase();
  await db.query("INSERT INTO webhook (organization_fiscal_code, url, secret) VALUES ($1, $2, $3) ON CONFLICT (organization_fiscal_code) DO UPDATE SET url = $2, secret = $3", [ec, url, secret]);
}

/** A valid position and its id. */
export async function seedPosition(): Promise<{ positionId: number; iupd: string; nav: string }> {
  const seeded = await seed("valid", makePosition());
  return { positionId: seeded.positionId, iupd: seeded.iupd, nav: seeded.options[0]!.nav };
}

/** Writes one event as a state change would; returns its id. */
export async function emit(positionId: number | null, type: string, payload: Record<string, unknown> = {}, ec = EC): Promise<number> {
  const db = await testDatabase();
  const [row] = await db.query<{ id: number }>("SELECT stazione_emit_event($1, $2, $3, 'position', 'x', $4::jsonb) AS id", [ec, positionId, type, JSON.stringify(payload)]);
  return row!.id;
}

/** Empties the outbox and the delivery tables (besides the positions the test support empties). */
export async function resetEvents(): Promise<void> {
  const db = await testDatabase();
  await db.query("TRUNCATE webhook, delivery, outbox RESTART IDENTITY CASCADE");
}

/** A receiver set as the EC's webhook and a valid position, on an emptied outbox. */
export async function receiverAndPosition(failFirst = 0): Promise<{ receiver: Receiver; position: Awaited<ReturnType<typeof seedPosition>> }> {
  const receiver = await startReceiver(failFirst);
  const position = await seedPosition();
  await resetEvents();
  await setWebhook(receiver.url);
  return { receiver, position };
}

/** Asserts a position's order: every attempt is of the event right after the last one delivered (sequences are consecutive). */
export function expectPositionOrder(requests: readonly Received[], iupd: string): number {
  const seen = requests.filter((r) => r.body.iupd === iupd);
  const first = Math.min(...seen.map((r) => Number(r.body.sequence)));
  let delivered = 0;
  for (const r of seen) {
    if (Number(r.body.sequence) !== first + delivered) throw new Error(`${iupd}: attempt of sequence ${String(r.body.sequence)} after ${delivered} delivered from ${first}`);
    if (r.status === 200) delivered++;
  }
  return delivered;
}
