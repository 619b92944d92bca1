import { expect } from "chai";
import { DomainError, ErrorCode } from "../../src/domain/errors.ts";
import { checkDigit, type NoticeScheme } from "../../src/domain/noticeNumber.ts";
import { preparePosition, type PositionInput } from "../../src/domain/position.ts";
import { EC, OTHER_EC } from "../support/app.ts";
import { makeOption, makePlan, makePosition, makeTransfer, nextNotice } from "../support/factories.ts";

const scheme: NoticeScheme = { auxDigit: "3", segregationCodes: [] };

/** Runs preparePosition and returns the rule violation it throws. */
function violation(input: PositionInput, options: { scheme?: NoticeScheme; prefix?: string } = {}): DomainError {
  let thrown: unknown;
  try {
    preparePosition(input, EC, options.scheme ?? scheme, options.prefix);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, "preparePosition should throw").to.be.instanceOf(DomainError);
  const error = thrown as DomainError;
  expect(error.code).to.equal(ErrorCode.ruleViolation);
  return error;
}

const stamp = { hashDocument: "ZGlnZXN0LW9mLXRoZS1kb2N1bWVudA==", stampType: "01", provincialResidence: "RM" };

/** A NAV with a check digit one off the right one. */
function wrongCheckDigit(nav: string): string {
  return `${nav.slice(0, 16)}${String((Number(checkDigit(nav.slice(0, 16))) + 1) % 93).padStart(2, "0")}`;
}

