import { expect } from "chai";
import { addresseeOf, debtorOf, debtorsOf, optionsOfDebtor } from "../../src/notice/addressees.ts";
import { CO_OBLIGOR, DEBTOR } from "../support/factoriesV3.ts";
import { storedPlans } from "./support.ts";

describe("notice addressees (co-obligors)", () => {
  it("owes each option to its plan's debtor", () => {
    const position = storedPlans([1, 3], { debtors: [DEBTOR, CO_OBLIGOR] });
    expect(position.options.map((o) => debtorOf(position, o).fiscalCode)).to.deep.equal([DEBTOR, CO_OBLIGOR, CO_OBLIGOR, CO_OBLIGOR].map((d) => d.fiscalCode));
  });

  it("lists each debtor once, told apart by fiscal code in any case, in the order of their first option", () => {
    const sameAgain = { ...CO_OBLIGOR, fiscalCode: CO_OBLIGOR.fiscalCode.toLowerCase(), fullName: "L. Verdi" };
    const position = storedPlans([3, 1, 2], { debtors: [CO_OBLIGOR, DEBTOR, sameAgain] });
    expect(debtorsOf(position)).to.deep.equal([CO_OBLIGOR, DEBTOR]);
    expect(optionsOfDebtor(position, position.options, CO_OBLIGOR.fiscalCode).map((o) => o.plan)).to.deep.equal([0, 0, 0, 2, 2]);
    expect(optionsOfDebtor(position, position.options, DEBTOR.fiscalCode.toLowerCase()).map((o) => o.plan)).to.deep.equal([1]);
  });

  it("has one debtor for a position whose plans share it (every v1 position)", () => {
    const position = storedPlans([1, 3]);
    expect(debtorsOf(position)).to.deep.equal([position.debtor]);
    expect(addresseeOf(position, position.options)).to.deep.equal(position.debtor);
  });

  it("addresses a notice to the one debtor of its options, and refuses options of two", () => {
    const position = storedPlans([1, 3], { debtors: [DEBTOR, CO_OBLIGOR] });
    expect(addresseeOf(position, position.options.slice(1))).to.deep.equal(CO_OBLIGOR);
    expect(() => addresseeOf(position, position.options)).to.throw(/one addressee/);
  });
});
