import { expect } from "chai";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { expectProblem, expectValid } from "./helpers.ts";
import { api, createPosition, positionPath } from "../support/rest.ts";

describe("GET /v1/organizations/{ec}/paymentoptions/{iuv}/debtposition (the position that holds an option)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  const path = (id: string, ec = EC, prefix = "/v1") => `${prefix}/organizations/${ec}/paymentoptions/${id}/debtposition`;

  it("answers the position by an option's IUV with the same JSON as GET debtpositions/{iupd}", async () => {
    const input = makePlan(30000, 3);
    const created = await createPosition(t, input, { toPublish: true });
    const res = await api(t).get(path(created.paymentOption[2].iuv));
    expect(res.status, res.text).to.equal(200);
    expectValid("position-response", res.body);
    expect(res.body).to.deep.equal((await api(t).get(positionPath(input.iupd))).body);
    expect(res.body.iupd).to.equal(input.iupd);
  });

  it("finds it by notice number too, and under /gpd/debt-positions-service", async () => {
    const input = makePosition();
    const created = await createPosition(t, input);
    for (const res of [await api(t).get(path(created.paymentOption[0].nav)), await api(t).get(path(created.paymentOption[0].iuv, EC, "/gpd/debt-positions-service/v1"))]) {
      expect(res.status, res.text).to.equal(200);
      expect(res.body.iupd).to.equal(input.iupd);
      expect(res.body.paymentOption[0].iuv).to.equal(created.paymentOption[0].iuv);
    }
  });

  it("answers 404 for an IUV no option of the EC has, even one of another EC", async () => {
    const other = await createPosition(t, makePosition(), { ec: OTHER_EC });
    expectProblem(await api(t).get(path(other.paymentOption[0].iuv)), 404, undefined);
    expectProblem(await api(t).get(path("02999999999999999")), 404, undefined);
    expectProblem(await api(t).get(path("02x")), 400, "nav");
  });

  it("limits the lookup to segregationCodes (the option's IUV), and to keys that reach the EC", async () => {
    const created = await createPosition(t, makePosition());
    const { iuv } = created.paymentOption[0];
    expect((await api(t).get(`${path(iuv)}?segregationCodes=47,${iuv.slice(0, 2)}`)).status).to.equal(200);
    expectProblem(await api(t).get(`${path(iuv)}?segregationCodes=47`), 403, undefined);
    const other = await createPosition(t, makePosition(), { ec: OTHER_EC });
    expectProblem(await api(t, EC_KEY).get(path(other.paymentOption[0].iuv, OTHER_EC)), 403, undefined);
  });
});
