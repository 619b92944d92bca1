import { expect } from "chai";
import fc from "fast-check";
import {
  checkDigit,
  formatNoticeCode,
  iuvOfNav,
  iuvProblem,
  iuvWithCheckDigit,
  navOfIuv,
  noticeNumberProblem,
  STAND_IN_PROBE_NAV,
  type NoticeScheme,
} from "../../src/domain/noticeNumber.ts";

const aux0: NoticeScheme = { auxDigit: "0", applicationCode: "01", segregationCodes: [] };
const aux1: NoticeScheme = { auxDigit: "1", segregationCodes: [] };
const aux2: NoticeScheme = { auxDigit: "2", segregationCodes: [] };
const aux3: NoticeScheme = { auxDigit: "3", segregationCodes: [] };
const aux3Segregated: NoticeScheme = { auxDigit: "3", segregationCodes: ["02", "47"] };

describe("notice numbers (domain/notice)", () => {
  describe("checkDigit", () => {
    it("gives 59 for the worked example 302000000001234559 (aux digit 3)", () => {
      expect(checkDigit("3020000000012345")).to.equal("59");
    });

    it("gives 49 for the worked example 001000000005432149 (aux digit 0, application code 01)", () => {
      expect(checkDigit("0010000000054321")).to.equal("49");
    });

    it("writes remainders below ten on two digits", () => {
      expect(checkDigit("0")).to.equal("00");
      expect(checkDigit("5")).to.equal("05");
      expect(checkDigit("93")).to.equal("00");
      expect(checkDigit("101")).to.equal("08");
    });

    it("equals the remainder mod 93 computed with big integers, for any 16-digit string", () => {
      fc.assert(
        fc.property(fc.stringMatching(/^\d{16}$/), (digits) => {
          expect(checkDigit(digits)).to.equal(String(BigInt(digits) % 93n).padStart(2, "0"));
        }),
      );
    });
  });

  describe("noticeNumberProblem", () => {
    it("accepts the worked example 302000000001234559 with its IUV", () => {
      expect(noticeNumberProblem("302000000001234559", "02000000001234559")).to.equal(undefined);
    });

    it("accepts the worked example 001000000005432149 with its IUV", () => {
      expect(noticeNumberProblem("001000000005432149", "000000005432149")).to.equal(undefined);
    });

    it("accepts an aux digit 2 notice with a right check digit", () => {
      const nav = `2123456789012345${checkDigit("2123456789012345")}`;
      expect(noticeNumberProblem(nav, nav.slice(1))).to.equal(undefined);
    });

    it("accepts an aux digit 1 notice without looking for a check digit", () => {
      expect(noticeNumberProblem("112345678901234567", "12345678901234567")).to.equal(undefined);
    });

    it("accepts a wrong check digit when the check is off, but still checks the digits and the IUV", () => {
      expect(noticeNumberProblem("302000000001234558", "02000000001234558", false)).to.equal(undefined);
      expect(noticeNumberProblem("001000000005432148", "000000005432148", false)).to.equal(undefined);
      expect(noticeNumberProblem("302000000001234558", "02000000001234559", false)).to.equal("does not carry the IUV 02000000001234559");
      expect(noticeNumberProblem("30200000000123455", "0200000000123455", false)).to.equal("must be 18 digits");
    });

    it("refuses a wrong check digit under aux digits 0, 2 and 3, naming the expected one", () => {
      expect(noticeNumberProblem("302000000001234558", "02000000001234558")).to.equal("has a wrong check digit (expected 59)");
      expect(noticeNumberProblem("001000000005432148", "000000005432148")).to.equal("has a wrong check digit (expected 49)");
      const base = "2123456789012345";
      const wrong = String((Number(checkDigit(base)) + 1) % 93).padStart(2, "0");
      expect(noticeNumberProblem(`${base}${wrong}`, `${base.slice(1)}${wrong}`)).to.match(/^has a wrong check digit/);
    });

    it("refuses a notice number that is not 18 digits", () => {
      expect(noticeNumberProblem("30200000000123455", "0200000000123455")).to.equal("must be 18 digits");
      expect(noticeNumberProblem("3020000000012345590", "020000000012345590")).to.equal("must be 18 digits");
      expect(noticeNumberProblem("30200000000123455a", "0200000000123455a")).to.equal("must be 18 digits");
      expect(noticeNumberProblem("", "")).to.equal("must be 18 digits");
    });

    it("refuses an aux digit other than 0, 1, 2 and 3", () => {
      expect(noticeNumberProblem("402000000001234559", "02000000001234559")).to.equal("has aux digit 4, which is not one of 0, 1, 2, 3");
      expect(noticeNumberProblem("902000000001234559", "02000000001234559")).to.match(/aux digit 9/);
    });

    it("refuses a notice number that does not carry the IUV", () => {
      expect(noticeNumberProblem("302000000001234559", "02000000001234560")).to.equal("does not carry the IUV 02000000001234560");
      // aux digit 0: the IUV follows the two-digit application code
      expect(noticeNumberProblem("001000000005432149", "01000000005432149")).to.equal("does not carry the IUV 01000000005432149");
    });

    it("refuses the Stand-In probe number 000000000000000000, which the station always answers as unknown", () => {
      // its check digit is right (0 mod 93 = 00), so only a rule of its own keeps it from being issued
      expect(STAND_IN_PROBE_NAV).to.equal("000000000000000000");
      expect(noticeNumberProblem(STAND_IN_PROBE_NAV, "000000000000000")).to.equal("is reserved for the Node's Stand-In probe");
    });
  });

  describe("iuvOfNav", () => {
    it("drops the aux digit and, under aux digit 0, the application code", () => {
      expect(iuvOfNav("302000000001234559")).to.equal("02000000001234559");
      expect(iuvOfNav("212345678901234567")).to.equal("12345678901234567");
      expect(iuvOfNav("112345678901234567")).to.equal("12345678901234567");
      expect(iuvOfNav("001000000005432149")).to.equal("000000005432149");
    });
  });

  describe("iuvProblem", () => {
    it("wants 15 digits under aux digit 0", () => {
      expect(iuvProblem("000000005432149", aux0)).to.equal(undefined);
      expect(iuvProblem("00000000543214", aux0)).to.equal("must be 15 digits for aux digit 0");
      expect(iuvProblem("00000000005432149", aux0)).to.equal("must be 15 digits for aux digit 0");
    });

    it("wants 17 digits under aux digits 1, 2 and 3", () => {
      for (const scheme of [aux1, aux2, aux3]) {
        expect(iuvProblem("02000000001234559", scheme), scheme.auxDigit).to.equal(undefined);
        expect(iuvProblem("000000005432149", scheme), scheme.auxDigit).to.equal(`must be 17 digits for aux digit ${scheme.auxDigit}`);
        expect(iuvProblem("020000000012345590", scheme), scheme.auxDigit).to.equal(`must be 17 digits for aux digit ${scheme.auxDigit}`);
      }
    });

    it("refuses anything but digits", () => {
      expect(iuvProblem("0200000000123455X", aux3)).to.equal("must be 17 digits for aux digit 3");
      expect(iuvProblem(" 2000000001234559", aux3)).to.equal("must be 17 digits for aux digit 3");
      expect(iuvProblem("00000000543214x", aux0)).to.equal("must be 15 digits for aux digit 0");
    });

    it("accepts any segregation code under aux digit 3 when none is configured", () => {
      expect(iuvProblem("99000000001234559", aux3)).to.equal(undefined);
    });

    it("accepts only the configured segregation codes under aux digit 3", () => {
      expect(iuvProblem("02000000001234559", aux3Segregated)).to.equal(undefined);
      expect(iuvProblem("47000000001234559", aux3Segregated)).to.equal(undefined);
      expect(iuvProblem("03000000001234559", aux3Segregated)).to.equal("must start with one of the segregation codes 02, 47");
    });

    it("ignores segregation codes under the other aux digits", () => {
      expect(iuvProblem("03000000001234559", { ...aux2, segregationCodes: ["02"] })).to.equal(undefined);
    });
  });

  describe("navOfIuv", () => {
    it("prefixes aux digit 0 and the application code to an aux-0 IUV", () => {
      expect(navOfIuv("000000005432149", aux0)).to.equal("001000000005432149");
    });

    it("prefixes the aux digit alone under aux digits 1, 2 and 3", () => {
      expect(navOfIuv("12345678901234567", aux1)).to.equal("112345678901234567");
      expect(navOfIuv("12345678901234567", aux2)).to.equal("212345678901234567");
      expect(navOfIuv("02000000001234559", aux3)).to.equal("302000000001234559");
    });

    it("is undone by iuvOfNav under every aux digit", () => {
      expect(iuvOfNav(navOfIuv("000000005432149", aux0))).to.equal("000000005432149");
      for (const scheme of [aux1, aux2, aux3]) expect(iuvOfNav(navOfIuv("02000000001234559", scheme))).to.equal("02000000001234559");
    });
  });

  describe("iuvWithCheckDigit", () => {
    it("rebuilds the worked examples from their bases", () => {
      expect(iuvWithCheckDigit("020000000012345", aux3)).to.equal("02000000001234559");
      expect(iuvWithCheckDigit("0000000054321", aux0)).to.equal("000000005432149");
    });

    it("adds no check digit under aux digit 1", () => {
      expect(iuvWithCheckDigit("12345678901234567", aux1)).to.equal("12345678901234567");
    });

    it("computes the check digit over aux digit 2 and the 15-digit base", () => {
      expect(iuvWithCheckDigit("123456789012345", aux2)).to.equal(`123456789012345${checkDigit("2123456789012345")}`);
    });

    it("yields IUVs whose notice numbers pass noticeNumberProblem and iuvProblem under aux digits 0, 2 and 3", () => {
      const cases: Array<[NoticeScheme, RegExp]> = [
        [aux0, /^\d{13}$/],
        [aux2, /^\d{15}$/],
        [aux3, /^\d{15}$/],
      ];
      for (const [scheme, shape] of cases) {
        fc.assert(
          fc.property(fc.stringMatching(shape), (base) => {
            const iuv = iuvWithCheckDigit(base, scheme);
            expect(iuvProblem(iuv, scheme)).to.equal(undefined);
            expect(noticeNumberProblem(navOfIuv(iuv, scheme), iuv)).to.equal(undefined);
          }),
          { numRuns: 200 },
        );
      }
    });
  });

  describe("formatNoticeCode", () => {
    it("groups the notice number in fours as printed on payment notices", () => {
      expect(formatNoticeCode("302000000001234559")).to.equal("3020 0000 0001 2345 59");
      expect(formatNoticeCode("001000000005432149")).to.equal("0010 0000 0005 4321 49");
    });

    it("leaves no trailing space when the length is a multiple of four", () => {
      expect(formatNoticeCode("12345678")).to.equal("1234 5678");
    });
  });
});
