/**
 * getOptionsWithPosition: the reads of options by notice number or IUV that arrive together (REST
 * GET …/paymentoptions/{nav}) share one statement; each key gets its own answer, in the order given.
 */
import { expect } from "chai";
import { getOptionsWithPosition } from "../../src/store/positions.ts";
import { EC, OTHER_EC } from "../support/app.ts";
import { resetDatabase, testDatabase } from "../support/db.ts";
import { seed, shapes } from "./seed.ts";

describe("getOptionsWithPosition", () => {
  beforeEach(resetDatabase);

  it("answers each key in the order given: by notice number, by IUV, nothing for an unknown key or another EC", async () => {
    const single = await seed("valid");
    const plan = await seed("valid", shapes.plan());
    const db = await testDatabase();
    const installment = plan.options[2]!;
    const found = await getOptionsWithPosition(db, [
      { ec: EC, navOrIuv: installment.nav },
      { ec: EC, navOrIuv: "302999999999999999" },
      { ec: EC, navOrIuv: single.options[0]!.nav.slice(1) },
      { ec: OTHER_EC, navOrIuv: single.options[0]!.nav },
      { ec: EC, navOrIuv: installment.nav },
    ]);
    expect(found.map((o) => o && [o.nav, o.iupd])).to.deep.equal([
      [installment.nav, plan.iupd],
      undefined,
      [single.options[0]!.nav, single.iupd],
      undefined,
      [installment.nav, plan.iupd],
    ]);
  });

  it("answers an empty list with an empty list", async () => {
    expect(await getOptionsWithPosition(await testDatabase(), [])).to.deep.equal([]);
  });
});
