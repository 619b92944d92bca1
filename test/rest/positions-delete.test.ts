import { expect } from "chai";
import type { PositionInput } from "../../src/domain/position.ts";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { faultCodeOf, postSoap, verifyRequest } from "../support/soap.ts";
import { expectProblem, lockOption, payOption, rowCounts, rowsOf } from "./helpers.ts";
import { api, createPosition, positionPath } from "../support/rest.ts";

const noticeOf = (input: PositionInput, i = 0) => {
  const option = input.paymentOption[i]!;
  return { nav: `3${option.iuv}`, iuv: option.iuv, amount: option.amount };
};

describe("DELETE /v1/organizations/{ec}/debtpositions/{iupd} (delete a position)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("deletes a DRAFT position with its options and transfers and answers 200 \"OK\"", async () => {
    const input = makePlan(30000, 3);
    const kept = makePosition();
    await createPosition(t, input);
    await createPosition(t, kept);
    const res = await api(t).delete(positionPath(input.iupd));
    expect(res.status, res.text).to.equal(200);
    expect(res.headers["content-type"]).to.match(/^application\/json/);
    expect(res.body).to.equal("OK");
    expectProblem(await api(t).get(positionPath(input.iupd)), 404, undefined);
    expect(await rowCounts()).to.deep.equal(rowsOf(kept));
  });

  it("deletes a VALID position, whose notices then become unknown to the Node", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    expect((await api(t).delete(positionPath(input.iupd))).status).to.equal(200);
    expect(faultCodeOf(await postSoap(t, verifyRequest(noticeOf(input).nav), "paVerifyPaymentNotice"))).to.equal("PAA_PAGAMENTO_SCONOSCIUTO");
    expect(await rowCounts()).to.deep.equal({ positions: 0, options: 0, transfers: 0 });
  });

  it("deletes a PUBLISHED position", async () => {
    const input = makePosition({ validityDate: "2098-01-01T00:00:00Z" });
    await createPosition(t, input, { toPublish: true });
    expect((await api(t).delete(positionPath(input.iupd))).status).to.equal(200);
    expect(await rowCounts()).to.deep.equal({ positions: 0, options: 0, transfers: 0 });
  });

  it("frees the IUPD and IUVs for a new position", async () => {
    const input = makePosition();
    await createPosition(t, input);
    expect((await api(t).delete(positionPath(input.iupd))).status).to.equal(200);
    await createPosition(t, input);
  });

  it("deletes under the /gpd/debt-positions-service/v1 prefix too", async () => {
    const input = makePosition();
    await createPosition(t, input);
    const res = await api(t).delete(positionPath(input.iupd, EC, "/gpd/debt-positions-service/v1"));
    expect(res.status, res.text).to.equal(200);
    expect(await rowCounts()).to.deep.equal({ positions: 0, options: 0, transfers: 0 });
  });

  it("deletes only the EC's position, not another EC's with the same IUPD", async () => {
    const input = makePosition();
    await createPosition(t, input, { ec: EC });
    await createPosition(t, input, { ec: OTHER_EC });
    expect((await api(t, EC_KEY).delete(positionPath(input.iupd, EC))).status).to.equal(200);
    expect((await api(t).get(positionPath(input.iupd, OTHER_EC))).status).to.equal(200);
    expect(await rowCounts()).to.deep.equal(rowsOf(input));
  });

  it("answers 404 for an IUPD the EC does not have", async () => {
    const res = await api(t).delete(positionPath("NO-SUCH-IUPD"));
    expectProblem(res, 404, undefined);
    expect(res.body.code).to.equal("positionNotFound");
  });

  it("refuses a PAID position with 409 and keeps it", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    await payOption(t, noticeOf(input), "rcpt-delete-paid");
    const res = await api(t).delete(positionPath(input.iupd));
    expectProblem(res, 409, undefined);
    expect(res.body.code).to.equal("notEditable");
    expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("PAID");
    expect(await rowCounts()).to.deep.equal(rowsOf(input));
  });

  it("refuses a PARTIALLY_PAID position with 409 and keeps it", async () => {
    const input = makePlan(20000, 2);
    await createPosition(t, input, { toPublish: true });
    await payOption(t, noticeOf(input, 1), "rcpt-delete-partial");
    expectProblem(await api(t).delete(positionPath(input.iupd)), 409, undefined);
    expect(await rowCounts()).to.deep.equal(rowsOf(input));
  });

  it("refuses an INVALID position with 409 and keeps it", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    expect((await api(t).post(`${positionPath(input.iupd)}/invalidate`)).status).to.equal(200);
    expectProblem(await api(t).delete(positionPath(input.iupd)), 409, undefined);
    expect(await rowCounts()).to.deep.equal(rowsOf(input));
  });

  it("refuses an EXPIRED position with 409 and keeps it", async () => {
    const input = makePosition({ switchToExpired: true });
    input.paymentOption[0]!.dueDate = "2020-01-01T00:00:00Z";
    await createPosition(t, input, { toPublish: true });
    expectProblem(await api(t).delete(positionPath(input.iupd)), 409, undefined);
    expect(await rowCounts()).to.deep.equal(rowsOf(input));
  });

  it("refuses a position with an option locked by a payment in progress with 409 and keeps it", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    await lockOption(t, noticeOf(input).nav);
    const res = await api(t).delete(positionPath(input.iupd));
    expectProblem(res, 409, undefined);
    expect(res.body.code).to.equal("locked");
    expect(await rowCounts()).to.deep.equal(rowsOf(input));
  });

  it("refuses an EC key on another EC with 403 and keeps the position", async () => {
    const input = makePosition();
    await createPosition(t, input, { ec: OTHER_EC });
    expectProblem(await api(t, EC_KEY).delete(positionPath(input.iupd, OTHER_EC)), 403, undefined);
    expect(await rowCounts()).to.deep.equal(rowsOf(input));
  });
});
