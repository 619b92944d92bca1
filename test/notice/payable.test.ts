import { expect } from "chai";
import { loadConfig } from "../../src/config.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { assertOptionPayable, assertPositionPayable, payableOptions } from "../../src/domain/payable.ts";
import { EC, OTHER_EC } from "../support/app.ts";
import { storedOption, storedPlan, storedPosition } from "./support.ts";

const NOW = new Date("2099-03-01T00:00:00Z");

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError");
}

describe("what a payment notice prints (payable options)", () => {
  it("prints every option of a VALID plan, single payment first", () => {
    const position = storedPlan(30000, 3);
    expect(assertPositionPayable(position, NOW).map((o) => o.nav)).to.deep.equal(position.options.map((o) => o.nav));
  });

  it("drops the single payment and the paid installments of a PARTIALLY_PAID plan", () => {
    const position = storedPlan(30000, 3, { status: "PARTIALLY_PAID" });
    position.options[1]!.status = "PO_PAID";
    expect(payableOptions(position, NOW).map((o) => o.nav)).to.deep.equal([position.options[2]!.nav, position.options[3]!.nav]);
    const single = refusal(() => assertOptionPayable(position, position.options[0]!.nav, NOW));
    expect(single.code).to.equal("notPayable");
    expect(single.detail).to.include(`notice ${position.options[1]!.nav} of the same position was paid`);
    expect(refusal(() => assertOptionPayable(position, position.options[1]!.nav, NOW)).detail).to.include("already paid");
  });

  it("drops installments past their due date when the position expires with them", () => {
    const position = storedPlan(30000, 3, { switchToExpired: true });
    // the single payment falls due on 31/01/2099, the installments on 15/02, 15/03 and 15/04: on 01/03 two are left
    expect(payableOptions(position, NOW).map((o) => o.nav)).to.deep.equal([position.options[2]!.nav, position.options[3]!.nav]);
    expect(refusal(() => assertOptionPayable(position, position.options[0]!.nav, NOW)).detail).to.include("past its due date");
    expect(refusal(() => assertOptionPayable(position, position.options[1]!.nav, NOW)).detail).to.include("past its due date");
  });

  it("keeps options past their due date when the position does not expire", () => {
    const position = storedPlan(30000, 3);
    expect(payableOptions(position, new Date("2100-01-01T00:00:00Z"))).to.have.length(4);
  });

  it("still prints an option whose payment is in progress (a lock may end without a payment)", () => {
    const option = storedOption({ lockedUntil: "2099-03-01T00:30:00Z" });
    expect(assertPositionPayable(storedPosition({ options: [option] }), NOW)).to.have.length(1);
  });

  for (const status of ["DRAFT", "PUBLISHED", "INVALID", "EXPIRED", "PAID", "REPORTED"] as const) {
    it(`refuses a ${status} position, saying so`, () => {
      const error = refusal(() => assertPositionPayable(storedPosition({ status }), NOW));
      expect(error.code).to.equal("notPayable");
      expect(error.detail).to.include(`is ${status}`);
    });
  }

  it("refuses a payable position with nothing left to pay", () => {
    const position = storedPlan(30000, 3, { status: "PARTIALLY_PAID", switchToExpired: true });
    position.options[1]!.status = "PO_PAID";
    const error = refusal(() => assertPositionPayable(position, new Date("2099-05-01T00:00:00Z")));
    expect(error.detail).to.include("has no payment option left to pay");
  });

  it("answers optionNotFound for a notice number that is not the position's", () => {
    expect(refusal(() => assertOptionPayable(storedPosition(), "302000000000000099", NOW)).code).to.equal("optionNotFound");
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
