import { expect } from "chai";
import { EC, EC_KEY, OTHER_EC, OTHER_EC_KEY, startApp, type TestApp } from "../support/app.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { expectProblem, expectValid } from "./helpers.ts";
import { api, createPosition, positionPath } from "../support/rest.ts";

describe("GET /v1/organizations/{ec}/debtpositions/{iupd} (read a position)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("answers the position as it was created, valid against position-response", async () => {
    const input = makePlan(30000, 2, { streetName: "Via Roma", civicNumber: "1", postalCode: "00100", province: "RM" });
    const created = await createPosition(t, input, { toPublish: true });
    const res = await api(t).get(positionPath(input.iupd));
    expect(res.status, res.text).to.equal(200);
    expect(res.headers["content-type"]).to.match(/^application\/json/);
    expectValid("position-response", res.body);
    expect(res.body).to.deep.equal(created);
    expect(res.body.status).to.equal("VALID");
    expect(res.body.streetName).to.equal("Via Roma");
    expect(res.body.paymentOption).to.have.length(3);
  });

  it("answers under the /gpd/debt-positions-service/v1 prefix too", async () => {
    const input = makePosition();
    const created = await createPosition(t, input);
    const res = await api(t).get(positionPath(input.iupd, EC, "/gpd/debt-positions-service/v1"));
    expect(res.status, res.text).to.equal(200);
    expectValid("position-response", res.body);
    expect(res.body).to.deep.equal(created);
  });

  it("lets an EC key read its own positions", async () => {
    const input = makePosition();
    await createPosition(t, input);
    const res = await api(t, EC_KEY).get(positionPath(input.iupd));
    expect(res.status, res.text).to.equal(200);
  });

  it("answers 404 problem+json for an IUPD the EC does not have", async () => {
    const res = await api(t).get(positionPath("NO-SUCH-IUPD"));
    expectProblem(res, 404, undefined);
    expect(res.body.code).to.equal("positionNotFound");
    expect(res.body.detail).to.include("NO-SUCH-IUPD");
  });

  it("does not show another EC's position under the same IUPD", async () => {
    const input = makePosition();
    await createPosition(t, input, { ec: OTHER_EC });
    expectProblem(await api(t).get(positionPath(input.iupd, EC)), 404, undefined);
    expect((await api(t).get(positionPath(input.iupd, OTHER_EC))).status).to.equal(200);
  });

  it("keeps two ECs' positions with the same IUPD apart", async () => {
    const input = makePosition();
    await createPosition(t, input, { ec: EC });
    await createPosition(t, { ...input, companyName: "Provincia di Esempio" }, { ec: OTHER_EC });
    expect((await api(t).get(positionPath(input.iupd, EC))).body.companyName).to.equal("Comune di Esempio");
    expect((await api(t).get(positionPath(input.iupd, OTHER_EC))).body.companyName).to.equal("Provincia di Esempio");
  });

  it("answers GETs that arrive together, of two ECs and an unknown IUPD, each with its own position", async () => {
    const input = makePosition();
    await createPosition(t, input, { ec: EC });
    await createPosition(t, { ...input, companyName: "Provincia di Esempio" }, { ec: OTHER_EC });
    const asked = [[input.iupd, EC], ["NO-SUCH-IUPD", EC], [input.iupd, OTHER_EC], [input.iupd, EC]] as const;
    const answers = await Promise.all(asked.map(([iupd, ec]) => api(t).get(positionPath(iupd, ec))));
    expect(answers.map((r) => [r.status, r.body.companyName ?? null])).to.deep.equal([
      [200, "Comune di Esempio"],
      [404, null],
      [200, "Provincia di Esempio"],
      [200, "Comune di Esempio"],
    ]);
  });

  it("refuses an EC key on another EC's position with 403", async () => {
    const input = makePosition();
    await createPosition(t, input, { ec: OTHER_EC });
    expectProblem(await api(t, EC_KEY).get(positionPath(input.iupd, OTHER_EC)), 403, undefined);
    expect((await api(t, OTHER_EC_KEY).get(positionPath(input.iupd, OTHER_EC))).status).to.equal(200);
  });
});
