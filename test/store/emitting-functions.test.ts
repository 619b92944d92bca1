/**
 * Each payment function that makes a state change writes its event in the same call, called by name: the
 * type, the payload the event contract names (positionStatus, the option or receipt, the notices), the
 * position's sequence and the ACA flag.
 */
import { expect } from "chai";
import { EC } from "../support/app.ts";
import { resetDatabase, testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { clearOutbox, outboxEvents, typesOf } from "./outbox.ts";
import { seed, shapes } from "./seed.ts";

async function call<R>(text: string, params: readonly unknown[]): Promise<R> {
  const [row] = await (await testDatabase()).query<{ r: R }>(text, params);
  return row!.r;
}

const activate = (nav: string, seconds = 1800) => call<{ state: string }>("SELECT stazione_activate($1, $2, $3, true) AS r", [EC, nav, seconds]);

let receipts = 0;
const record = (nav: string, amount: number, receiptId = `receipt-${++receipts}`) =>
  call<{ outcome: string; flags: string[] }>(
    "SELECT stazione_record_receipt($1, $2, $3, $1, 2::smallint, 'OK', $4, now(), false, false, '{}'::jsonb, '<raw/>') AS r",
    [EC, receiptId, nav, amount],
  );

describe("the payment functions write their events", () => {
  beforeEach(resetDatabase);

  describe("stazione_emit_position_events", () => {
    const emit = (positionIds: number[], type: string) => call("SELECT stazione_emit_position_events($1::bigint[], $2) AS r", [positionIds, type]);

    it("tells the position as it stands: stored status, company name and every notice with its plan's debtor", async () => {
      const s = await seed("valid", shapes.plan());
      await clearOutbox();
      await emit([s.positionId], "UPDATED");
      const [event] = await outboxEvents(s.iupd);
      expect(event).to.deep.include({ type: "UPDATED", aggregateType: "position", aggregateId: s.iupd, aca: true });
      expect(event!.payload).to.deep.equal({
        positionStatus: "VALID",
        companyName: "Comune di Esempio",
        notices: s.options.map((o, i) => ({
          noticeNumber: o.nav,
          iuv: o.nav.slice(1),
          amount: o.amount,
          dueDate: i === 0 ? "2099-12-31T22:59:59.000Z" : `2099-0${i}-28T12:00:00.000Z`,
          description: i === 0 ? "Tassa rifiuti rata unica" : `Rata ${i} di 2`,
          debtorType: "F",
          debtorFiscalCode: "RSSMRA80A01H501U",
          debtorFullName: "Mario Rossi",
        })),
      });
    });

    it("writes one event per position in position order, each numbered in its own position's sequence, spontaneous ones off the ACA feed", async () => {
      const a = await seed("valid", makePosition({ iupd: "IUPD-EVENTS-A" }));
      const b = await seed("valid", makePosition({ iupd: "IUPD-EVENTS-B" }));
      const db = await testDatabase();
      await db.query("UPDATE payment_position SET spontaneous = true, event_sequence = 7 WHERE id = $1", [b.positionId]);
      await clearOutbox();
      await emit([b.positionId, a.positionId], "INVALIDATED");
      const events = await outboxEvents();
      expect(events.map((e) => [e.type, e.iupd, e.sequence, e.aca])).to.deep.equal([
        ["INVALIDATED", "IUPD-EVENTS-A", 2, true],
        ["INVALIDATED", "IUPD-EVENTS-B", 8, false],
      ]);
    });
  });

  describe("stazione_insert_positions (after every create)", () => {
    it("writes CREATED first, then what a receipt that waited for the notice does", async () => {
      const input = makePosition();
      const nav = `3${input.paymentOption[0]!.iuv}`;
      await record(nav, input.paymentOption[0]!.amount, "early");
      const s = await seed("valid", input);
      const events = await outboxEvents(s.iupd);
      expect(events.map((e) => [e.type, e.sequence])).to.deep.equal([
        ["CREATED", 1],
        ["PAID", 2],
        ["RECEIPT_APPLIED", 3],
      ]);
      expect(events[0]!.payload.positionStatus).to.equal("VALID");
      expect(events[1]!.payload).to.deep.equal({ positionStatus: "PAID", noticeNumber: nav, iuv: input.paymentOption[0]!.iuv, amount: 10000, receiptId: "early" });
    });
  });

  describe("stazione_activate", () => {
    it("writes ACTIVATED for a new lock, not for a refresh of the same attempt, and again once the lock has run out", async () => {
      const s = await seed("valid");
      await clearOutbox();
      const nav = s.options[0]!.nav;
      expect((await activate(nav)).state).to.equal("OK");
      expect((await activate(nav)).state).to.equal("OK");
      let events = await outboxEvents(s.iupd);
      expect(typesOf(events)).to.deep.equal(["ACTIVATED"]);
      expect(events[0]).to.deep.include({ aggregateType: "position", aggregateId: s.iupd, aca: false });
      expect(events[0]!.payload).to.deep.equal({ positionStatus: "VALID", noticeNumber: nav, iuv: nav.slice(1), amount: 10000 });
      await (await testDatabase()).query("UPDATE payment_option SET lock_until = now() - interval '1 second' WHERE id = $1", [s.options[0]!.id]);
      await activate(nav);
      events = await outboxEvents(s.iupd);
      expect(events.map((e) => [e.type, e.sequence])).to.deep.equal([
        ["ACTIVATED", events[0]!.sequence],
        ["ACTIVATED", events[0]!.sequence! + 1],
      ]);
    });

    it("writes nothing for a notice it does not lock", async () => {
      const s = await seed("draft");
      await clearOutbox();
      expect((await activate(s.options[0]!.nav)).state).to.equal("UNKNOWN");
      expect(await outboxEvents()).to.deep.equal([]);
    });
  });

  describe("stazione_pay_option", () => {
    const pay = async (id: number, receiptId: string, byReceipt = true) =>
      (await call<{ payment_event: { type: string; aggregateType: string; aggregateId: string; payload: Record<string, unknown> } | null }>(
        "SELECT to_jsonb(x) AS r FROM stazione_pay_option($1, $2, now(), '{}'::jsonb, now(), $3) x",
        [id, receiptId, byReceipt],
      )).payment_event;

    it("returns PARTIALLY_PAID for an installment, PAID for the one that completes the plan, nothing for a second payment; writes none", async () => {
      const s = await seed("valid", shapes.plan());
      await clearOutbox();
      const first = await pay(s.options[1]!.id, "a");
      const again = await pay(s.options[1]!.id, "again");
      const last = await pay(s.options[2]!.id, "b");
      expect(first).to.deep.equal({
        type: "PARTIALLY_PAID", aggregateType: "position", aggregateId: s.iupd,
        payload: { positionStatus: "PARTIALLY_PAID", noticeNumber: s.options[1]!.nav, iuv: s.options[1]!.nav.slice(1), amount: s.options[1]!.amount, receiptId: "a" },
      });
      expect(again).to.equal(null);
      expect(last).to.deep.equal({
        type: "PAID", aggregateType: "position", aggregateId: s.iupd,
        payload: { positionStatus: "PAID", noticeNumber: s.options[2]!.nav, iuv: s.options[2]!.nav.slice(1), amount: s.options[2]!.amount, receiptId: "b" },
      });
      expect(await outboxEvents(s.iupd)).to.deep.equal([]);
    });

    it("names no receipt when the EC marked the option paid outside pagoPA", async () => {
      const s = await seed("valid");
      const event = await pay(s.options[0]!.id, "CLOSED_AS_ALREADY_PAID_BY_EC", false);
      expect(event!.type).to.equal("PAID");
      expect(event!.payload.receiptId).to.equal(null);
    });
  });

  describe("stazione_record_receipt", () => {
    it("writes PAID and RECEIPT_STORED for the first receipt; RECEIPT_STORED and DOUBLE_PAYMENT for a second one", async () => {
      const s = await seed("valid");
      await clearOutbox();
      const nav = s.options[0]!.nav;
      await record(nav, 10000, "first");
      await record(nav, 10000, "second");
      const events = await outboxEvents(s.iupd);
      expect(events.map((e) => [e.type, e.aggregateId])).to.deep.equal([
        ["PAID", s.iupd],
        ["RECEIPT_STORED", "first"],
        ["RECEIPT_STORED", "second"],
        ["DOUBLE_PAYMENT", "second"],
      ]);
      const sequences = events.map((e) => e.sequence!);
      expect(sequences).to.deep.equal(sequences.map((_, i) => sequences[0]! + i));
      expect(events[3]!.payload).to.deep.equal({ receiptId: "second", noticeNumber: nav, iupd: s.iupd, positionStatus: "PAID", flags: ["DOUBLE_PAYMENT"] });
      expect(events.map((e) => e.aca)).to.deep.equal([true, false, false, false]);
    });

    it("writes RECEIPT_STORED without a position for a notice no one holds, and nothing for a repeated receipt", async () => {
      await record("302000000000000001", 100, "orphan");
      await record("302000000000000001", 100, "orphan");
      const events = await outboxEvents();
      expect(events.map((e) => [e.type, e.positionId, e.sequence])).to.deep.equal([["RECEIPT_STORED", null, null]]);
      expect(events[0]!.payload).to.deep.equal({ receiptId: "orphan", noticeNumber: "302000000000000001", flags: ["UNKNOWN_NOTICE"] });
    });
  });

  describe("stazione_apply_waiting_receipts", () => {
    it("writes DOUBLE_PAYMENT beside RECEIPT_APPLIED for the second receipt that waited", async () => {
      const input = makePosition();
      const nav = `3${input.paymentOption[0]!.iuv}`;
      await record(nav, 10000, "w1");
      await record(nav, 10000, "w2");
      const s = await seed("valid", input);
      expect(typesOf(await outboxEvents(s.iupd))).to.deep.equal(["CREATED", "PAID", "RECEIPT_APPLIED", "RECEIPT_APPLIED", "DOUBLE_PAYMENT"]);
    });
  });
});
