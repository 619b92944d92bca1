import { expect } from "chai";
import fc from "fast-check";
import { amountToCents, centsToAmount, MAX_CENTS } from "../../src/domain/money.ts";

describe("money (domain/money)", () => {
  describe("centsToAmount", () => {
    it("writes cents as a decimal with exactly two digits after the dot", () => {
      expect(centsToAmount(0)).to.equal("0.00");
      expect(centsToAmount(1)).to.equal("0.01");
      expect(centsToAmount(10)).to.equal("0.10");
      expect(centsToAmount(99)).to.equal("0.99");
      expect(centsToAmount(100)).to.equal("1.00");
      expect(centsToAmount(3000)).to.equal("30.00");
      expect(centsToAmount(12345)).to.equal("123.45");
      expect(centsToAmount(100005)).to.equal("1000.05");
    });

    it("writes the largest amount paForNode carries as 999999999.99", () => {
      expect(MAX_CENTS).to.equal(99_999_999_999);
      expect(centsToAmount(MAX_CENTS)).to.equal("999999999.99");
    });
  });

  describe("amountToCents", () => {
    it("reads wire amounts into integer cents", () => {
      expect(amountToCents("0.00")).to.equal(0);
      expect(amountToCents("0.01")).to.equal(1);
      expect(amountToCents("30.00")).to.equal(3000);
      expect(amountToCents("123.45")).to.equal(12345);
      expect(amountToCents("999999999.99")).to.equal(MAX_CENTS);
    });

    it("reads amounts whose float value is inexact without rounding errors", () => {
      // 0.29 * 100 and 1.15 * 100 are not integers in binary floating point
      expect(amountToCents("0.29")).to.equal(29);
      expect(amountToCents("1.15")).to.equal(115);
      expect(amountToCents("4.35")).to.equal(435);
    });

    it("refuses amounts without exactly two decimals", () => {
      for (const text of ["30", "30.", "30.0", "30.000", ".50"]) expect(amountToCents(text), text).to.equal(undefined);
    });

    it("refuses amounts beyond nine integer digits", () => {
      expect(amountToCents("1000000000.00")).to.equal(undefined);
    });

    it("refuses signs, separators, blanks and exponents", () => {
      for (const text of ["-1.00", "+1.00", "1,00", "1 000.00", " 1.00", "1.00 ", "1e2", "", "abc", "1.0a"]) {
        expect(amountToCents(text), JSON.stringify(text)).to.equal(undefined);
      }
    });
  });

  it("round-trips every amount from 0 to the maximum", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_CENTS }), (cents) => {
        expect(amountToCents(centsToAmount(cents))).to.equal(cents);
      }),
      { numRuns: 2000 },
    );
  });
});
