import { expect } from "chai";
import { VERSION } from "../../src/app.ts";
import { startApp, type TestApp } from "../support/app.ts";
import { expectValid } from "./helpers.ts";

describe("GET /info (GPD's health check)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp({ ENVIRONMENT: "uat" });
  });

  for (const path of ["/info", "/v1/info", "/v2/info", "/gpd/debt-positions-service/info", "/gpd/debt-positions-service/v1/info", "/gpd/debt-positions-service/v2/info"]) {
    it(`answers ${path} with name, version and environment, without an API key`, async () => {
      const res = await t.http.get(path);
      expect(res.status, res.text).to.equal(200);
      expect(res.headers["content-type"]).to.match(/^application\/json/);
      expect(res.body).to.deep.equal({ name: "stazione", version: VERSION, environment: "uat" });
      expectValid("app-info", res.body);
    });
  }

  it("names the environment 'local' unless ENVIRONMENT says otherwise", async () => {
    t = await startApp();
    expect((await t.http.get("/info")).body.environment).to.equal("local");
  });
});
