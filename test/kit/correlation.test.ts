import { Writable } from "node:stream";
import { expect } from "chai";
import pino from "pino";
import request from "supertest";
import { createApp } from "../../src/app.ts";
import type { Database } from "../../src/store/db.ts";
import { ADMIN_KEY, EC, EC_KEY, testConfig } from "../support/app.ts";
import { verifyRequest } from "../support/soap.ts";
import { KEY_HEADER } from "../support/rest.ts";

/** The app on a database that always fails, logging JSON lines into `lines`. */
function failingApp(lines: Array<Record<string, unknown>>) {
  const fail = () => Promise.reject(new Error("disk on fire"));
  const db = { engine: "postgres", query: fail, transaction: fail, ping: fail, close: () => Promise.resolve(), poolUse: () => undefined } as unknown as Database;
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
  const app = createApp({ config: testConfig(), db, log: pino({ level: "debug" }, sink) });
  return request(app.listener);
}

describe("correlation ids", () => {
  it("name a SOAP request in its PAA_SYSTEM_ERROR description, its answer's header, the JSON log and the journal", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const http = failingApp(lines);
    const r = await http.post("/paForNode").set("content-type", "text/xml").set("soapaction", "paVerifyPaymentNotice").send(verifyRequest("302000000000000000"));
    const id = r.headers["x-correlation-id"] as string;
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    expect(r.text).to.contain("<faultCode>PAA_SYSTEM_ERROR</faultCode>");
    expect(r.text).to.contain(`correlation id ${id}`);
    const logged = lines.find((l) => l.msg === "unexpected error");
    expect(logged).to.include({ correlationId: id, operation: "paVerifyPaymentNotice" });
    expect(lines.find((l) => l.msg === "soap exchange")).to.include({ correlationId: id, outcome: "KO", faultCode: "PAA_SYSTEM_ERROR", noticeNumber: "302000000000000000" });
    const journal = await http.get("/v1/exchanges").set(KEY_HEADER, ADMIN_KEY);
    expect(journal.body[0]).to.include({ correlationId: id, outcome: "KO", faultCode: "PAA_SYSTEM_ERROR" });
  });

  it("name a REST request in its header, its log line and its 500 problem", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const http = failingApp(lines);
    const r = await http.get(`/v1/organizations/${EC}/debtpositions/X`).set(KEY_HEADER, EC_KEY);
    const id = r.headers["x-correlation-id"] as string;
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    expect(r.status).to.equal(500);
    expect(JSON.stringify(r.body)).to.contain(id);
    expect(lines.filter((l) => l.correlationId === id).map((l) => l.msg)).to.include.members(["unexpected error", "request"]);
  });
});
