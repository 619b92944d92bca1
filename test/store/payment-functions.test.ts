/**
 * Every payment function of src/store/sql called by name, one row per state × input that matters, on
 * the test database (PGlite, or PostgreSQL with TEST_DATABASE_URL). The names the SQL answers are
 * checked against the TypeScript sets at the end.
 */
import { expect } from "chai";
import { NoticeState, ReceiptFlag } from "../../src/domain/states.ts";
import { EC, OTHER_EC } from "../support/app.ts";
import { resetDatabase, testDatabase } from "../support/db.ts";
import { seed, shapes, type PositionState, type Seeded } from "./seed.ts";

const HOUR = 3_600_000;
const NOW = new Date("2026-06-15T10:00:00Z");
const PAST = new Date(NOW.getTime() - 24 * HOUR);
const FUTURE = new Date(NOW.getTime() + 24 * HOUR);

async function call<R>(text: string, params: readonly unknown[]): Promise<R> {
  const [row] = await (await testDatabase()).query<{ r: R }>(text, params);
  return row!.r;
}

interface Activation {
  state: string;
  blocker?: string;
  notice?: { nav: string; amount: number };
}

const activate = (nav: string, stampsAllowed = true) => call<Activation>("SELECT stazione_activate($1, $2, 1800, $3) AS r", [EC, nav, stampsAllowed]);

interface ReceiptCall {
  nav: string;
  amount: number;
  receiptId?: string;
  /** The EC the receipt was sent to (idPA) and the notice's EC (receipt/fiscalCode). */
  ec?: string;
  noticeEc?: string;
  version?: 1 | 2;
  outcome?: "OK" | "KO";
  standIn?: boolean;
  stationMismatch?: boolean;
  paymentDate?: Date | null;
}

interface Recorded {
  outcome: "STORED" | "DUPLICATE";
  flags?: string[];
  positionStatus?: string;
}

let receipts = 0;
function record(r: ReceiptCall): Promise<Recorded> {
  return call<Recorded>("SELECT stazione_record_receipt($1, $2, $3, $4, $5::smallint, $6, $7, $8, $9, $10, $11::jsonb, $12) AS r", [
    r.ec ?? EC,
    r.receiptId ?? `receipt-${++receipts}`,
    r.nav,
    r.noticeEc ?? r.ec ?? EC,
    r.version ?? 2,
    r.outcome ?? "OK",
    r.amount,
    r.paymentDate === undefined ? new Date() : r.paymentDate,
    r.standIn ?? false,
    r.stationMismatch ?? false,
    JSON.stringify({ paymentMethod: "CP", PSPCompanyName: "PSP", fee: 100 }),
    "<raw/>",
  ]);
}

async function optionRow(id: number) {
  const [row] = await (await testDatabase()).query<{ status: string; lockUntil: Date | null; idReceipt: string | null; positionStatus: string }>(
    `SELECT o.status, o.lock_until AS "lockUntil", o.id_receipt AS "idReceipt", p.status AS "positionStatus"
       FROM payment_option o JOIN payment_position p ON p.id = o.payment_position_id WHERE o.id = $1`,
    [id],
  );
  return row!;
}

const seen = { states: new Set<string>(), flags: new Set<string>() };

