import { expect } from "chai";
import { loadConfig } from "../../src/config.ts";
import { DomainError } from "../../src/domain/errors.ts";
import type { PositionInput } from "../../src/domain/position.ts";
import { assertOptionPayable, assertPositionPayable, type OptionState } from "../../src/domain/payable.ts";
import type { StoredPosition } from "../../src/domain/stored.ts";
import { noticeStates, verifyNotices } from "../../src/store/payments.ts";
import { getPosition } from "../../src/store/positions.ts";
import { ADMIN_KEY, EC, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { passValidityDate, testDatabase } from "../support/db.ts";
import { makeOption, makePlan, makePosition } from "../support/factories.ts";
import { expectOk, getPaymentRequest, postSoap, receiptRequest } from "../support/soap.ts";
import { createPosition, KEY_HEADER } from "../support/rest.ts";

/**
 * The options a payment notice prints, decided by the database: positions are loaded through REST,
 * paid with receipts and locked with activations (SOAP), and the rule is read back as the service
 * reads it (getPosition + noticeStates).
 */

interface Loaded {
  iupd: string;
  navs: string[];
  options: Array<{ nav: string; iuv: string; amount: number }>;
}

async function create(t: TestApp, input: PositionInput, toPublish = true): Promise<Loaded> {
  const body = await createPosition(t, input, { toPublish });
  const options = body.paymentOption as Loaded["options"];
  return { iupd: body.iupd as string, navs: options.map((o) => o.nav), options };
}

async function pay(t: TestApp, option: Loaded["options"][number], receiptId: string): Promise<void> {
  const amount = (option.amount / 100).toFixed(2);
  expectOk(await postSoap(t, receiptRequest({ receiptId, nav: option.nav, iuv: option.iuv, amount, v2: true }), "paSendRTV2"));
}

async function activate(t: TestApp, nav: string): Promise<void> {
  expectOk(await postSoap(t, getPaymentRequest(nav, { v2: true }), "paGetPaymentV2"));
}

/** The position and the state of each of its options, read as the notice service reads them. */
async function read(iupd: string): Promise<{ position: StoredPosition; states: OptionState[] }> {
  const db = await testDatabase();
  const position = await getPosition(db, EC, iupd);
  if (!position) throw new Error(`no position ${iupd}`);
  return { position, states: await noticeStates(db, EC, iupd) };
}

async function printed(iupd: string): Promise<string[]> {
  const { position, states } = await read(iupd);
  return assertPositionPayable(position, states).map((o) => o.nav);
}

async function refusal(fn: () => unknown): Promise<DomainError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError");
}

const positionRefusal = async (iupd: string) => refusal(async () => printed(iupd));
const optionRefusal = async (iupd: string, nav: string) =>
  refusal(async () => {
    const { position, states } = await read(iupd);
    return assertOptionPayable(position, states, nav);
  });

/** What paVerifyPaymentNotice answers for each option, as noticeStates has it: one rule, one source. */
async function expectSameAsVerify(iupd: string): Promise<void> {
  const db = await testDatabase();
  const { states } = await read(iupd);
  for (const { nav, state, blocker } of states) {
    const [verify] = await verifyNotices(db, [{ ec: EC, nav }]);
    expect({ nav, state, blocker }, nav).to.deep.equal({ nav, state: verify!.state, blocker: verify!.blocker });
  }
}

