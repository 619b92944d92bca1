import { expect } from "chai";
import { unzipSync, strFromU8 } from "fflate";
import { ADMIN_KEY, EC_KEY, startApp, type TestApp } from "../support/app.ts";
import { makePosition } from "../support/factories.ts";
import { expectFault, getPaymentRequest, postRaw, postSoap, verifyRequest } from "../support/soap.ts";
import { createPosition, KEY_HEADER as KEY } from "../support/rest.ts";
import { createJournal, type Exchange } from "../../src/kit/journal.ts";
import { expectProblem, expectValid } from "../rest/helpers.ts";


const exchange = (i: number, bytes = 10): Exchange => ({
  correlationId: `c${i}`,
  operation: "paVerifyPaymentNotice",
  noticeNumber: String(i),
  outcome: "OK",
  faultCode: undefined,
  status: 200,
  receivedAt: new Date(Date.UTC(2026, 11, 2, 10, 0, i)),
  durationMs: 1,
  request: Buffer.alloc(bytes, "a"),
  response: "b".repeat(bytes),
});

/** Supertest keeps a binary body as a Buffer with this parser. */
const binary = (res: import("node:http").IncomingMessage, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on("data", (c: Buffer) => chunks.push(c));
  res.on("end", () => done(null, Buffer.concat(chunks)));
};

describe("exchange journal", () => {
  describe("the ring", () => {
    it("keeps the last N exchanges", () => {
      const journal = createJournal({ entries: 3, bytes: 1_000_000 });
      for (let i = 1; i <= 5; i++) journal.record(exchange(i));
      expect(journal.find({}).map((e) => e.correlationId)).to.deep.equal(["c5", "c4", "c3"]);
    });

    it("drops the oldest exchanges when the bytes bound is passed", () => {
      const journal = createJournal({ entries: 100, bytes: 3 * (2 * 1000 + 256) });
      for (let i = 1; i <= 10; i++) journal.record(exchange(i, 1000));
      expect(journal.size.entries).to.equal(3);
      expect(journal.size.bytes).to.be.at.most(3 * (2 * 1000 + 256));
    });

    it("records nothing with 0 entries", () => {
      const journal = createJournal({ entries: 0, bytes: 1_000_000 });
      journal.record(exchange(1));
      expect(journal.size.entries).to.equal(0);
    });
  });

  describe("over REST", () => {
    let t: TestApp;
    let nav: string;
    beforeEach(async () => {
      t = await startApp();
      nav = (await createPosition(t, makePosition(), { toPublish: true })).paymentOption[0].nav;
    });

    it("shows each exchange with its outcome, fault code, timings and the correlation id of the answer", async () => {
      const ok = await t.http.post(t.config.soapPath).set("content-type", "text/xml").set("soapaction", "paVerifyPaymentNotice").send(verifyRequest(nav));
      expect(ok.text).to.contain("<outcome>OK</outcome>");
      expectFault(await postSoap(t, verifyRequest("302000000000000000"), "paVerifyPaymentNotice"), "PAA_PAGAMENTO_SCONOSCIUTO");
      await postRaw(t, "not xml", { "content-type": "text/xml", soapaction: "paVerifyPaymentNotice" });

      const all = await t.http.get("/v1/exchanges").set(KEY, ADMIN_KEY);
      expect(all.status).to.equal(200);
      expect(all.body.map((e: Exchange) => e.outcome)).to.deep.equal(["FAULT", "KO", "OK"]);
      expectValid("exchanges-list", all.body);
      const [, ko, okEntry] = all.body;
      expect(ko).to.include({ operation: "paVerifyPaymentNotice", noticeNumber: "302000000000000000", faultCode: "PAA_PAGAMENTO_SCONOSCIUTO", httpStatus: 200 });
      expect(okEntry.correlationId).to.equal(ok.headers["x-correlation-id"]);
      expect(okEntry.request).to.contain(nav);
      expect(okEntry.response).to.contain("<outcome>OK</outcome>");
      expect(okEntry.durationMs).to.be.a("number");

      const byNotice = await t.http.get("/v1/exchanges").query({ noticeNumber: nav }).set(KEY, ADMIN_KEY);
      expect(byNotice.body).to.have.length(1);
      const byCorrelation = await t.http.get("/v1/exchanges").query({ correlationId: ok.headers["x-correlation-id"] }).set(KEY, ADMIN_KEY);
      expect(byCorrelation.body.map((e: { correlationId: string }) => e.correlationId)).to.deep.equal([ok.headers["x-correlation-id"]]);
      const kos = await t.http.get("/v1/exchanges").query({ outcome: "KO", operation: "paVerifyPaymentNotice" }).set(KEY, ADMIN_KEY);
      expect(kos.body.map((e: Exchange) => e.noticeNumber)).to.deep.equal(["302000000000000000"]);
      const future = await t.http.get("/v1/exchanges").query({ from: "2999-01-01T00:00:00Z" }).set(KEY, ADMIN_KEY);
      expect(future.body).to.deep.equal([]);
      const past = await t.http.get("/v1/exchanges").query({ to: "2000-01-01T00:00:00Z" }).set(KEY, ADMIN_KEY);
      expect(past.body).to.deep.equal([]);
    });

    it("exports the exchanges of one notice as a zip of XML files, in the order they happened", async () => {
      await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice");
      await postSoap(t, getPaymentRequest(nav, { v2: true }), "paGetPaymentV2");
      await postSoap(t, verifyRequest("302000000000000000"), "paVerifyPaymentNotice");

      const r = await t.http.get("/v1/exchanges/export").query({ noticeNumber: nav }).set(KEY, ADMIN_KEY).buffer(true).parse(binary as never);
      expect(r.status).to.equal(200);
      expect(r.headers["content-type"]).to.contain("application/zip");
      const files = unzipSync(new Uint8Array(r.body as Buffer));
      const names = Object.keys(files).sort();
      expect(names).to.have.length(4);
      expect(names[0]).to.match(/^001_paVerifyPaymentNotice_[0-9a-f-]{36}_request\.xml$/);
      expect(names[2]).to.match(/^002_paGetPaymentV2_.*_request\.xml$/);
      expect(strFromU8(files[names[3]!]!)).to.contain("paGetPaymentV2Response");
    });

    it("refuses EC keys, bad filters and an export without a notice", async () => {
      expect((await t.http.get("/v1/exchanges").set(KEY, EC_KEY)).status).to.equal(403);
      expect((await t.http.get("/v1/exchanges").query({ outcome: "MAYBE" }).set(KEY, ADMIN_KEY)).status).to.equal(400);
      expectProblem(await t.http.get("/v1/exchanges").query({ from: "yesterday" }).set(KEY, ADMIN_KEY), 400, "from");
      expectProblem(await t.http.get("/v1/exchanges").query({ to: "2026-13-01T00:00:00Z" }).set(KEY, ADMIN_KEY), 400, "to");
      expectProblem(await t.http.get("/v1/exchanges").query({ limit: "1001" }).set(KEY, ADMIN_KEY), 400, "limit");
      expectProblem(await t.http.get("/v1/exchanges").query({ noticeNumber: [nav, nav] }).set(KEY, ADMIN_KEY), 400, "noticeNumber");
      expect((await t.http.get("/v1/exchanges/export").set(KEY, ADMIN_KEY)).status).to.equal(400);
    });
  });
});
