/**
 * Delivery to an EC's webhook, against a local receiver: retries until each event is accepted once,
 * the order of each position's events, dead letters and their redelivery, signature and headers checked
 * with an HMAC computed here (not the app's helper).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { expect } from "chai";
import { EventType } from "../../src/domain/events.ts";
import { ADMIN_KEY, EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { api, createPosition } from "../support/rest.ts";
import { makePosition } from "../support/factories.ts";
import { postSoap, receiptRequest } from "../support/soap.ts";
import { expectValid } from "../rest/helpers.ts";
import { deliverAll, emit, expectPositionOrder, receiverAndPosition, resetEvents, seedPosition, setWebhook, startReceiver, testWorker, type Received, type Receiver, WEBHOOK_SECRET } from "./support.ts";

const SECRET = WEBHOOK_SECRET;

function verified(r: Received, secret = SECRET): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(r.raw).digest("hex")}`);
  const given = Buffer.from(String(r.headers["x-stazione-signature"]));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("event delivery to webhooks", function () {
  this.timeout(60_000);
  let t: TestApp;
  let receiver: Receiver;

  beforeEach(async () => {
    t = await startApp();
    await resetEvents();
  });
  afterEach(async () => receiver?.close());
  // no webhook left behind for the instances other files start
  after(resetEvents);

  it("delivers every event exactly once after failed attempts, signed, with the same idempotency key on every attempt", async () => {
    receiver = await startReceiver(2);
    const positions = await Promise.all([seedPosition(), seedPosition(), seedPosition()]);
    await resetEvents();
    await setWebhook(receiver.url, SECRET);
    const ids: number[] = [];
    for (const p of positions) for (const type of [EventType.UPDATED, EventType.PUBLISHED, EventType.VALID]) ids.push(await emit(p.positionId, type, { positionStatus: "VALID" }));
    await deliverAll(testWorker(await testDatabase()));

    const accepted = receiver.accepted();
    expect(accepted.map((r) => r.body.eventId).sort((a, b) => Number(a) - Number(b))).to.deep.equal(ids);
    expect(receiver.requests).to.have.length(ids.length * 3);
    for (const r of receiver.requests) {
      expect(verified(r), "signature").to.equal(true);
      expect(r.headers["idempotency-key"]).to.equal(`stazione-${String(r.body.eventId)}`);
      expect(r.headers["x-stazione-event"]).to.equal(r.body.type);
      expect(r.headers["content-type"]).to.equal("application/json");
    }
    expect(verified(accepted[0]!, "another-secret-0000001"), "a wrong secret does not verify").to.equal(false);
    const first = accepted.find((r) => r.body.eventId === ids[0])!.body;
    expect(first).to.deep.include({ type: EventType.UPDATED, organizationFiscalCode: EC, iupd: positions[0]!.iupd, event: { positionStatus: "VALID" } });
    expect((first.position as { iupd: string }).iupd).to.equal(positions[0]!.iupd);
    expect(first).to.not.have.property("option");
  });

  it("keeps each position's order: an event is not attempted before the earlier ones of its position are delivered", async () => {
    receiver = await startReceiver(1);
    const a = await seedPosition();
    const b = await seedPosition();
    await resetEvents();
    await setWebhook(receiver.url, SECRET);
    for (let i = 0; i < 5; i++) {
      await emit(a.positionId, EventType.UPDATED);
      await emit(b.positionId, EventType.UPDATED);
    }
    await deliverAll(testWorker(await testDatabase()));
    for (const iupd of [a.iupd, b.iupd]) expect(expectPositionOrder(receiver.requests, iupd), iupd).to.equal(5);
  });

  it("makes a dead letter after WEBHOOK_MAX_ATTEMPTS, lets the position's later events go on, and redelivers it on request", async () => {
    let p;
    ({ receiver, position: p } = await receiverAndPosition());
    receiver.answerAlways(503);
    const dead = await emit(p.positionId, EventType.UPDATED);
    const worker = testWorker(await testDatabase(), { WEBHOOK_MAX_ATTEMPTS: "3" });
    await deliverAll(worker);
    expect(receiver.requests.map((r) => r.body.eventId)).to.deep.equal([dead, dead, dead]);

    const list = await api(t, EC_KEY).get(`/v1/organizations/${EC}/deadletters`);
    expect(list.status).to.equal(200);
    expect(list.body.page_info.items_found).to.equal(1);
    const [letter] = list.body.deadLetters;
    expect(letter).to.deep.include({ destination: "WEBHOOK", eventId: dead, type: EventType.UPDATED, iupd: p.iupd, attempts: 3, lastError: "HTTP 503" });
    expect((await api(t, ADMIN_KEY).get("/v1/events/status")).body).to.deep.include({ undelivered: 0, deadLetters: 1, failuresByOrganization: [{ organizationFiscalCode: EC, failing: 0, deadLetters: 1 }] });

    receiver.answerAlways(undefined);
    const later = await emit(p.positionId, EventType.INVALIDATED);
    await deliverAll(worker);
    expect(receiver.accepted().map((r) => r.body.eventId)).to.deep.equal([later]);

    expect((await api(t, EC_KEY).post(`/v1/organizations/${OTHER_EC}/deadletters/${letter.id}/redeliver`)).status).to.equal(403);
    expect((await api(t).post(`/v1/organizations/${OTHER_EC}/deadletters/${letter.id}/redeliver`)).status).to.equal(404);
    expect((await api(t, EC_KEY).post(`/v1/organizations/${EC}/deadletters/${letter.id}/redeliver`)).status).to.equal(202);
    await deliverAll(worker);
    expect(receiver.accepted().map((r) => r.body.eventId)).to.deep.equal([later, dead]);
    expect((await api(t, EC_KEY).get(`/v1/organizations/${EC}/deadletters`)).body.deadLetters).to.deep.equal([]);
    expect((await api(t, EC_KEY).post(`/v1/organizations/${EC}/deadletters/${letter.id}/redeliver`)).status).to.equal(404);
  });

  it("redelivers every dead letter of an EC at once after a receiver's outage, or only those of one destination", async () => {
    let p;
    ({ receiver, position: p } = await receiverAndPosition());
    receiver.answerAlways(503);
    const dead = [await emit(p.positionId, EventType.UPDATED), await emit(p.positionId, EventType.PUBLISHED), await emit(p.positionId, EventType.VALID)];
    const worker = testWorker(await testDatabase(), { WEBHOOK_MAX_ATTEMPTS: "1" });
    await deliverAll(worker);
    expect((await api(t, EC_KEY).get(`/v1/organizations/${EC}/deadletters`)).body.page_info.items_found).to.equal(3);

    const redeliver = (ec: string, key: string, query = "") => api(t, key).post(`/v1/organizations/${ec}/deadletters/redeliver${query}`);
    expect((await redeliver(OTHER_EC, EC_KEY)).status).to.equal(403);
    const bad = await redeliver(EC, EC_KEY, "?destination=SMTP");
    expect([bad.status, bad.body.field]).to.deep.equal([400, "destination"]);
    const ofAca = await redeliver(EC, EC_KEY, "?destination=ACA");
    expect([ofAca.status, ofAca.body]).to.deep.equal([202, { requeued: 0 }]);
    expectValid("dead-letters-redelivered", ofAca.body);

    receiver.answerAlways(undefined);
    const all = await redeliver(EC, EC_KEY, "?destination=WEBHOOK");
    expect([all.status, all.body]).to.deep.equal([202, { requeued: 3 }]);
    await deliverAll(worker);
    expect(receiver.accepted().map((r) => r.body.eventId)).to.deep.equal(dead);
    expect((await api(t, EC_KEY).get(`/v1/organizations/${EC}/deadletters`)).body.deadLetters).to.deep.equal([]);
    expect((await redeliver(EC, ADMIN_KEY)).body).to.deep.equal({ requeued: 0 });
  });

  it("does not deliver an EC's events written while it has no webhook", async () => {
    receiver = await startReceiver();
    const p = await seedPosition();
    await resetEvents();
    await emit(p.positionId, EventType.UPDATED);
    const worker = testWorker(await testDatabase());
    await deliverAll(worker);
    await setWebhook(receiver.url, SECRET);
    const after = await emit(p.positionId, EventType.PUBLISHED);
    await deliverAll(worker);
    expect(receiver.requests.map((r) => r.body.eventId)).to.deep.equal([after]);
  });

  it("sends a receipt's event with the position, the paid option and the full receipt as stored", async () => {
    receiver = await startReceiver();
    const option = (await createPosition(t, makePosition(), { toPublish: true })).paymentOption[0];
    await resetEvents();
    await setWebhook(receiver.url, SECRET);
    await postSoap(t, receiptRequest({ receiptId: "r-webhook-1", nav: option.nav, iuv: option.iuv, amount: "100.00", v2: true }), "paSendRTV2");
    await deliverAll(testWorker(await testDatabase()));
    const stored = receiver.accepted().find((r) => r.body.type === EventType.RECEIPT_STORED)!.body as Record<string, Record<string, unknown>>;
    expect(stored.option!.nav).to.equal(option.nav);
    expect(stored.option!.status).to.equal("PO_PAID");
    expect(stored.position!.status).to.equal("PAID");
    expect(stored.receipt).to.deep.include({ receiptId: "r-webhook-1", noticeNumber: option.nav, organizationFiscalCode: EC });
    expect(stored.event).to.deep.include({ receiptId: "r-webhook-1", noticeNumber: option.nav });
  });

  it("shows the outbox depth, the oldest waiting event and failures by EC, at /v1/events/status and /metrics", async () => {
    let p;
    ({ receiver, position: p } = await receiverAndPosition());
    receiver.answerAlways(500);
    await emit(p.positionId, EventType.UPDATED);
    await emit(p.positionId, EventType.PUBLISHED);
    const empty = await api(t).get("/v1/events/status");
    expect(empty.body).to.deep.include({ undelivered: 2, deadLetters: 0 });
    expect(empty.body.oldestUndeliveredAgeSeconds).to.be.a("number");
    await testWorker(await testDatabase(), { WEBHOOK_FIRST_RETRY_MS: "60000" }).runOnce();
    const failing = (await api(t).get("/v1/events/status")).body;
    expect(failing).to.deep.include({ undelivered: 2, failuresByOrganization: [{ organizationFiscalCode: EC, failing: 1, deadLetters: 0 }] });
    expect((await api(t, EC_KEY).get("/v1/events/status")).status).to.equal(403);
    const metrics = (await t.http.get("/metrics").set("Ocp-Apim-Subscription-Key", ADMIN_KEY)).text;
    expect(metrics).to.match(/^stazione_outbox_pending_events 2$/m);
    expect(metrics).to.match(/^stazione_outbox_oldest_pending_age_seconds \d/m);
  });
  it("stops only after the attempt in flight is answered and recorded", async () => {
    let p;
    ({ receiver, position: p } = await receiverAndPosition());
    let answered = false;
    receiver.onRequest(() => new Promise((r) => setTimeout(() => r(void (answered = true)), 300)));
    const eventId = await emit(p.positionId, EventType.UPDATED);
    const worker = testWorker(await testDatabase());
    worker.start();
    while (receiver.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await worker.stop();
    expect(answered).to.equal(true);
    const [row] = await (await testDatabase()).query<{ state: string }>("SELECT state FROM delivery WHERE outbox_id = $1", [eventId]);
    expect(row!.state).to.equal("DELIVERED");
  });
  it("delivers every event a REST and paForNode flow writes, once each and in each position's order", async () => {
    receiver = await startReceiver(1);
    await setWebhook(receiver.url, SECRET);
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const option = created.paymentOption[0];
    await postSoap(t, receiptRequest({ receiptId: "r-webhook-flow", nav: option.nav, iuv: option.iuv, amount: "100.00", v2: true }), "paSendRTV2");
    await api(t).post(`/v1/organizations/${EC}/debtpositions`, makePosition());
    await deliverAll(testWorker(await testDatabase()));
    const written = (await (await testDatabase()).query<{ id: number }>("SELECT id FROM outbox ORDER BY id")).map((r) => r.id);
    expect(written.length).to.be.greaterThan(0);
    expect(receiver.accepted().map((r) => r.body.eventId).sort((a, b) => Number(a) - Number(b))).to.deep.equal(written);
    expect(receiver.accepted().every((r) => verified(r))).to.equal(true);
    expectPositionOrder(receiver.requests, created.iupd);
  });
});