describe("what a payment notice prints (payable options, decided by the database)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("reads the state of every option of a position, in the position's order", async () => {
    const { iupd, navs } = await create(t, makePlan(30000, 3));
    expect(await noticeStates(await testDatabase(), EC, iupd)).to.deep.equal(navs.map((nav) => ({ nav, state: "OK" })));
    expect(await noticeStates(await testDatabase(), EC, "NO-SUCH-IUPD")).to.deep.equal([]);
    expect(await noticeStates(await testDatabase(), OTHER_EC, iupd)).to.deep.equal([]);
  });

  it("prints the one option of a VALID position", async () => {
    const { iupd, navs } = await create(t, makePosition());
    expect(await printed(iupd)).to.deep.equal(navs);
  });

  it("prints every option of a VALID plan, single payment first", async () => {
    const { iupd, navs } = await create(t, makePlan(30000, 3));
    expect(navs).to.have.length(4);
    expect(await printed(iupd)).to.deep.equal(navs);
  });

  it("drops the single payment and the paid installments of a PARTIALLY_PAID plan", async () => {
    const { iupd, navs, options } = await create(t, makePlan(30000, 3));
    await pay(t, options[1]!, "rcpt-installment-1");
    const { position, states } = await read(iupd);
    expect(position.status).to.equal("PARTIALLY_PAID");
    expect(states).to.deep.equal([
      { nav: navs[0], state: "PAID", blocker: navs[1] },
      { nav: navs[1], state: "PAID" },
      { nav: navs[2], state: "OK" },
      { nav: navs[3], state: "OK" },
    ]);
    expect(assertPositionPayable(position, states).map((o) => o.nav)).to.deep.equal([navs[2], navs[3]]);
    expect(assertOptionPayable(position, states, navs[2]!).nav).to.equal(navs[2]);

    const single = await optionRefusal(iupd, navs[0]!);
    expect(single.code).to.equal("notPayable");
    expect(single.detail).to.include(`Notice ${navs[0]} cannot be paid since notice ${navs[1]} of the same position was paid`);
    const paid = await optionRefusal(iupd, navs[1]!);
    expect(paid.code).to.equal("notPayable");
    expect(paid.detail).to.include(`Notice ${navs[1]} is already paid`);
    await expectSameAsVerify(iupd);
  });

  it("drops options past their due date when the position expires with them", async () => {
    // the single payment and the first installment are past due, the other two are not
    const { iupd, navs } = await create(
      t,
      makePosition({
        switchToExpired: true,
        paymentOption: [
          makeOption({ amount: 30000, dueDate: "2020-01-31T10:00:00Z" }),
          makeOption({ amount: 10000, isPartialPayment: true, dueDate: "2020-02-15T10:00:00Z" }),
          makeOption({ amount: 10000, isPartialPayment: true, dueDate: "2099-03-15T10:00:00Z" }),
          makeOption({ amount: 10000, isPartialPayment: true, dueDate: "2099-04-15T10:00:00Z" }),
        ],
      }),
    );
    const { position, states } = await read(iupd);
    expect(position.status).to.equal("VALID");
    expect(states.map((s) => s.state)).to.deep.equal(["EXPIRED", "EXPIRED", "OK", "OK"]);
    expect(assertPositionPayable(position, states).map((o) => o.nav)).to.deep.equal([navs[2], navs[3]]);
    for (const nav of [navs[0]!, navs[1]!]) {
      const error = await optionRefusal(iupd, nav);
      expect(error.code).to.equal("notPayable");
      expect(error.detail).to.include(`Notice ${nav} is past its due date`);
    }
    await expectSameAsVerify(iupd);
  });

  it("keeps options past their due date when the position does not expire", async () => {
    const { iupd, navs } = await create(
      t,
      makePosition({
        switchToExpired: false,
        paymentOption: [
          makeOption({ amount: 30000, dueDate: "2020-01-31T10:00:00Z" }),
          ...[2, 3, 4].map((month) => makeOption({ amount: 10000, isPartialPayment: true, dueDate: `2020-0${month}-15T10:00:00Z` })),
        ],
      }),
    );
    expect(await printed(iupd)).to.deep.equal(navs);
  });

  it("still prints an option whose payment is in progress (a lock may end without a payment)", async () => {
    const { iupd, navs } = await create(t, makePosition());
    await activate(t, navs[0]!);
    const { position, states } = await read(iupd);
    expect(position.options[0]!.lockedUntil).to.be.a("string");
    expect(states).to.deep.equal([{ nav: navs[0], state: "OK" }]);
    expect(assertPositionPayable(position, states).map((o) => o.nav)).to.deep.equal(navs);
    expect(assertOptionPayable(position, states, navs[0]!).nav).to.equal(navs[0]);
  });

  it("still prints the options a lock on another one holds (IN_PROGRESS)", async () => {
    const { iupd, navs } = await create(t, makePlan(30000, 3));
    await activate(t, navs[0]!);
    const { position, states } = await read(iupd);
    expect(states).to.deep.equal([
      { nav: navs[0], state: "OK" },
      ...navs.slice(1).map((nav) => ({ nav, state: "IN_PROGRESS", blocker: navs[0] })),
    ]);
    expect(assertPositionPayable(position, states).map((o) => o.nav)).to.deep.equal(navs);
    expect(assertOptionPayable(position, states, navs[1]!).nav).to.equal(navs[1]);
    await expectSameAsVerify(iupd);
  });

  it("leaves out the installments of a plan valid only from a later date, naming that date, as verify does", async () => {
    const { iupd, navs } = await create(t, makePlan(30000, 2));
    await (await testDatabase()).query(
      "UPDATE payment_plan SET validity_date = '2098-01-01T00:00:00Z' WHERE id = (SELECT payment_plan_id FROM payment_option WHERE organization_fiscal_code = $1 AND nav = $2)",
      [EC, navs[1]],
    );
    expect(await printed(iupd)).to.deep.equal([navs[0]]);
    const one = await optionRefusal(iupd, navs[1]!);
    expect(one.detail).to.match(new RegExp(`^Notice ${navs[1]} is payable only from the validity date of its payment option 2098-01-01T00:00:00`));
    await expectSameAsVerify(iupd);
  });

  describe("refuses a position that cannot be paid, saying its status", () => {
    const cases: Record<string, (t: TestApp) => Promise<Loaded>> = {
      DRAFT: (t) => create(t, makePosition(), false),
      PUBLISHED: (t) => create(t, makePosition({ validityDate: "2099-01-01T00:00:00Z" })),
      INVALID: async (t) => {
        const loaded = await create(t, makePosition());
        const res = await t.http.post(`/v1/organizations/${EC}/debtpositions/${loaded.iupd}/invalidate`).set(KEY_HEADER, ADMIN_KEY);
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        return loaded;
      },
      EXPIRED: (t) => create(t, makePosition({ switchToExpired: true, paymentOption: [makeOption({ dueDate: "2020-01-31T12:00:00Z" })] })),
      PAID: async (t) => {
        const loaded = await create(t, makePosition());
        await pay(t, loaded.options[0]!, `rcpt-${loaded.iupd}`);
        return loaded;
      },
      // nothing reports a position yet (reporting is not implemented): set it as reporting would
      REPORTED: async (t) => {
        const loaded = await create(t, makePosition());
        await pay(t, loaded.options[0]!, `rcpt-${loaded.iupd}`);
        await (await testDatabase()).query("UPDATE payment_position SET status = 'REPORTED' WHERE organization_fiscal_code = $1 AND iupd = $2", [EC, loaded.iupd]);
        return loaded;
      },
    };
    const expectedState: Record<string, string> = { DRAFT: "UNKNOWN", PUBLISHED: "UNKNOWN", INVALID: "CANCELLED", EXPIRED: "EXPIRED", PAID: "PAID", REPORTED: "PAID" };

    for (const [status, load] of Object.entries(cases)) {
      it(status, async () => {
        const { iupd, navs } = await load(t);
        const { position, states } = await read(iupd);
        expect(position.status).to.equal(status);
        expect(states.map((s) => s.state)).to.deep.equal([expectedState[status]]);

        const whole = await positionRefusal(iupd);
        expect(whole.code).to.equal("notPayable");
        expect(whole.detail).to.include(`Debt position ${iupd} is ${status}`);
        const one = await optionRefusal(iupd, navs[0]!);
        expect(one.code).to.equal("notPayable");
        expect(one.detail).to.include(`Notice ${navs[0]}: debt position ${iupd} is ${status}`);
        await expectSameAsVerify(iupd);
      });
    }

    it("PUBLISHED, naming the validity date", async () => {
      const { iupd } = await create(t, makePosition({ validityDate: "2099-01-01T00:00:00Z" }));
      expect((await positionRefusal(iupd)).detail).to.match(/is PUBLISHED and payable only from its validity date 2099-01-01T00:00:00/);
    });

    it("PUBLISHED whose validity date has passed is VALID and printed", async () => {
      const { iupd, navs } = await create(t, makePosition({ validityDate: "2099-01-01T00:00:00Z" }));
      await passValidityDate(EC, iupd);
      expect(await printed(iupd)).to.deep.equal(navs);
    });
  });

  it("refuses a payable position with nothing left to pay", async () => {
    // a plan past every due date with one installment paid: PARTIALLY_PAID does not expire, its options do
    const { iupd, options } = await create(
      t,
      makePosition({
        switchToExpired: true,
        paymentOption: [
          makeOption({ amount: 30000, dueDate: "2020-01-31T10:00:00Z" }),
          ...[2, 3, 4].map((month) => makeOption({ amount: 10000, isPartialPayment: true, dueDate: `2020-0${month}-15T10:00:00Z` })),
        ],
      }),
    );
    await pay(t, options[1]!, "rcpt-late-installment");
    const { position, states } = await read(iupd);
    expect(position.status).to.equal("PARTIALLY_PAID");
    expect(states.map((s) => s.state)).to.deep.equal(["EXPIRED", "PAID", "EXPIRED", "EXPIRED"]);
    const error = await positionRefusal(iupd);
    expect(error.code).to.equal("notPayable");
    expect(error.detail).to.include(`Debt position ${iupd} has no payment option left to pay`);
    await expectSameAsVerify(iupd);
  });

  it("answers optionNotFound for a notice number that is not the position's", async () => {
    const { iupd } = await create(t, makePosition());
    expect((await optionRefusal(iupd, "302000000000000099")).code).to.equal("optionNotFound");
  });

  it("prints nothing the states do not cover (the position replaced between the two reads)", async () => {
    const { iupd, navs } = await create(t, makePlan(30000, 3));
    const { position, states } = await read(iupd);
    // the states of a replacement that kept the installments but not the single payment
    expect(assertPositionPayable(position, states.slice(1)).map((o) => o.nav)).to.deep.equal(navs.slice(1));
    const whole = await refusal(() => assertPositionPayable(position, []));
    expect(whole.code).to.equal("notPayable");
    expect(whole.detail).to.include(`Debt position ${iupd} changed while its notice was being prepared; retry`);
    expect((await refusal(() => assertOptionPayable(position, states.slice(1), navs[0]!))).detail).to.include(
      `Notice ${navs[0]}: debt position ${iupd} changed while its notice was being prepared; retry`,
    );
  });
});

describe("ORGANIZATION_CBILL", () => {
  const load = (value: string) => loadConfig({ ORGANIZATIONS: `${EC},${OTHER_EC}`, ORGANIZATION_CBILL: value });

  it("maps each EC to its CBILL code, in capitals", () => {
    expect([...load(`${EC}:ab12c, ${OTHER_EC}:ZZZZZ`).organizationCbill]).to.deep.equal([
      [EC, "AB12C"],
      [OTHER_EC, "ZZZZZ"],
    ]);
    expect(loadConfig({ ORGANIZATIONS: EC }).organizationCbill.size).to.equal(0);
  });

  for (const [value, problem] of [
    [`${EC}:ABCD`, "must be 5 letters or digits"],
    [`${EC}:AB-CD`, "must be 5 letters or digits"],
    ["12345678901:AAAAA", "fiscal code in ORGANIZATIONS"],
    ["AAAAA", "fiscal code in ORGANIZATIONS"],
  ] as const) {
    it(`refuses "${value}"`, () => {
      expect(() => load(value)).to.throw(problem);
    });
  }
});
