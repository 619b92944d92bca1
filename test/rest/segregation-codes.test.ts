/**
 * segregationCodes (GPD, every v1 operation and the bulk ones): a broker acting for part of an EC's
 * IUVs names their two-digit prefixes; a position with an IUV outside them is 403 and unchanged,
 * lists show only positions inside them.
 */
import { expect } from "chai";
import { EC, startApp, type TestApp } from "../support/app.ts";
import { makeOption, makePosition, nextNotice } from "../support/factories.ts";
import { expectProblem, rowCounts } from "./helpers.ts";
import { api, createPosition, positionPath, positionsPath } from "../support/rest.ts";

/** A position whose IUV starts with the given segregation code. */
const positionUnder = (code: string) => makePosition({ paymentOption: [makeOption({ iuv: nextNotice(code).iuv })] });

describe("segregationCodes on the debt-position operations", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("creates a position inside the codes and refuses one outside with 403, writing nothing", async () => {
    expect((await api(t).post(`${positionsPath()}?segregationCodes=02,47`, positionUnder("47"))).status).to.equal(201);
    const before = await rowCounts();
    expectProblem(await api(t).post(`${positionsPath()}?segregationCodes=02`, positionUnder("47")), 403, undefined);
    expectProblem(await api(t).post(`${positionsPath(EC, "/v2")}?segregationCodes=02`, { paymentPositions: [positionUnder("02"), positionUnder("47")] }), 403, undefined);
    expect(await rowCounts()).to.deep.equal(before);
    expect((await api(t).post(`${positionsPath(EC, "/v2")}?segregationCodes=02,47&toPublish=true`, { paymentPositions: [positionUnder("02"), positionUnder("47")] })).status).to.equal(201);
  });

  it("reads, publishes, invalidates and deletes a position only within its codes", async () => {
    const input = positionUnder("47");
    await createPosition(t, input);
    const path = positionPath(input.iupd);
    expectProblem(await api(t).get(`${path}?segregationCodes=02`), 403, undefined);
    expect((await api(t).get(`${path}?segregationCodes=47`)).status).to.equal(200);
    expectProblem(await api(t).post(`${path}/publish?segregationCodes=02`), 403, undefined);
    expect((await api(t).get(path)).body.status).to.equal("DRAFT");
    expect((await api(t).post(`${path}/publish?segregationCodes=47`)).status).to.equal(200);
    expectProblem(await api(t).post(`${path}/invalidate?segregationCodes=02`), 403, undefined);
    expect((await api(t).get(path)).body.status).to.equal("VALID");
    expectProblem(await api(t).delete(`${path}?segregationCodes=02`), 403, undefined);
    expect((await api(t).delete(`${path}?segregationCodes=47`)).status).to.equal(200);
  });

  it("replaces a position only when both its old and its new IUVs are within the codes", async () => {
    const input = positionUnder("47");
    await createPosition(t, input);
    const moved = { ...positionUnder("02"), iupd: input.iupd };
    expectProblem(await api(t).put(`${positionPath(input.iupd)}?segregationCodes=02`, moved), 403, undefined);
    expectProblem(await api(t).put(`${positionPath(input.iupd)}?segregationCodes=47`, moved), 403, undefined);
    expect((await api(t).get(positionPath(input.iupd))).body.paymentOption[0].iuv).to.equal(input.paymentOption[0]!.iuv);
    expect((await api(t).put(`${positionPath(input.iupd)}?segregationCodes=02,47`, moved)).status).to.equal(200);
    expectProblem(await api(t).put(`${positionsPath(EC, "/v2")}?segregationCodes=47`, { paymentPositions: [moved] }), 403, undefined);
  });

  it("deletes in bulk only positions within the codes, all or nothing", async () => {
    const inside = positionUnder("02");
    const outside = positionUnder("47");
    await createPosition(t, inside);
    await createPosition(t, outside);
    expectProblem(await api(t).delete(`${positionsPath(EC, "/v2")}?segregationCodes=02`, { paymentPositionIUPDs: [inside.iupd, outside.iupd] }), 403, undefined);
    expect((await rowCounts()).positions).to.equal(2);
  });

  it("lists only positions with an IUV within the codes, with a true total", async () => {
    await createPosition(t, positionUnder("02"));
    await createPosition(t, positionUnder("47"));
    await createPosition(t, positionUnder("47"));
    const only47 = await api(t).get(`${positionsPath()}?segregationCodes=47`);
    expect(only47.status, only47.text).to.equal(200);
    expect(only47.body.page_info.items_found).to.equal(2);
    expect(only47.body.payment_position_list.every((p: { paymentOption: Array<{ iuv: string }> }) => p.paymentOption[0]!.iuv.startsWith("47"))).to.equal(true);
    expect((await api(t).get(`${positionsPath()}?segregationCodes=02,47`)).body.page_info.items_found).to.equal(3);
    expect((await api(t).get(`${positionsPath()}?segregationCodes=99`)).body.page_info.items_found).to.equal(0);
  });

  for (const bad of ["2", "02,", ",02", "02;47", "020", "ab", "02,4"]) {
    it(`refuses segregationCodes=${JSON.stringify(bad)} with 400 naming it`, async () => {
      expectProblem(await api(t).get(`${positionsPath()}?segregationCodes=${encodeURIComponent(bad)}`), 400, "segregationCodes");
      expectProblem(await api(t).post(`${positionsPath()}?segregationCodes=${encodeURIComponent(bad)}`, makePosition()), 400, "segregationCodes");
    });
  }
});