describe("the payment functions, called by name", () => {
  beforeEach(resetDatabase);

  describe("stazione_position_status", () => {
    const rows: Array<[string, Date | null, boolean, Date, string]> = [
      ["DRAFT", null, true, PAST, "DRAFT"],
      ["PUBLISHED", FUTURE, false, FUTURE, "PUBLISHED"],
      ["PUBLISHED", PAST, false, FUTURE, "VALID"],
      ["PUBLISHED", null, false, FUTURE, "VALID"],
      ["PUBLISHED", PAST, true, PAST, "EXPIRED"],
      ["VALID", null, false, FUTURE, "VALID"],
      ["VALID", null, false, PAST, "VALID"],
      ["VALID", null, true, PAST, "EXPIRED"],
      ["VALID", null, true, FUTURE, "VALID"],
      ["PARTIALLY_PAID", null, true, PAST, "PARTIALLY_PAID"],
      ["PAID", null, true, PAST, "PAID"],
      ["INVALID", null, true, PAST, "INVALID"],
      ["REPORTED", null, true, PAST, "REPORTED"],
      ["EXPIRED", null, false, FUTURE, "EXPIRED"],
    ];
    for (const [status, validity, switchToExpired, maxDue, expected] of rows) {
      it(`reads ${status} (validity ${validity === null ? "none" : validity === PAST ? "past" : "future"}, ${switchToExpired ? "expiring" : "not expiring"}, last due date ${maxDue === PAST ? "past" : "future"}) as ${expected}`, async () => {
        expect(await call("SELECT stazione_position_status($1, $2, $3, $4, $5) AS r", [status, validity, switchToExpired, maxDue, NOW])).to.equal(expected);
      });
    }
  });

  describe("stazione_notice_state", () => {
    // position status as read, expiring, option status, due date, validity of its plan (null: none),
    // blocker paid (null: no blocker) -> state
    const rows: Array<[string, boolean, string, Date, Date | null, boolean | null, string]> = [
      ["INVALID", false, "PO_UNPAID", FUTURE, null, null, "CANCELLED"],
      ["EXPIRED", true, "PO_UNPAID", PAST, null, null, "EXPIRED"],
      ["PAID", false, "PO_PAID", FUTURE, null, null, "PAID"],
      ["REPORTED", false, "PO_REPORTED", FUTURE, null, null, "PAID"],
      ["DRAFT", false, "PO_UNPAID", FUTURE, null, null, "UNKNOWN"],
      ["PUBLISHED", false, "PO_UNPAID", FUTURE, null, null, "UNKNOWN"],
      ["VALID", false, "PO_PAID", FUTURE, null, null, "PAID"],
      ["VALID", true, "PO_UNPAID", PAST, null, null, "EXPIRED"],
      ["VALID", false, "PO_UNPAID", PAST, null, null, "OK"],
      ["VALID", false, "PO_UNPAID", FUTURE, null, true, "PAID"],
      ["VALID", false, "PO_UNPAID", FUTURE, null, false, "IN_PROGRESS"],
      ["PARTIALLY_PAID", false, "PO_UNPAID", FUTURE, null, null, "OK"],
      ["VALID", false, "PO_UNPAID", FUTURE, null, null, "OK"],
      ["VALID", false, "PO_UNPAID", FUTURE, PAST, null, "OK"],
      // a plan valid only later than the position (v3: the position is VALID from its earliest plan's date)
      ["VALID", false, "PO_UNPAID", FUTURE, FUTURE, null, "UNKNOWN"],
      ["PARTIALLY_PAID", false, "PO_UNPAID", FUTURE, FUTURE, null, "UNKNOWN"],
      ["VALID", false, "PO_PAID", FUTURE, FUTURE, null, "PAID"],
      ["INVALID", false, "PO_UNPAID", FUTURE, FUTURE, null, "CANCELLED"],
    ];
    const when = (d: Date | null) => (d === null ? "none" : d === PAST ? "past" : "future");
    for (const [position, switchToExpired, option, due, validFrom, blockerPaid, expected] of rows) {
      it(`answers ${expected} for a ${option} option of a ${position} position (${switchToExpired ? "expiring" : "not expiring"}, due ${when(due)}, plan valid from ${when(validFrom)}, blocker ${blockerPaid === null ? "none" : blockerPaid ? "paid" : "in progress"})`, async () => {
        const state = await call<string>("SELECT stazione_notice_state($1, $2, $3, $4, $5, $6, $7) AS r", [position, switchToExpired, option, due, validFrom, blockerPaid, NOW]);
        seen.states.add(state);
        expect(state).to.equal(expected);
      });
    }
  });

  describe("stazione_blocker", () => {
    const blocker = (s: Seeded, i: number) =>
      call<{ nav: string; paid: boolean } | null>("SELECT (SELECT to_jsonb(b) FROM stazione_blocker($1, $2, $3, now()) b) AS r", [s.positionId, s.options[i]!.id, s.options[i]!.plan]);

    it("names nothing for a single option, nor for an installment while another installment is locked", async () => {
      const single = await seed("valid");
      expect(await blocker(single, 0)).to.equal(null);
      const plan = await seed("valid", shapes.plan());
      await activate(plan.options[1]!.nav);
      expect(await blocker(plan, 2)).to.equal(null);
    });

    it("names the locked installment for the single payment, and the locked single payment for an installment", async () => {
      const plan = await seed("valid", shapes.plan());
      await activate(plan.options[1]!.nav);
      expect(await blocker(plan, 0)).to.deep.equal({ nav: plan.options[1]!.nav, paid: false });
      const other = await seed("valid", shapes.plan());
      await activate(other.options[0]!.nav);
      expect(await blocker(other, 2)).to.deep.equal({ nav: other.options[0]!.nav, paid: false });
    });

    it("names a paid option before a locked one", async () => {
      const plan = await seed("valid", shapes.plan());
      await activate(plan.options[1]!.nav);
      await record({ nav: plan.options[2]!.nav, amount: plan.options[2]!.amount });
      expect(await blocker(plan, 0)).to.deep.equal({ nav: plan.options[2]!.nav, paid: true });
    });

    it("ignores a lock that has run out", async () => {
      const plan = await seed("valid", shapes.plan());
      await activate(plan.options[1]!.nav);
      await (await testDatabase()).query("UPDATE payment_option SET lock_until = now() - interval '1 second' WHERE id = $1", [plan.options[1]!.id]);
      expect(await blocker(plan, 0)).to.equal(null);
    });
  });

  describe("stazione_activate", () => {
    interface Row {
      name: string;
      state: PositionState;
      shape?: keyof typeof shapes;
      /** Which option to activate (default 0) and what happens first. */
      option?: number;
      before?: (s: Seeded) => Promise<unknown>;
      stampsAllowed?: boolean;
      expected: string;
      blocker?: number;
    }
    const rows: Row[] = [
      { name: "a draft", state: "draft", expected: "UNKNOWN" },
      { name: "a published position not yet valid", state: "publishedNotYetValid", expected: "UNKNOWN" },
      { name: "a valid position", state: "valid", expected: "OK" },
      { name: "an expired position", state: "expired", expected: "EXPIRED" },
      { name: "an invalidated position", state: "invalid", expected: "CANCELLED" },
      { name: "a paid option", state: "valid", before: (s) => record({ nav: s.options[0]!.nav, amount: s.options[0]!.amount }), expected: "PAID" },
      { name: "an option it already locked (a repeated activation)", state: "valid", before: (s) => activate(s.options[0]!.nav), expected: "OK" },
      { name: "a plan's single payment while an installment is locked by another token", state: "valid", shape: "plan", before: (s) => activate(s.options[1]!.nav), expected: "IN_PROGRESS", blocker: 1 },
      { name: "a plan's installment while the single payment is locked", state: "valid", shape: "plan", option: 1, before: (s) => activate(s.options[0]!.nav), expected: "IN_PROGRESS", blocker: 0 },
      { name: "a plan's installment while another installment is locked", state: "valid", shape: "plan", option: 2, before: (s) => activate(s.options[1]!.nav), expected: "OK" },
      { name: "a plan's installment once the single payment is paid", state: "valid", shape: "plan", option: 1, before: (s) => record({ nav: s.options[0]!.nav, amount: s.options[0]!.amount }), expected: "PAID", blocker: 0 },
      { name: "a plan's single payment once an installment is paid", state: "valid", shape: "plan", before: (s) => record({ nav: s.options[2]!.nav, amount: s.options[2]!.amount }), expected: "PAID", blocker: 2 },
      { name: "an installment of a partly paid plan", state: "valid", shape: "plan", option: 2, before: (s) => record({ nav: s.options[1]!.nav, amount: s.options[1]!.amount }), expected: "OK" },
      { name: "an @e.bollo notice on V1", state: "valid", shape: "stamp", stampsAllowed: false, expected: "NEEDS_V2" },
      { name: "an @e.bollo notice on V2", state: "valid", shape: "stamp", expected: "OK" },
    ];
    for (const row of rows) {
      it(`answers ${row.expected} for ${row.name}${row.expected === "OK" ? " and locks it" : ", locking nothing new"}`, async () => {
        const s = await seed(row.state, shapes[row.shape ?? "single"]());
        await row.before?.(s);
        const option = s.options[row.option ?? 0]!;
        const lockBefore = (await optionRow(option.id)).lockUntil;
        const answer = await activate(option.nav, row.stampsAllowed ?? true);
        seen.states.add(answer.state);
        expect(answer.state).to.equal(row.expected);
        expect(answer.blocker ?? undefined).to.equal(row.blocker === undefined ? undefined : s.options[row.blocker]!.nav);
        const lockAfter = (await optionRow(option.id)).lockUntil;
        if (row.expected === "OK") {
          expect(answer.notice).to.include({ nav: option.nav, amount: option.amount });
          expect(lockAfter).to.be.instanceOf(Date);
          expect(lockAfter!.getTime()).to.be.greaterThan(Date.now() + 1700_000);
        } else {
          expect(lockAfter).to.deep.equal(lockBefore);
        }
      });
    }

    it("answers UNKNOWN for a notice number it does not hold, and for another EC's notice", async () => {
      const s = await seed("valid");
      expect(await activate("302000000000000000")).to.deep.equal({ state: "UNKNOWN" });
      expect(await call("SELECT stazione_activate($1, $2, 1800, true) AS r", [OTHER_EC, s.options[0]!.nav])).to.deep.equal({ state: "UNKNOWN" });
    });

    it("keeps the amount it froze when the lock is refreshed", async () => {
      const s = await seed("valid");
      await activate(s.options[0]!.nav);
      await (await testDatabase()).query("UPDATE payment_option SET amount = amount + 500 WHERE id = $1", [s.options[0]!.id]);
      expect((await activate(s.options[0]!.nav)).notice!.amount).to.equal(s.options[0]!.amount);
    });
  });

  describe("stazione_record_receipt", () => {
    interface Row {
      name: string;
      state: PositionState;
      shape?: keyof typeof shapes;
      option?: number;
      before?: (s: Seeded) => Promise<unknown>;
      receipt?: Partial<ReceiptCall>;
      flags: string[];
      /** The option's status and its position's stored status afterwards. */
      option_status: string;
      position_status: string;
    }
    const rows: Row[] = [
      { name: "a valid notice", state: "valid", flags: [], option_status: "PO_PAID", position_status: "PAID" },
      { name: "a valid notice, on V1", state: "valid", receipt: { version: 1 }, flags: [], option_status: "PO_PAID", position_status: "PAID" },
      { name: "a draft", state: "draft", flags: ["PAID_BEFORE_VALIDITY"], option_status: "PO_PAID", position_status: "PAID" },
      { name: "a published position not yet valid", state: "publishedNotYetValid", flags: ["PAID_BEFORE_VALIDITY"], option_status: "PO_PAID", position_status: "PAID" },
      { name: "an expired position", state: "expired", flags: ["PAID_AFTER_EXPIRY"], option_status: "PO_PAID", position_status: "PAID" },
      { name: "an invalidated position (it stays INVALID)", state: "invalid", flags: ["PAID_ON_INVALID"], option_status: "PO_PAID", position_status: "INVALID" },
      { name: "a paid option", state: "valid", before: (s) => record({ nav: s.options[0]!.nav, amount: s.options[0]!.amount }), flags: ["DOUBLE_PAYMENT"], option_status: "PO_PAID", position_status: "PAID" },
      { name: "another amount than the one answered", state: "valid", receipt: { amount: 1 }, flags: ["AMOUNT_MISMATCH"], option_status: "PO_PAID", position_status: "PAID" },
      { name: "a failed payment (outcome KO)", state: "valid", receipt: { outcome: "KO" }, flags: ["OUTCOME_KO"], option_status: "PO_UNPAID", position_status: "VALID" },
      { name: "a payment taken in Stand-In", state: "valid", receipt: { standIn: true }, flags: ["STAND_IN"], option_status: "PO_PAID", position_status: "PAID" },
      { name: "a receipt sent with another station id", state: "valid", receipt: { stationMismatch: true }, flags: ["STATION_MISMATCH"], option_status: "PO_PAID", position_status: "PAID" },
      { name: "a secondary beneficiary's copy", state: "valid", receipt: { ec: OTHER_EC, noticeEc: EC }, flags: ["SECONDARY_BENEFICIARY"], option_status: "PO_UNPAID", position_status: "VALID" },
      { name: "a plan's installment", state: "valid", shape: "plan", option: 1, flags: [], option_status: "PO_PAID", position_status: "PARTIALLY_PAID" },
      { name: "a plan's last installment", state: "valid", shape: "plan", option: 2, before: (s) => record({ nav: s.options[1]!.nav, amount: s.options[1]!.amount }), flags: [], option_status: "PO_PAID", position_status: "PAID" },
      { name: "a plan's single payment", state: "valid", shape: "plan", flags: [], option_status: "PO_PAID", position_status: "PAID" },
      { name: "a plan's single payment after an installment was paid", state: "valid", shape: "plan", before: (s) => record({ nav: s.options[1]!.nav, amount: s.options[1]!.amount }), flags: ["DOUBLE_PAYMENT"], option_status: "PO_PAID", position_status: "PAID" },
      { name: "a plan's single payment while an installment is locked by another token", state: "valid", shape: "plan", before: (s) => activate(s.options[1]!.nav), flags: [], option_status: "PO_PAID", position_status: "PAID" },
      { name: "an @e.bollo notice", state: "valid", shape: "stamp", flags: [], option_status: "PO_PAID", position_status: "PAID" },
    ];
    for (const row of rows) {
      it(`stores ${row.name} with flags [${row.flags.join(", ")}], leaving the option ${row.option_status} and the position ${row.position_status}`, async () => {
        const s = await seed(row.state, shapes[row.shape ?? "single"]());
        await row.before?.(s);
        const option = s.options[row.option ?? 0]!;
        const answer = await record({ nav: option.nav, amount: option.amount, ...row.receipt });
        for (const f of answer.flags ?? []) seen.flags.add(f);
        expect(answer.outcome).to.equal("STORED");
        expect(answer.flags).to.have.members(row.flags);
        const after = await optionRow(option.id);
        expect(after.status).to.equal(row.option_status);
        expect(after.positionStatus).to.equal(row.position_status);
        if (row.option_status === "PO_PAID") expect(after.lockUntil).to.equal(null);
      });
    }

    it("answers DUPLICATE for a receipt id it already stored, and changes nothing", async () => {
      const s = await seed("valid");
      const first = await record({ nav: s.options[0]!.nav, amount: s.options[0]!.amount, receiptId: "same" });
      expect(first.outcome).to.equal("STORED");
      const [before] = await (await testDatabase()).query("SELECT count(*) AS n FROM receipt");
      expect(await record({ nav: s.options[0]!.nav, amount: s.options[0]!.amount, receiptId: "same" })).to.deep.equal({ outcome: "DUPLICATE" });
      expect(await (await testDatabase()).query("SELECT count(*) AS n FROM receipt")).to.deep.equal([before]);
      expect((await optionRow(s.options[0]!.id)).idReceipt).to.equal("same");
    });

    it("stores a receipt for a notice it does not know, unlinked and flagged UNKNOWN_NOTICE", async () => {
      const answer = await record({ nav: "302000000000000000", amount: 100 });
      for (const f of answer.flags ?? []) seen.flags.add(f);
      expect(answer).to.deep.equal({ outcome: "STORED", flags: ["UNKNOWN_NOTICE"] });
      const [row] = await (await testDatabase()).query<{ id: number | null }>("SELECT payment_option_id AS id FROM receipt");
      expect(row!.id).to.equal(null);
    });

    it("stores the primitive version it was given", async () => {
      const a = await seed("valid");
      const b = await seed("valid");
      await record({ nav: a.options[0]!.nav, amount: a.options[0]!.amount, version: 1, receiptId: "v1" });
      await record({ nav: b.options[0]!.nav, amount: b.options[0]!.amount, version: 2, receiptId: "v2" });
      expect(await (await testDatabase()).query("SELECT receipt_id, primitive_version FROM receipt ORDER BY receipt_id")).to.deep.equal([
        { receipt_id: "v1", primitive_version: 1 },
        { receipt_id: "v2", primitive_version: 2 },
      ]);
    });
  });

  describe("stazione_lock_notice", () => {
    it("returns the option that holds a notice number, with its position locked, and NULL for one nobody holds", async () => {
      const s = await seed("valid");
      const db = await testDatabase();
      const locked = await db.transaction(async (tx) => {
        // a row locked FOR UPDATE carries the locking transaction's id in xmax
        const mine = async () =>
          (await tx.query<{ mine: boolean }>(
            "SELECT xmax::text::bigint = pg_current_xact_id()::text::bigint % 4294967296 AS mine FROM payment_position WHERE id = $1",
            [s.positionId],
          ))[0]!.mine;
        const before = await mine();
        const [row] = await tx.query<{ r: number | null }>("SELECT stazione_lock_notice($1, $2) AS r", [EC, s.options[0]!.nav]);
        return { before, option: row!.r, after: await mine() };
      });
      expect(locked).to.deep.equal({ before: false, option: s.options[0]!.id, after: true });
      expect(await call("SELECT stazione_lock_notice($1, $2) AS r", [EC, "302000000000000000"])).to.equal(null);
      expect(await call("SELECT stazione_lock_notice($1, $2) AS r", [OTHER_EC, s.options[0]!.nav])).to.equal(null);
    });
  });

  describe("stazione_lock_notice_numbers", () => {
    it("takes the advisory locks of the buckets of the notice numbers, shared or exclusive", async () => {
      const db = await testDatabase();
      for (const exclusive of [false, true]) {
        const modes = await db.transaction(async (tx) => {
          await tx.query("SELECT stazione_lock_notice_numbers($1, $2::text[], $3)", [EC, ["302000000000000001", "302000000000000002", "302000000000000001"], exclusive]);
          return (await tx.query<{ mode: string }>("SELECT mode FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")).map((r) => r.mode);
        });
        expect(modes.length).to.be.within(1, 2);
        for (const mode of modes) expect(mode).to.equal(exclusive ? "ExclusiveLock" : "ShareLock");
      }
    });
  });

  describe("stazione_receipt_flags and stazione_pay_option, judged by the payment", () => {
    const flags = (s: Seeded, amount: number, paidAt: Date) =>
      call<string[]>("SELECT stazione_receipt_flags($1, $2, $3, now()) AS r", [s.options[0]!.id, amount, paidAt]);

    it("flags PAID_AFTER_EXPIRY only for a payment made after the due date, whenever it is delivered", async () => {
      const s = await seed("expired");
      const [{ due }] = (await (await testDatabase()).query<{ due: Date }>("SELECT due_date AS due FROM payment_option WHERE id = $1", [s.options[0]!.id])) as [{ due: Date }];
      expect(await flags(s, s.options[0]!.amount, new Date(due.getTime() - 1000))).to.deep.equal([]);
      expect(await flags(s, s.options[0]!.amount, new Date(due.getTime() + 1000))).to.deep.equal(["PAID_AFTER_EXPIRY"]);
      // the same once the scheduler has stored the expiry
      await call("SELECT to_jsonb(x) AS r FROM stazione_advance_positions(now(), 100) x", []);
      expect((await optionRow(s.options[0]!.id)).positionStatus).to.equal("EXPIRED");
      expect(await flags(s, s.options[0]!.amount, new Date(due.getTime() - 1000))).to.deep.equal([]);
      expect(await flags(s, s.options[0]!.amount, new Date(due.getTime() + 1000))).to.deep.equal(["PAID_AFTER_EXPIRY"]);
    });

    it("flags PAID_BEFORE_VALIDITY for a payment made before the validity date", async () => {
      const s = await seed("publishedNotYetValid");
      expect(await flags(s, s.options[0]!.amount, new Date())).to.deep.equal(["PAID_BEFORE_VALIDITY"]);
      expect(await flags(s, s.options[0]!.amount, new Date("2098-06-01T00:00:00Z"))).to.deep.equal([]);
      // the same once the scheduler has stored the position VALID at its validity date
      await call("SELECT to_jsonb(x) AS r FROM stazione_advance_positions('2098-06-01T00:00:00Z', 100) x", []);
      expect((await optionRow(s.options[0]!.id)).positionStatus).to.equal("VALID");
      expect(await flags(s, s.options[0]!.amount, new Date())).to.deep.equal(["PAID_BEFORE_VALIDITY"]);
      expect(await flags(s, s.options[0]!.amount, new Date("2098-06-01T00:00:00Z"))).to.deep.equal([]);
    });

    it("flags AMOUNT_MISMATCH against the amount an activation froze", async () => {
      const s = await seed("valid");
      await activate(s.options[0]!.nav);
      await (await testDatabase()).query("UPDATE payment_option SET amount = amount + 1 WHERE id = $1", [s.options[0]!.id]);
      expect(await flags(s, s.options[0]!.amount, new Date())).to.deep.equal([]);
      expect(await flags(s, s.options[0]!.amount + 1, new Date())).to.deep.equal(["AMOUNT_MISMATCH"]);
    });

    it("a receipt for a notice due on a date alone is on time all that day in Rome, late from the next", async () => {
      const dueOnDate = () => {
        const input = shapes.single();
        return { ...input, switchToExpired: true, paymentOption: [{ ...input.paymentOption[0]!, dueDate: "2026-12-31" }] };
      };
      const late = await seed("valid", dueOnDate());
      const [{ due }] = (await (await testDatabase()).query<{ due: Date }>("SELECT due_date AS due FROM payment_option WHERE id = $1", [late.options[0]!.id])) as [{ due: Date }];
      expect(due.toISOString()).to.equal("2026-12-31T22:59:59.999Z");
      const paidLate = await record({ nav: late.options[0]!.nav, amount: late.options[0]!.amount, paymentDate: new Date("2027-01-01T00:30:00+01:00") });
      expect(paidLate.flags).to.deep.equal(["PAID_AFTER_EXPIRY"]);
      const onTime = await seed("valid", dueOnDate());
      const paidOnTime = await record({ nav: onTime.options[0]!.nav, amount: onTime.options[0]!.amount, paymentDate: new Date("2026-12-31T23:30:00+01:00") });
      expect(paidOnTime.flags).to.deep.equal([]);
    });

    it("stazione_pay_option pays the option once and makes the position follow", async () => {
      const s = await seed("valid", shapes.plan());
      const pay = (i: number, id: string) =>
        call<{ iupd: string; position_status: string; position_id: number }>(
          "SELECT to_jsonb(x) - 'payment_event' AS r FROM stazione_pay_option($1, $2, now(), '{}'::jsonb, now()) x",
          [s.options[i]!.id, id],
        );
      const position = { iupd: s.iupd, position_id: Number(s.positionId) };
      expect(await pay(1, "a")).to.deep.equal({ ...position, position_status: "PARTIALLY_PAID" });
      expect(await pay(1, "b")).to.deep.equal({ ...position, position_status: "PARTIALLY_PAID" });
      expect((await optionRow(s.options[1]!.id)).idReceipt).to.equal("a");
      expect(await pay(2, "c")).to.deep.equal({ ...position, position_status: "PAID" });
    });
  });

  describe("stazione_report_transfer", () => {
    const report = (s: Seeded, i: number, idTransfer: string) =>
      call<{ outcome: string }>("SELECT jsonb_build_object('outcome', outcome) AS r FROM stazione_report_transfer($1, $2, $3, now())", [EC, s.options[i]!.nav.slice(1), idTransfer]);
    const pay = (s: Seeded, i: number) => call<unknown>("SELECT to_jsonb(x) AS r FROM stazione_pay_option($1, 'r', now(), '{}'::jsonb, now()) x", [s.options[i]!.id]);
    const statuses = async (s: Seeded) =>
      (await (await testDatabase()).query<{ position: string; options: string[]; transfers: string[] }>(
        `SELECT p.status AS position,
                (SELECT array_agg(o.status ORDER BY o.id) FROM payment_option o WHERE o.payment_position_id = p.id) AS options,
                (SELECT array_agg(t.status ORDER BY t.id) FROM payment_option o JOIN transfer t ON t.payment_option_id = o.id WHERE o.payment_position_id = p.id) AS transfers
           FROM payment_position p WHERE p.id = $1`,
        [s.positionId],
      ))[0]!;

    it("refuses a transfer of an unpaid option, answers NOT_FOUND for an unknown one, and changes nothing", async () => {
      const s = await seed("valid", shapes.stamp());
      expect(await report(s, 0, "1")).to.deep.equal({ outcome: "NOT_ACCOUNTABLE" });
      expect(await report(s, 0, "3")).to.deep.equal({ outcome: "NOT_FOUND" });
      expect(await call("SELECT jsonb_build_object('outcome', outcome) AS r FROM stazione_report_transfer($1, $2, '1', now())", [OTHER_EC, s.options[0]!.nav.slice(1)])).to.deep.equal({ outcome: "NOT_FOUND" });
      expect(await statuses(s)).to.deep.equal({ position: "VALID", options: ["PO_UNPAID"], transfers: ["T_UNREPORTED", "T_UNREPORTED"] });
    });

    it("reports an option's transfers one by one: the option is partially reported, then reported, and the position with it", async () => {
      const s = await seed("valid", shapes.stamp());
      await pay(s, 0);
      expect(await report(s, 0, "2")).to.deep.equal({ outcome: "REPORTED" });
      expect(await statuses(s)).to.deep.equal({ position: "PAID", options: ["PO_PARTIALLY_REPORTED"], transfers: ["T_UNREPORTED", "T_REPORTED"] });
      expect(await report(s, 0, "2")).to.deep.equal({ outcome: "NOT_ACCOUNTABLE" });
      expect(await report(s, 0, "1")).to.deep.equal({ outcome: "REPORTED" });
      expect(await statuses(s)).to.deep.equal({ position: "REPORTED", options: ["PO_REPORTED"], transfers: ["T_REPORTED", "T_REPORTED"] });
      expect(await report(s, 0, "1")).to.deep.equal({ outcome: "NOT_ACCOUNTABLE" });
    });

    it("a plan's installments make the position REPORTED only once every installment of the plan is reported", async () => {
      const s = await seed("valid", shapes.plan());
      await pay(s, 1);
      expect(await report(s, 1, "1")).to.deep.equal({ outcome: "REPORTED" });
      expect((await statuses(s)).position).to.equal("PARTIALLY_PAID");
      await pay(s, 2);
      expect(await report(s, 2, "1")).to.deep.equal({ outcome: "REPORTED" });
      expect(await statuses(s)).to.deep.include({ position: "REPORTED", options: ["PO_UNPAID", "PO_REPORTED", "PO_REPORTED"] });
    });
  });

  describe("stazione_apply_waiting_receipts", () => {
    const apply = (navs: string[]) => call<number>("SELECT stazione_apply_waiting_receipts($1, $2::text[]) AS r", [EC, navs]);
    const receiptRow = async (receiptId: string) =>
      (await (await testDatabase()).query<{ optionId: number | null; flags: string[] }>(
        `SELECT payment_option_id AS "optionId", flags FROM receipt WHERE receipt_id = $1`,
        [receiptId],
      ))[0]!;

    it("is called by the store when a notice is loaded: the receipt that waited pays it at once", async () => {
      const input = shapes.single();
      const nav = `3${input.paymentOption[0]!.iuv}`;
      expect((await record({ nav, amount: input.paymentOption[0]!.amount, receiptId: "early" })).flags).to.deep.equal(["UNKNOWN_NOTICE"]);
      const s = await seed("valid", input);
      const after = await optionRow(s.options[0]!.id);
      expect(after.status).to.equal("PO_PAID");
      expect(after.idReceipt).to.equal("early");
      expect(after.positionStatus).to.equal("PAID");
      expect(await receiptRow("early")).to.deep.equal({ optionId: s.options[0]!.id, flags: ["UNKNOWN_NOTICE"] });
      expect(await apply([nav])).to.equal(0);
    });

    it("applies waiting receipts in the order they arrived: the second is a double payment", async () => {
      const input = shapes.single();
      const nav = `3${input.paymentOption[0]!.iuv}`;
      await record({ nav, amount: input.paymentOption[0]!.amount, receiptId: "first" });
      await record({ nav, amount: input.paymentOption[0]!.amount + 1, receiptId: "second" });
      const s = await seed("valid", input);
      expect((await optionRow(s.options[0]!.id)).idReceipt).to.equal("first");
      expect((await receiptRow("second")).flags).to.have.members(["UNKNOWN_NOTICE", "DOUBLE_PAYMENT", "AMOUNT_MISMATCH"]);
    });

    it("pays an installment of a plan loaded as a draft, flagged as paid before validity", async () => {
      const input = shapes.plan();
      const installment = input.paymentOption[1]!;
      await record({ nav: `3${installment.iuv}`, amount: installment.amount, receiptId: "rata" });
      const s = await seed("draft", input);
      const after = await optionRow(s.options[1]!.id);
      expect([after.status, after.positionStatus]).to.deep.equal(["PO_PAID", "PARTIALLY_PAID"]);
      expect((await receiptRow("rata")).flags).to.have.members(["UNKNOWN_NOTICE", "PAID_BEFORE_VALIDITY"]);
    });

    it("leaves a failed payment and a secondary beneficiary's copy alone", async () => {
      const input = shapes.single();
      const nav = `3${input.paymentOption[0]!.iuv}`;
      await record({ nav, amount: 100, receiptId: "ko", outcome: "KO" });
      await record({ nav, amount: 100, receiptId: "copy", ec: EC, noticeEc: OTHER_EC });
      const s = await seed("valid", input);
      expect((await optionRow(s.options[0]!.id)).status).to.equal("PO_UNPAID");
      expect((await receiptRow("ko")).optionId).to.equal(null);
      expect((await receiptRow("copy")).optionId).to.equal(null);
    });
  });

  describe("the names the SQL answers", () => {
    it("are exactly the NoticeState set of src/domain/states.ts", () => {
      expect([...seen.states].sort()).to.deep.equal(Object.values(NoticeState).sort());
    });

    it("are exactly the ReceiptFlag set of src/domain/states.ts", () => {
      expect([...seen.flags].sort()).to.deep.equal(Object.values(ReceiptFlag).sort());
    });
  });
});
