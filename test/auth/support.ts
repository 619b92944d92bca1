/** A station under test with its own logger (to read refusals), over plain HTTP or real HTTPS on 127.0.0.1. */
import { request as httpsRequest, type Agent } from "node:https";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { Writable } from "node:stream";
import { expect } from "chai";
import pino from "pino";
import supertest from "supertest";
import { createApp, type App } from "../../src/app.ts";
import type { Config } from "../../src/config.ts";
import { createStationServer } from "../../src/http/server.ts";
import { ADMIN_KEY, EC, testConfig } from "../support/app.ts";
import { resetDatabase, testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { receiptRequest, verifyRequest } from "../support/soap.ts";
import type { Pair } from "./certificates.ts";
import { KEY_HEADER } from "../support/rest.ts";

export interface Station {
  app: App;
  config: Config;
  http: ReturnType<typeof supertest>;
  /** JSON log lines written at warn level or above. */
  logs: Array<Record<string, unknown>>;
}

export async function startStation(env: Record<string, string>): Promise<Station> {
  await resetDatabase();
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = testConfig(env);
  const app = createApp({ config, db: await testDatabase(), log: pino({ level: "warn" }, sink) });
  return { app, config, http: supertest(app.listener), logs };
}

export interface HttpsStation extends Station {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function startHttpsStation(env: Record<string, string>): Promise<HttpsStation> {
  const station = await startStation(env);
  const server = createStationServer(station.app.listener, station.config.nodeAccess);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    ...station,
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface CallOptions {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  client?: Pair;
  agent?: Agent;
  maxVersion?: "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
}

export interface CallResult {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One HTTPS request to the station, trusting the test server CA, presenting `client` when given. */
export function call(station: { port: number }, ca: Buffer, o: CallOptions): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: "127.0.0.1",
        servername: "localhost",
        port: station.port,
        method: o.method ?? "GET",
        path: o.path,
        headers: { ...(o.body !== undefined ? { "content-length": String(Buffer.byteLength(o.body)) } : {}), ...o.headers },
        ca,
        ...(o.client ? { key: o.client.key, cert: o.client.cert } : {}),
        // SECLEVEL=0 lets this client offer old versions, so refusing them is the server's doing.
        ...(o.maxVersion ? { maxVersion: o.maxVersion, minVersion: "TLSv1" as const, ciphers: "DEFAULT@SECLEVEL=0" } : {}),
        agent: o.agent ?? false,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, text, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(o.body);
  });
}

export const SOAP_HEADERS = (action: string) => ({ "content-type": "text/xml; charset=utf-8", soapaction: action });

/** A published position of one option, loaded through REST with the admin key. */
export async function loadNotice(http: ReturnType<typeof supertest>) {
  const input = makePosition();
  const res = await http.post(`/v1/organizations/${EC}/debtpositions?toPublish=true`).set(KEY_HEADER, ADMIN_KEY).send(input);
  expect(res.status, res.text).to.equal(201);
  const option = input.paymentOption[0]!;
  const nav = `3${option.iuv}`;
  return { input, nav, iuv: option.iuv, amount: (option.amount / 100).toFixed(2) };
}

export function soapCalls(notice: { nav: string; iuv: string; amount: string }, receiptId: string) {
  return {
    verify: { method: "POST", headers: SOAP_HEADERS("paVerifyPaymentNotice"), body: verifyRequest(notice.nav) },
    receipt: { method: "POST", headers: SOAP_HEADERS("paSendRTV2"), body: receiptRequest({ receiptId, nav: notice.nav, iuv: notice.iuv, amount: notice.amount, v2: true }) },
  };
}

/** The receipts stored, and the options marked paid: what a refused call must leave as it was. */
export async function paymentState(): Promise<{ receipts: number; paidOptions: number }> {
  const db = await testDatabase();
  const [receipts] = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM receipt");
  const [paid] = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM payment_option WHERE status <> 'PO_UNPAID'");
  return { receipts: Number(receipts!.n), paidOptions: Number(paid!.n) };
}

