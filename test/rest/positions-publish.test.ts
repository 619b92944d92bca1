import { expect } from "chai";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makeOption, makePosition } from "../support/factories.ts";
import { faultCodeOf, postSoap, verifyRequest } from "../support/soap.ts";
import { expectProblem, expectValid, payOption } from "./helpers.ts";
import { api, createPosition, positionPath } from "../support/rest.ts";

describe("POST /v1/organizations/{ec}/debtpositions/{iupd}/publish (publish a position)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  const publish = (iupd: string, ec = EC, prefix = "/v1", key?: string) => api(t, key).post(`${positionPath(iupd, ec, prefix)}/publish`);

  it("turns a DRAFT without a validity date into VALID, with a publish date, payable at once", async () => {
    const input = makePosition();
    await createPosition(t, input);
    const nav = `3${input.paymentOption[0]!.iuv}`;
    expect(faultCodeOf(await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice"))).to.equal("PAA_PAGAMENTO_SCONOSCIUTO");
    const res = await publish(input.iupd);
    expect(res.status, res.text).to.equal(200);
    expectValid("position-response", res.body);
    expect(res.body.status).to.equal("VALID");
    expect(res.body.publishDate).to.match(/Z$/);
    expect((await api(t).get(positionPath(input.iupd))).body).to.deep.equal(res.body);
    expect((await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice")).body.outcome).to.equal("OK");
  });

  it("turns a DRAFT with a future validity date into PUBLISHED, not yet payable", async () => {
    const input = makePosition({ validityDate: "2098-01-01T00:00:00Z" });
    await createPosition(t, input);
    const res = await publish(input.iupd);
    expect(res.status, res.text).to.equal(200);
    expect(res.body.status).to.equal("PUBLISHED");
    const verify = await postSoap(t, verifyRequest(`3${input.paymentOption[0]!.iuv}`), "paVerifyPaymentNotice");
    expect(faultCodeOf(verify)).to.equal("PAA_PAGAMENTO_SCONOSCIUTO");
  });

  it("turns a DRAFT whose validity date has passed into VALID", async () => {
    const input = makePosition({ validityDate: "2020-01-01T00:00:00Z" });
    await createPosition(t, input);
    expect((await publish(input.iupd)).body.status).to.equal("VALID");
  });

  it("shows a PUBLISHED position as VALID once its validity date is reached", async () => {
    const validityDate = new Date(Date.now() + 1500).toISOString();
    const input = makePosition({ validityDate });
    await createPosition(t, input);
    expect((await publish(input.iupd)).body.status).to.equal("PUBLISHED");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, new Date(validityDate).getTime() - Date.now() + 100)));
    expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("VALID");
  });

  it("publishes under the /gpd/debt-positions-service/v1 prefix too, with an EC key", async () => {
    const input = makePosition();
    await createPosition(t, input);
    const res = await publish(input.iupd, EC, "/gpd/debt-positions-service/v1", EC_KEY);
    expect(res.status, res.text).to.equal(200);
    expect(res.body.status).to.equal("VALID");
  });

  describe("a position that is not a DRAFT answers 409 and stays as it was", () => {
    // each seed runs inside its test, on that test's app
    const cases: Array<[string, () => Promise<string>, string]> = [
      ["a VALID position", async () => {
        const input = makePosition();
        await createPosition(t, input, { toPublish: true });
        return input.iupd;
      }, "VALID"],
      ["a PUBLISHED position", async () => {
        const input = makePosition({ validityDate: "2098-01-01T00:00:00Z" });
        await createPosition(t, input, { toPublish: true });
        return input.iupd;
      }, "PUBLISHED"],
      ["an INVALID position", async () => {
        const input = makePosition();
        await createPosition(t, input, { toPublish: true });
        expect((await api(t).post(`${positionPath(input.iupd)}/invalidate`)).status).to.equal(200);
        return input.iupd;
      }, "INVALID"],
      ["an EXPIRED position", async () => {
        const input = makePosition({ switchToExpired: true, paymentOption: [makeOption({ dueDate: "2020-01-01T00:00:00Z" })] });
        await createPosition(t, input, { toPublish: true });
        return input.iupd;
      }, "EXPIRED"],
      ["a PAID position", async () => {
        const input = makePosition();
        await createPosition(t, input, { toPublish: true });
        const option = input.paymentOption[0]!;
        await payOption(t, { nav: `3${option.iuv}`, iuv: option.iuv, amount: option.amount }, "rcpt-publish-paid");
        return input.iupd;
      }, "PAID"],
    ];
    for (const [what, seed, status] of cases) {
      it(`refuses ${what}`, async () => {
        const iupd = await seed();
        const before = (await api(t).get(positionPath(iupd))).body;
        expect(before.status).to.equal(status);
        const res = await publish(iupd);
        expectProblem(res, 409, undefined);
        expect(res.body.code).to.equal("invalidTransition");
        expect(res.body.detail).to.include(status);
        expect((await api(t).get(positionPath(iupd))).body).to.deep.equal(before);
      });
    }
  });

  it("answers 404 for an IUPD the EC does not have", async () => {
    const res = await publish("NO-SUCH-IUPD");
    expectProblem(res, 404, undefined);
    expect(res.body.code).to.equal("positionNotFound");
  });

  it("refuses an EC key on another EC with 403 and leaves the DRAFT alone", async () => {
    const input = makePosition();
    await createPosition(t, input, { ec: OTHER_EC });
    expectProblem(await publish(input.iupd, OTHER_EC, "/v1", EC_KEY), 403, undefined);
    expect((await api(t).get(positionPath(input.iupd, OTHER_EC))).body.status).to.equal("DRAFT");
  });
});