describe("preparePosition (domain/position)", () => {
  describe("a valid position", () => {
    it("derives the notice number as aux digit + IUV when none is given", () => {
      const input = makePosition();
      const prepared = preparePosition(input, EC, scheme);
      expect(prepared.options[0]!.nav).to.equal(`3${input.paymentOption[0]!.iuv}`);
    });

    it("keeps a notice number given with the option", () => {
      const { iuv, nav } = nextNotice();
      const prepared = preparePosition(makePosition({ paymentOption: [makeOption({ iuv, nav })] }), EC, scheme);
      expect(prepared.options[0]!.nav).to.equal(nav);
    });

    it("derives an aux digit 0 notice number with the application code", () => {
      const aux0: NoticeScheme = { auxDigit: "0", applicationCode: "01", segregationCodes: [] };
      const prepared = preparePosition(makePosition({ paymentOption: [makeOption({ iuv: "000000005432149" })] }), EC, aux0);
      expect(prepared.options[0]!.nav).to.equal("001000000005432149");
    });

    it("makes the position's EC the beneficiary of transfers that name none, and keeps the ones that do", () => {
      const option = makeOption({ amount: 300, transfer: [makeTransfer({ amount: 100, organizationFiscalCode: undefined }), makeTransfer({ idTransfer: "2", amount: 200, organizationFiscalCode: OTHER_EC })] });
      const prepared = preparePosition(makePosition({ paymentOption: [option] }), EC, scheme);
      expect(prepared.options[0]!.transfers.map((t) => t.organizationFiscalCode)).to.deep.equal([EC, OTHER_EC]);
    });

    it("turns dates into instants, zone-less ones in Europe/Rome time", () => {
      const option = makeOption({ dueDate: "2099-07-01T12:00:00", retentionDate: "2099-08-01T00:00:00Z" });
      const prepared = preparePosition(makePosition({ validityDate: "2099-01-01", paymentOption: [option] }), EC, scheme);
      expect(prepared.validityDate!.toISOString()).to.equal("2098-12-31T23:00:00.000Z");
      expect(prepared.options[0]!.dueDate.toISOString()).to.equal("2099-07-01T10:00:00.000Z");
      expect(prepared.options[0]!.retentionDate!.toISOString()).to.equal("2099-08-01T00:00:00.000Z");
    });

    it("fills the defaults: empty metadata, payStandIn true, no validity date", () => {
      const prepared = preparePosition(makePosition(), EC, scheme);
      expect(prepared.payStandIn).to.equal(true);
      expect(prepared.validityDate).to.equal(undefined);
      expect(prepared.options[0]!.metadata).to.deep.equal([]);
      expect(prepared.options[0]!.transfers[0]!.metadata).to.deep.equal([]);
      expect(prepared.options[0]!.retentionDate).to.equal(undefined);
    });

    it("keeps payStandIn false when asked", () => {
      expect(preparePosition(makePosition({ payStandIn: false }), EC, scheme).payStandIn).to.equal(false);
    });

    it("keeps only debtor fields in the debtor", () => {
      const prepared = preparePosition(makePosition({ streetName: "Via Roma", phone: "+39061234567" }), EC, scheme);
      expect(prepared.debtor).to.deep.equal({
        type: "F",
        fiscalCode: "RSSMRA80A01H501U",
        fullName: "Mario Rossi",
        streetName: "Via Roma",
        city: "Roma",
        country: "IT",
        email: "mario.rossi@example.org",
        phone: "+39061234567",
      });
      expect(prepared.organizationFiscalCode).to.equal(EC);
    });

    it("accepts a transfer with a revenue stamp instead of an iban", () => {
      const option = makeOption({ amount: 1600, transfer: [makeTransfer({ amount: 1600, iban: undefined, stamp })] });
      const prepared = preparePosition(makePosition({ paymentOption: [option] }), EC, scheme);
      expect(prepared.options[0]!.transfers[0]!.stamp).to.deep.equal(stamp);
    });

    it("accepts a postal iban beside an iban", () => {
      const option = makeOption({ transfer: [makeTransfer({ postalIban: "IT60X0760103200000000123456" })] });
      expect(preparePosition(makePosition({ paymentOption: [option] }), EC, scheme).options[0]!.transfers[0]!.postalIban).to.equal("IT60X0760103200000000123456");
    });

    it("accepts a plan: a single payment and two or more installments", () => {
      const prepared = preparePosition(makePlan(30000, 3), EC, scheme);
      expect(prepared.options.map((o) => o.isPartialPayment)).to.deep.equal([false, true, true, true]);
    });

    it("accepts a retention date equal to the due date and a due date equal to the validity date", () => {
      const option = makeOption({ dueDate: "2099-06-01T00:00:00Z", retentionDate: "2099-06-01T02:00:00+02:00" });
      expect(() => preparePosition(makePosition({ validityDate: "2099-06-01T00:00:00Z", paymentOption: [option] }), EC, scheme)).not.to.throw();
    });
  });

  describe("rules beyond the JSON Schema", () => {
    it("refuses an option whose transfers do not add up to its amount", () => {
      const option = makeOption({ amount: 10000, transfer: [makeTransfer({ amount: 6000 }), makeTransfer({ idTransfer: "2", amount: 3000 })] });
      const error = violation(makePosition({ paymentOption: [option] }));
      expect(error.field).to.equal("paymentOption[0].amount");
      expect(error.detail).to.equal("paymentOption[0].amount is 10000 cents but its transfers add up to 9000");
    });

    it("refuses repeated transfer ids within an option", () => {
      const option = makeOption({ amount: 200, transfer: [makeTransfer({ amount: 100 }), makeTransfer({ amount: 100 })] });
      expect(violation(makePosition({ paymentOption: [option] })).field).to.equal("paymentOption[0].transfer[1].idTransfer");
    });

    it("refuses a transfer with both an iban and a stamp", () => {
      const option = makeOption({ transfer: [makeTransfer({ stamp })] });
      const error = violation(makePosition({ paymentOption: [option] }));
      expect(error.field).to.equal("paymentOption[0].transfer[0]");
      expect(error.detail).to.match(/exactly one of iban and stamp/);
    });

    it("refuses a transfer with neither an iban nor a stamp", () => {
      const option = makeOption({ transfer: [makeTransfer({ iban: undefined })] });
      expect(violation(makePosition({ paymentOption: [option] })).field).to.equal("paymentOption[0].transfer[0]");
    });

    it("refuses a postal iban beside a stamp", () => {
      const option = makeOption({ transfer: [makeTransfer({ iban: undefined, stamp, postalIban: "IT60X0760103200000000123456" })] });
      expect(violation(makePosition({ paymentOption: [option] })).field).to.equal("paymentOption[0].transfer[0].postalIban");
    });

    it("refuses repeated keys in transfer metadata", () => {
      const transfer = makeTransfer({ transferMetadata: [{ key: "a", value: "1" }, { key: "b", value: "2" }, { key: "a", value: "3" }] });
      const error = violation(makePosition({ paymentOption: [makeOption({ transfer: [transfer] })] }));
      expect(error.field).to.equal("paymentOption[0].transfer[0].transferMetadata[2].key");
    });

    it("refuses repeated keys in payment option metadata", () => {
      const option = makeOption({ paymentOptionMetadata: [{ key: "k", value: "1" }, { key: "k", value: "2" }] });
      expect(violation(makePosition({ paymentOption: [option] })).field).to.equal("paymentOption[0].paymentOptionMetadata[1].key");
    });

    it("accepts the same key in the metadata of different transfers and options", () => {
      const metadata = [{ key: "k", value: "v" }];
      const option = makeOption({ amount: 200, paymentOptionMetadata: metadata, transfer: [makeTransfer({ amount: 100, transferMetadata: metadata }), makeTransfer({ idTransfer: "2", amount: 100, transferMetadata: metadata })] });
      expect(() => preparePosition(makePosition({ paymentOption: [option] }), EC, scheme)).not.to.throw();
    });

    it("refuses a plan with a single installment", () => {
      const input = makePosition({ paymentOption: [makeOption(), makeOption({ isPartialPayment: true })] });
      const error = violation(input);
      expect(error.field).to.equal("paymentOption[1].isPartialPayment");
      expect(error.detail).to.match(/at least two installments/);
    });

    it("refuses a position whose only option is an installment", () => {
      expect(violation(makePosition({ paymentOption: [makeOption({ isPartialPayment: true })] })).field).to.equal("paymentOption[0].isPartialPayment");
    });

    it("refuses the same IUV twice in one position", () => {
      const first = makeOption();
      const input = makePosition({ paymentOption: [first, makeOption({ iuv: first.iuv })] });
      const error = violation(input);
      expect(error.field).to.equal("paymentOption[1].iuv");
      expect(error.detail).to.match(new RegExp(`repeats the IUV ${first.iuv}`));
    });

    it("refuses the same notice number twice in one position, even when given explicitly", () => {
      const { iuv, nav } = nextNotice();
      const input = makePosition({ paymentOption: [makeOption({ iuv, nav }), makeOption({ iuv, nav })] });
      // a notice number carries its IUV, so the repetition shows first on the IUV
      expect(violation(input).field).to.equal("paymentOption[1].iuv");
    });

    it("refuses a retention date before the due date", () => {
      const option = makeOption({ dueDate: "2099-06-01T00:00:00Z", retentionDate: "2099-05-31T23:59:59Z" });
      expect(violation(makePosition({ paymentOption: [option] })).field).to.equal("paymentOption[0].retentionDate");
    });

    it("refuses a due date before the position's validity date", () => {
      const input = makePosition({ validityDate: "2099-06-01T00:00:00Z", paymentOption: [makeOption(), makeOption({ dueDate: "2099-05-31T00:00:00Z" })] });
      expect(violation(input).field).to.equal("paymentOption[1].dueDate");
    });

    it("refuses a due date that is not a real date", () => {
      expect(violation(makePosition({ paymentOption: [makeOption({ dueDate: "2099-02-30T00:00:00Z" })] })).field).to.equal("paymentOption[0].dueDate");
    });

    it("refuses a retention date that is not a real date", () => {
      expect(violation(makePosition({ paymentOption: [makeOption({ retentionDate: "2099-12-31T25:00:00Z" })] })).field).to.equal("paymentOption[0].retentionDate");
    });

    it("refuses a validity date that is not a real date", () => {
      expect(violation(makePosition({ validityDate: "2099-13-01" })).field).to.equal("validityDate");
    });

    it("refuses an IUV with a wrong check digit, on the IUV when the notice number is derived", () => {
      const { iuv } = nextNotice();
      const bad = wrongCheckDigit(`3${iuv}`).slice(1);
      const error = violation(makePosition({ paymentOption: [makeOption({ iuv: bad })] }));
      expect(error.field).to.equal("paymentOption[0].iuv");
      expect(error.detail).to.match(/wrong check digit/);
    });

    it("refuses a notice number with a wrong check digit, on the notice number when it is given", () => {
      const { nav } = nextNotice();
      const badNav = wrongCheckDigit(nav);
      const error = violation(makePosition({ paymentOption: [makeOption({ iuv: badNav.slice(1), nav: badNav })] }));
      expect(error.field).to.equal("paymentOption[0].nav");
      expect(error.detail).to.match(/wrong check digit/);
    });

    it("refuses a notice number that does not carry the IUV", () => {
      const one = nextNotice();
      const other = nextNotice();
      const error = violation(makePosition({ paymentOption: [makeOption({ iuv: one.iuv, nav: other.nav })] }));
      expect(error.field).to.equal("paymentOption[0].nav");
      expect(error.detail).to.match(new RegExp(`does not carry the IUV ${one.iuv}`));
    });

    it("refuses a notice number with an aux digit that does not exist", () => {
      const { iuv } = nextNotice();
      expect(violation(makePosition({ paymentOption: [makeOption({ iuv, nav: `4${iuv}` })] })).field).to.equal("paymentOption[0].nav");
    });

    it("refuses an IUV of the wrong length for the aux digit", () => {
      const aux0: NoticeScheme = { auxDigit: "0", applicationCode: "01", segregationCodes: [] };
      // a 17-digit IUV is right for aux digit 3 but not for aux digit 0
      const error = violation(makePosition(), { scheme: aux0 });
      expect(error.field).to.equal("paymentOption[0].iuv");
      expect(error.detail).to.match(/must be 15 digits/);
    });

    it("refuses an IUV outside the configured segregation codes", () => {
      const segregated: NoticeScheme = { auxDigit: "3", segregationCodes: ["47"] };
      // the factories issue IUVs with segregation code 02
      const error = violation(makePosition(), { scheme: segregated });
      expect(error.field).to.equal("paymentOption[0].iuv");
      expect(error.detail).to.match(/segregation codes 47/);
    });

    it("refuses the Stand-In probe notice number", () => {
      const aux0: NoticeScheme = { auxDigit: "0", applicationCode: "00", segregationCodes: [] };
      const error = violation(makePosition({ paymentOption: [makeOption({ iuv: "000000000000000" })] }), { scheme: aux0 });
      expect(error.field).to.equal("paymentOption[0].iuv");
    });
  });

  describe("field paths", () => {
    it("start with the bulk prefix when one is given", () => {
      const option = makeOption({ amount: 10000, transfer: [makeTransfer({ amount: 5000 })] });
      const error = violation(makePosition({ paymentOption: [makeOption(), option] }), { prefix: "paymentPositions[3]." });
      expect(error.field).to.equal("paymentPositions[3].paymentOption[1].amount");
      expect(error.detail).to.match(/^paymentPositions\[3\]\.paymentOption\[1\]\.amount /);
    });

    it("carry the bulk prefix for position-level and plan-level rules too", () => {
      expect(violation(makePosition({ validityDate: "2099-02-30" }), { prefix: "paymentPositions[0]." }).field).to.equal("paymentPositions[0].validityDate");
      const single = makePosition({ paymentOption: [makeOption({ isPartialPayment: true })] });
      expect(violation(single, { prefix: "paymentPositions[7]." }).field).to.equal("paymentPositions[7].paymentOption[0].isPartialPayment");
      const first = makeOption();
      const repeated = makePosition({ paymentOption: [first, makeOption({ iuv: first.iuv })] });
      expect(violation(repeated, { prefix: "paymentPositions[2]." }).field).to.equal("paymentPositions[2].paymentOption[1].iuv");
    });

    it("name the deepest element at fault", () => {
      const transfer = makeTransfer({ idTransfer: "3", transferMetadata: [{ key: "x", value: "1" }, { key: "x", value: "2" }] });
      const option = makeOption({ amount: 200, transfer: [makeTransfer({ amount: 100 }), { ...transfer, amount: 100 }] });
      const error = violation(makePosition({ paymentOption: [makeOption(), makeOption(), option] }), { prefix: "paymentPositions[1]." });
      expect(error.field).to.equal("paymentPositions[1].paymentOption[2].transfer[1].transferMetadata[1].key");
    });
  });
});
