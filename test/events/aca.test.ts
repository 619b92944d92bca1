/**
 * The ACA feed (pull, by cursor, scoped by key) and the push to ACA in the body of pagoPA's
 * paCreatePosition (NewDebtPositionRequest), amount 0 for a notice that can no longer be paid.
 */
import { expect } from "chai";
import { EventType } from "../../src/domain/events.ts";
import { acaRequests } from "../../src/events/aca.ts";
import type { OutboxEvent } from "../../src/store/deliveries.ts";
import { ADMIN_KEY, EC, EC_KEY, OTHER_EC, OTHER_EC_KEY, startApp, type TestApp } from "../support/app.ts";
import { resetDatabase, testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { api } from "../support/rest.ts";
import { seed } from "../store/seed.ts";
import { deliverAll, emit, resetEvents, startReceiver, testWorker, type Receiver } from "./support.ts";

const notice = (n: number, amount = 1000) => ({
  noticeNumber: `30200000000000${String(n).padStart(4, "0")}`, iuv: `0200000000000${String(n).padStart(4, "0")}`, amount,
  dueDate: "2026-12-31T22:59:59Z", description: `Notice ${n}`, debtorType: "F", debtorFiscalCode: "RSSMRA80A01H501U", debtorFullName: "Mario Rossi",
});

async function seeded(ec = EC): Promise<number> {
  const db = await testDatabase();
  const s = await seed("valid", makePosition());
  if (ec !== EC) await db.query("UPDATE payment_position SET organization_fiscal_code = $1 WHERE id = $2", [ec, s.positionId]);
  return s.positionId;
}

describe("the ACA feed", function () {
  this.timeout(60_000);
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
    await resetEvents();
  });

  it("pages the lifecycle events of non-spontaneous notices in id order with a cursor, with their notices", async () => {
    const position = await seeded();
    await resetEvents();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await emit(position, EventType.UPDATED, { positionStatus: "VALID", companyName: "Comune", notices: [notice(i)] }));
      await emit(position, EventType.ACTIVATED, { noticeNumber: notice(i).noticeNumber });
    }
    const paid = await emit(position, EventType.PAID, { positionStatus: "PAID", noticeNumber: notice(0).noticeNumber, iuv: notice(0).iuv, amount: 1000, receiptId: "r" });
    const first = await api(t, EC_KEY).get("/aca/events?limit=4");
    expect(first.status, first.text).to.equal(200);
    expect(first.body.events.map((e: { id: number }) => e.id)).to.deep.equal(ids.slice(0, 4));
    expect(first.body.nextCursor).to.equal(ids[3]);
    expect(first.body.events[0]).to.deep.include({ type: EventType.UPDATED, organizationFiscalCode: EC, positionStatus: "VALID", companyName: "Comune", notices: [notice(0)] });
    const second = await api(t, EC_KEY).get(`/aca/events?after=${first.body.nextCursor}&limit=4`);
    expect(second.body.events.map((e: { id: number }) => e.id)).to.deep.equal([ids[4], paid]);
    expect(second.body.events[1].notices).to.deep.equal([{ noticeNumber: notice(0).noticeNumber, iuv: notice(0).iuv, amount: 1000 }]);
    const end = await api(t, EC_KEY).get(`/aca/events?after=${second.body.nextCursor}`);
    expect(end.body).to.deep.equal({ events: [], nextCursor: paid });
  });

  it("shows an EC key its own EC's events only; the admin key every EC's, or one EC's on request", async () => {
    const [mineId, theirsId] = [await seeded(), await seeded(OTHER_EC)];
    await resetEvents();
    const mine = await emit(mineId, EventType.CREATED, { notices: [notice(1)] });
    const theirs = await emit(theirsId, EventType.CREATED, { notices: [notice(2)] }, OTHER_EC);
    const ids = async (key: string, query = "") => (await api(t, key).get(`/aca/events${query}`)).body.events.map((e: { id: number }) => e.id);
    expect(await ids(EC_KEY)).to.deep.equal([mine]);
    expect(await ids(OTHER_EC_KEY)).to.deep.equal([theirs]);
    expect(await ids(ADMIN_KEY)).to.deep.equal([mine, theirs]);
    expect(await ids(ADMIN_KEY, `?organization=${OTHER_EC}`)).to.deep.equal([theirs]);
    expect(await ids(EC_KEY, `?organization=${EC}`)).to.deep.equal([mine]);
    expect((await api(t, EC_KEY).get(`/aca/events?organization=${OTHER_EC}`)).status).to.equal(403);
    expect((await t.http.get("/aca/events")).status).to.equal(401);
    expect((await api(t, "not-a-key-of-anyone-0000").get("/aca/events")).status).to.equal(401);
    expect((await api(t, EC_KEY).get("/aca/events?limit=0")).status).to.equal(400);
    expect((await api(t, EC_KEY).get("/aca/events?after=x")).status).to.equal(400);
  });
});

