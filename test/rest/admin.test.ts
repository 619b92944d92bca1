import { expect } from "chai";
import { ADMIN_KEY, EC_KEY, startApp, type TestApp } from "../support/app.ts";
import { expectProblem, expectValid } from "./helpers.ts";
import { KEY_HEADER } from "../support/rest.ts";

describe("GET /admin/node-access (admin-only operation of the table)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("answers the admin key with the Node-facing surface's state and refusal counts", async () => {
    const res = await t.http.get("/admin/node-access").set(KEY_HEADER, ADMIN_KEY);
    expect(res.status, res.text).to.equal(200);
    expectValid("node-access-response", res.body);
    expect(res.body.open).to.equal(true);
    expect(Object.values(res.body.refusals)).to.satisfy((counts: number[]) => counts.length > 0 && counts.every((n) => n === 0));
  });

  it("refuses an EC's key (403) and no key (401)", async () => {
    expectProblem(await t.http.get("/admin/node-access").set(KEY_HEADER, EC_KEY), 403, undefined);
    expectProblem(await t.http.get("/admin/node-access"), 401, undefined);
  });

  it("takes the admin key as a bearer token too, and refuses an EC's key sent so", async () => {
    expect((await t.http.get("/admin/node-access").set("authorization", `Bearer ${ADMIN_KEY}`)).status).to.equal(200);
    expectProblem(await t.http.get("/admin/node-access").set("authorization", `Bearer ${EC_KEY}`), 403, undefined);
    expectProblem(await t.http.get("/admin/node-access").set("authorization", `Basic ${ADMIN_KEY}`), 401, undefined);
  });

  it("is documented with the admin key, in its header or as a bearer token, as its only security", async () => {
    const doc = (await t.http.get("/openapi.json")).body;
    const operation = doc.paths["/admin/node-access"].get;
    expect(operation.security).to.deep.equal([{ AdminKey: [] }, { StationBearer: [] }]);
    expect(operation.responses["200"].content["application/json"].schema).to.deep.equal({ $ref: "#/components/schemas/node-access-response" });
    expect(Object.keys(operation.responses)).to.include.members(["401", "403"]);
  });
});
