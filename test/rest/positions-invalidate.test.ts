import { expect } from "chai";
import type { PositionInput } from "../../src/domain/position.ts";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makeOption, makePlan, makePosition } from "../support/factories.ts";
import { faultCodeOf, postSoap, verifyRequest } from "../support/soap.ts";
import { expectProblem, expectValid, lockOption, payOption, rowCounts, rowsOf } from "./helpers.ts";
import { api, createPosition, positionPath } from "../support/rest.ts";

const noticeOf = (input: PositionInput, i = 0) => {
  const option = input.paymentOption[i]!;
  return { nav: `3${option.iuv}`, iuv: option.iuv, amount: option.amount };
};

describe("POST /v1/organizations/{ec}/debtpositions/{iupd}/invalidate (invalidate a position)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  const invalidate = (iupd: string, ec = EC, prefix = "/v1", key?: string) => api(t, key).post(`${positionPath(iupd, ec, prefix)}/invalidate`);

  it("turns a VALID position INVALID, keeps its rows, and the Node then hears PAA_PAGAMENTO_ANNULLATO", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    const res = await invalidate(input.iupd);
    expect(res.status, res.text).to.equal(200);
    expectValid("position-response", res.body);
    expect(res.body.status).to.equal("INVALID");
    expect((await api(t).get(positionPath(input.iupd))).body).to.deep.equal(res.body);
    expect(faultCodeOf(await postSoap(t, verifyRequest(noticeOf(input).nav), "paVerifyPaymentNotice"))).to.equal("PAA_PAGAMENTO_ANNULLATO");
    expect(await rowCounts()).to.deep.equal(rowsOf(input));
  });

  it("turns a DRAFT position INVALID", async () => {
    const input = makePosition();
    await createPosition(t, input);
    expect((await invalidate(input.iupd)).body.status).to.equal("INVALID");
  });

  it("turns a PUBLISHED position INVALID", async () => {
    const input = makePosition({ validityDate: "2098-01-01T00:00:00Z" });
    await createPosition(t, input, { toPublish: true });
    const res = await invalidate(input.iupd);
    expect(res.status, res.text).to.equal(200);
    expect(res.body.status).to.equal("INVALID");
  });

  it("invalidates under the /gpd/debt-positions-service/v1 prefix too, with an EC key", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    const res = await invalidate(input.iupd, EC, "/gpd/debt-positions-service/v1", EC_KEY);
    expect(res.status, res.text).to.equal(200);
    expect(res.body.status).to.equal("INVALID");
  });

  it("refuses an INVALID position with 409", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    expect((await invalidate(input.iupd)).status).to.equal(200);
    const res = await invalidate(input.iupd);
    expectProblem(res, 409, undefined);
    expect(res.body.code).to.equal("invalidTransition");
  });

  it("refuses a PAID position with 409 and leaves it PAID", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    await payOption(t, noticeOf(input), "rcpt-invalidate-paid");
    expectProblem(await invalidate(input.iupd), 409, undefined);
    expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("PAID");
  });

  it("refuses a PARTIALLY_PAID position with 409 and leaves it PARTIALLY_PAID", async () => {
    const input = makePlan(20000, 2);
    await createPosition(t, input, { toPublish: true });
    await payOption(t, noticeOf(input, 1), "rcpt-invalidate-partial");
    expectProblem(await invalidate(input.iupd), 409, undefined);
    expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("PARTIALLY_PAID");
  });

  it("refuses an EXPIRED position with 409 and leaves it EXPIRED", async () => {
    const input = makePosition({ switchToExpired: true, paymentOption: [makeOption({ dueDate: "2020-01-01T00:00:00Z" })] });
    await createPosition(t, input, { toPublish: true });
    expectProblem(await invalidate(input.iupd), 409, undefined);
    expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("EXPIRED");
  });

  it("refuses a position with an option locked by a payment in progress with 409 and leaves it VALID", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    await lockOption(t, noticeOf(input).nav);
    const res = await invalidate(input.iupd);
    expectProblem(res, 409, undefined);
    expect(res.body.code).to.equal("locked");
    expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("VALID");
  });

  it("answers 404 for an IUPD the EC does not have", async () => {
    const res = await invalidate("NO-SUCH-IUPD");
    expectProblem(res, 404, undefined);
    expect(res.body.code).to.equal("positionNotFound");
  });

  it("refuses an EC key on another EC with 403 and leaves the position VALID", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true, ec: OTHER_EC });
    expectProblem(await invalidate(input.iupd, OTHER_EC, "/v1", EC_KEY), 403, undefined);
    expect((await api(t).get(positionPath(input.iupd, OTHER_EC))).body.status).to.equal("VALID");
  });
});
