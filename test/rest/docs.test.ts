import { Validator } from "@seriousme/openapi-schema-validator";
import { expect } from "chai";
import { VERSION } from "../../src/app.ts";
import { ADMIN_KEY, EC, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makeOption, makePosition } from "../support/factories.ts";
import { servedPaths } from "../../src/rest/mount.ts";
import { createValidators } from "../../src/rest/validate.ts";
import { resetDatabase } from "../support/db.ts";
import { expectProblem, expectValid, rowCounts } from "./helpers.ts";
import { api, KEY_HEADER, positionsPath } from "../support/rest.ts";

const EMPTY = { positions: 0, options: 0, transfers: 0 };

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** Every $ref value anywhere in a JSON document. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") found.push(child);
      else refsIn(child, found);
    }
  }
  return found;
}

describe("documentation and service routes", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  describe("/openapi.json", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let doc: any;
    beforeEach(async () => {
      const res = await t.http.get("/openapi.json");
      expect(res.status).to.equal(200);
      expect(res.headers["content-type"]).to.match(/^application\/json/);
      doc = res.body;
    });

    it("is an OpenAPI 3.1 document with a title, a version and the API key scheme", () => {
      expect(doc.openapi).to.equal("3.1.0");
      expect(doc.info.title).to.be.a("string").and.match(/\S/);
      expect(doc.info.version).to.equal(VERSION);
      expect(doc.components.securitySchemes.ApiKey).to.deep.equal({ type: "apiKey", in: "header", name: "Ocp-Apim-Subscription-Key" });
      expect(doc.components.securitySchemes.AdminKey).to.include({ type: "apiKey", in: "header", name: "Ocp-Apim-Subscription-Key" });
    });

    it("describes every operation of the table, each with its operationId, responses and the API key (the admin key for admin-only ones)", () => {
      expect(t.app.operations).to.have.length.above(10);
      const stationWide = (...keys: string[]) => [...keys.map((key) => ({ [key]: [] })), { StationBearer: [] }];
      for (const { path, method, operationId, public: open, admin, tester } of t.app.operations) {
        const operation = doc.paths[path]?.[method];
        expect(operation, `${method.toUpperCase()} ${path}`).to.be.an("object");
        expect(operation.operationId, `${method} ${path}`).to.equal(operationId);
        expect(Object.keys(operation.responses ?? {}), `${method} ${path}`).to.have.length.above(0);
        const security = open ? undefined : admin ? stationWide("AdminKey") : tester ? stationWide("AdminKey", "TesterKey") : [{ ApiKey: [] }];
        expect(operation.security, `${method} ${path}`).to.deep.equal(security);
      }
    });

    it("is valid against the OpenAPI 3.1 schema, so client generators and Swagger UI read all of it", async () => {
      const { valid, errors } = await new Validator().validate(structuredClone(doc));
      expect(valid, JSON.stringify(errors)).to.equal(true);
    });

    it("shows an example body for the creates and replaces, the webhook and scenarios, each accepted as it is by a station with the default settings", async () => {
      await resetDatabase();
      // another EC first: the examples fit whichever EC the station serves, and the paths name its first one
      const station = await startApp({ ORGANIZATIONS: `${OTHER_EC},${EC}`, WEBHOOK_ALLOW_PRIVATE: "on", TEST_SCENARIOS: "on" });
      const stationDoc = (await station.http.get("/openapi.json")).body;
      expect(stationDoc.paths["/v1/organizations/{organizationfiscalcode}/debtpositions"].post.parameters[0]).to.include({ name: "organizationfiscalcode", example: OTHER_EC });
      const shown = t.app.operations
        .map((o) => ({ o, example: doc.paths[o.path][o.method].requestBody?.content["application/json"].example }))
        .filter(({ example }) => example !== undefined)
        // creates before the replaces of what they created
        .sort((a, b) => Number(a.o.method === "put") - Number(b.o.method === "put"));
      expect(shown.map(({ o }) => o.operationId).sort()).to.deep.equal(
        ["createPosition", "updatePosition", "createMultiplePositions", "updateMultiplePositions", "createPositionV3", "updatePositionV3", "putWebhook", "createScenario"].sort(),
      );
      for (const { o, example } of shown) {
        expect(() => createValidators().body(o.body!, structuredClone(example)), o.operationId).not.to.throw();
        const url = o.path.replace("{organizationfiscalcode}", OTHER_EC).replace("{iupd}", (example as { iupd?: string }).iupd ?? "");
        const res = await api(station)[o.method as "post" | "put"](url, example);
        expect(res.status, `${o.operationId}: ${res.text}`).to.equal(o.success.status);
      }
    });

    it("gives every operation a distinct operationId", () => {
      const ids = Object.values(doc.paths).flatMap((item) => METHODS.filter((m) => (item as Record<string, unknown>)[m]).map((m) => (item as Record<string, { operationId: string }>)[m]!.operationId));
      expect(new Set(ids).size).to.equal(ids.length);
    });

    it("only refers to components it defines", () => {
      const refs = refsIn(doc);
      expect(refs).to.have.length.above(0);
      for (const ref of refs) {
        expect(ref, ref).to.match(/^#\/components\/schemas\//);
        expect(doc.components.schemas[ref.slice("#/components/schemas/".length)], ref).to.be.an("object");
      }
    });

    it("describes only operations of the table, and the app serves each at every path it is served at", async () => {
      const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => `${m} ${path}`));
      expect(documented.sort()).to.deep.equal(t.app.operations.map((o) => `${o.method} ${o.path}`).sort());
      for (const operation of t.app.operations) {
        const { method } = operation;
        for (const served of servedPaths(operation)) {
          const url = served.replace("{organizationfiscalcode}", EC).replace(/\{[^}]+\}/g, "302000000001234559");
          const res = await t.http[method](url).set(KEY_HEADER, ADMIN_KEY);
          expect(res.body?.code, `${method.toUpperCase()} ${url}: ${res.text}`).not.to.equal("routeNotFound");
        }
      }
    });

    it("answers the same document under a request with an API key", async () => {
      const res = await api(t).get("/openapi.json");
      expect(res.body).to.deep.equal(doc);
    });
  });

  describe("/docs", () => {
    it("serves an HTML page whose stylesheet, script and API document all load", async () => {
      const page = await t.http.get("/docs");
      expect(page.status).to.equal(200);
      expect(page.headers["content-type"]).to.match(/^text\/html/);
      const assets = [...page.text.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
      const specUrl = /url: "([^"]+)"/.exec(page.text)?.[1];
      expect(assets.some((a) => a.endsWith(".css")), page.text).to.equal(true);
      expect(assets.some((a) => a.endsWith(".js")), page.text).to.equal(true);
      expect(specUrl, page.text).to.be.a("string");
      for (const asset of [...assets, specUrl!]) {
        const path = new URL(asset, "http://station.test/docs").pathname;
        const res = await t.http.get(path);
        expect(res.status, `${asset} -> ${path}`).to.equal(200);
        const type = path.endsWith(".css") ? /^text\/css/ : path.endsWith(".js") ? /javascript/ : /^application\/json/;
        expect(res.headers["content-type"], path).to.match(type);
        expect(Number(res.headers["content-length"] ?? res.text?.length ?? 0), path).to.be.greaterThan(0);
      }
    });

    it("sends /docs/ to /docs, where the page's relative asset URLs resolve", async () => {
      const res = await t.http.get("/docs/");
      expect(res.status).to.equal(301);
      expect(new URL(res.headers.location!, "http://station.test/docs/").pathname).to.equal("/docs");
    });
  });

  describe("health", () => {
    it("answers /health with UP", async () => {
      const res = await t.http.get("/health");
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ status: "UP" });
    });

    it("answers /ready with READY when the database answers", async () => {
      const res = await t.http.get("/ready");
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ status: "READY" });
    });
  });

  describe("errors outside the operations", () => {
    it("answers an unknown route with 404 problem+json", async () => {
      const res = await t.http.get("/no/such/route");
      expectProblem(res, 404, undefined);
      expect(res.body.code).to.equal("routeNotFound");
      expect(res.body.detail).to.equal("GET /no/such/route is not a route of this API");
    });

    it("answers an unknown route under an organization with 404 problem+json", async () => {
      expectProblem(await api(t).get(`/v1/organizations/${EC}/debtpositions/x/unknown`), 404, undefined);
      expectProblem(await t.http.patch(`/v1/organizations/${EC}/debtpositions/x`).set(KEY_HEADER, ADMIN_KEY), 404, undefined);
      expectProblem(await api(t).get(`/v9/organizations/${EC}/debtpositions`), 404, undefined);
    });

    it("answers malformed JSON with 400 problem+json naming the body, and writes nothing", async () => {
      const res = await api(t).post(positionsPath()).set("content-type", "application/json").send('{"iupd": "X",');
      expectProblem(res, 400, "(body)");
      expect(res.body.code).to.equal("badRequest");
      expect(res.text).not.to.match(/at .*\.(ts|js):\d+/);
      expect(await rowCounts()).to.deep.equal(EMPTY);
    });

    it("answers malformed JSON in a bulk request with 400 problem+json", async () => {
      const res = await api(t).post(positionsPath(EC, "/v2")).set("content-type", "application/json").send("[{");
      expectProblem(res, 400, "(body)");
    });

    it("answers a body over BODY_LIMIT_BYTES with 413 problem+json, and writes nothing", async () => {
      t = await startApp({ BODY_LIMIT_BYTES: "2048" });
      const big = makePosition({ officeName: "o".repeat(140), paymentOption: Array.from({ length: 10 }, () => makeOption()) });
      expect(JSON.stringify(big).length).to.be.greaterThan(2048);
      const res = await api(t).post(positionsPath(), big);
      expectProblem(res, 413, undefined);
      expect(res.body.code).to.equal("tooLarge");
      expect(res.body.detail).to.include("2048");
      const bulk = await api(t).post(positionsPath(EC, "/v2"), { paymentPositions: [big] });
      expectProblem(bulk, 413, undefined);
      expect(await rowCounts()).to.deep.equal(EMPTY);
      const small = await api(t).post(positionsPath(), makePosition());
      expect(small.status, small.text).to.equal(201);
      expectValid("position-response", small.body);
    });
  });
});