describe("the ACA push", function () {
  this.timeout(60_000);
  let receiver: Receiver;
  beforeEach(async () => {
    await resetDatabase();
    await resetEvents();
  });
  afterEach(async () => receiver?.close());
  after(resetEvents);

  const event = (type: string, payload: Record<string, unknown>): OutboxEvent => ({
    eventId: 7, type, organizationFiscalCode: EC, aggregateType: "position", aggregateId: "IUPD-1", positionId: 1, iupd: "IUPD-1", sequence: 1, payload, occurredAt: "2026-12-02T10:00:00Z",
  });

  it("writes one paCreatePosition request per notice, amount 0 for a notice that can no longer be paid, nothing for one not yet payable", () => {
    const valid = acaRequests(event(EventType.VALID, { positionStatus: "VALID", notices: [notice(1), notice(2, 2500)] }), null);
    expect(valid).to.deep.equal([1, 2].map((n) => ({
      paFiscalCode: EC, entityType: "F", entityFiscalCode: "RSSMRA80A01H501U", entityFullName: "Mario Rossi", iuv: notice(n).iuv, nav: notice(n).noticeNumber,
      amount: n === 1 ? 1000 : 2500, description: `Notice ${n}`, expirationDate: "2026-12-31T22:59:59Z",
    })));
    for (const [type, status] of [[EventType.INVALIDATED, "INVALID"], [EventType.EXPIRED, "EXPIRED"], [EventType.DELETED, "VALID"]] as const)
      expect(acaRequests(event(type, { positionStatus: status, notices: [notice(1)] }), null).map((r) => r.amount), type).to.deep.equal([0]);
    expect(acaRequests(event(EventType.CREATED, { positionStatus: "DRAFT", notices: [notice(1)] }), null)).to.deep.equal([]);
    expect(acaRequests(event(EventType.PUBLISHED, { positionStatus: "PUBLISHED", notices: [notice(1)] }), null)).to.deep.equal([]);
    expect(acaRequests(event(EventType.PAID, { noticeNumber: notice(1).noticeNumber }), null)).to.deep.equal([]);
  });

  it("POSTs them to ACA_URL with the subscription key, retrying failures, and sends a paid notice with amount 0", async () => {
    receiver = await startReceiver(1);
    const s = await seed("valid", makePosition());
    await resetEvents();
    const db = await testDatabase();
    await emit(s.positionId, EventType.UPDATED, { positionStatus: "VALID", notices: [notice(1)] });
    await emit(s.positionId, EventType.PAID, { positionStatus: "PAID", noticeNumber: s.options[0]!.nav, iuv: "x", amount: 1 });
    await emit(s.positionId, EventType.ACTIVATED, { noticeNumber: s.options[0]!.nav });
    await deliverAll(testWorker(db, { ACA_URL: receiver.url, ACA_API_KEY: "aca-subscription-key" }));
    const accepted = receiver.accepted();
    expect(accepted.map((r) => r.body.nav)).to.deep.equal([notice(1).noticeNumber, s.options[0]!.nav]);
    expect(accepted[0]!.body).to.deep.include({ paFiscalCode: EC, iuv: notice(1).iuv, amount: 1000, entityFullName: "Mario Rossi" });
    expect(accepted[1]!.body).to.deep.include({ amount: 0, entityType: "F", entityFiscalCode: "RSSMRA80A01H501U" });
    for (const r of receiver.requests) expect(r.headers["ocp-apim-subscription-key"]).to.equal("aca-subscription-key");
    expect(receiver.requests).to.have.length(4);
    expect(new Set(receiver.requests.map((r) => r.headers["idempotency-key"])).size).to.equal(2);
  });
});
