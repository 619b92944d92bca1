import { expect } from "chai";
import type { Response } from "supertest";
import { ADMIN_KEY, EC, EC_KEY, OTHER_EC, OTHER_EC_KEY, UNSERVED_EC, startApp, type TestApp } from "../support/app.ts";
import { makePosition } from "../support/factories.ts";
import { expectProblem, rowCounts } from "./helpers.ts";
import { api, createPosition, KEY_HEADER, positionPath, positionsPath } from "../support/rest.ts";

const EMPTY = { positions: 0, options: 0, transfers: 0 };

describe("API keys (Ocp-Apim-Subscription-Key)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  /** Asserts that no configured key is echoed anywhere in an answer. */
  function expectNoKey(res: Response): void {
    const seen = `${JSON.stringify(res.headers)}\n${res.text ?? ""}`;
    for (const key of [ADMIN_KEY, EC_KEY, OTHER_EC_KEY]) expect(seen, `answer ${res.status} contains a key`).not.to.include(key);
  }

  describe("without a valid key: 401", () => {
    it("refuses a request without a key", async () => {
      const res = await t.http.get(positionsPath());
      expectProblem(res, 401, undefined);
      expect(res.body.code).to.equal("unauthenticated");
      expect(res.body.detail).to.include("Ocp-Apim-Subscription-Key");
    });

    it("refuses an unknown key", async () => {
      expectProblem(await api(t, "not-a-key-of-this-station").get(positionsPath()), 401, undefined);
    });

    it("refuses an empty key", async () => {
      expectProblem(await t.http.get(positionsPath()).set(KEY_HEADER, ""), 401, undefined);
    });

    it("refuses a key that differs only in case", async () => {
      expectProblem(await api(t, ADMIN_KEY.toUpperCase()).get(positionsPath()), 401, undefined);
    });

    it("refuses a key with a trailing extra character", async () => {
      expectProblem(await api(t, `${EC_KEY}x`).get(positionsPath()), 401, undefined);
    });

    it("refuses a create before looking at its body, and writes nothing", async () => {
      expectProblem(await t.http.post(positionsPath()).send({ not: "a position" }), 401, undefined);
      expectProblem(await t.http.post(positionsPath()).send(makePosition()), 401, undefined);
      expect(await rowCounts()).to.deep.equal(EMPTY);
    });

    it("refuses every operation of both API versions and both prefixes", async () => {
      const input = makePosition();
      await createPosition(t, input);
      const calls = [
        t.http.get(positionPath(input.iupd)),
        t.http.put(positionPath(input.iupd)).send(input),
        t.http.delete(positionPath(input.iupd)),
        t.http.post(`${positionPath(input.iupd)}/publish`),
        t.http.post(`${positionPath(input.iupd)}/invalidate`),
        t.http.get(`${positionPath(input.iupd)}/receipts`),
        t.http.get(`/v1/organizations/${EC}/paymentoptions/3${input.paymentOption[0]!.iuv}`),
        t.http.get(`/v1/organizations/${EC}/receipts/any`),
        t.http.get(positionsPath(EC, "/gpd/debt-positions-service/v1")),
        t.http.post(positionsPath(EC, "/v2")).send({ paymentPositions: [makePosition()] }),
        t.http.put(positionsPath(EC, "/gpd/debt-positions-service/v2")).send({ paymentPositions: [input] }),
        t.http.delete(positionsPath(EC, "/v2")).send({ paymentPositionIUPDs: [input.iupd] }),
      ];
      for (const call of calls) expectProblem(await call, 401, undefined);
      const read = await api(t).get(positionPath(input.iupd));
      expect(read.body.status).to.equal("DRAFT");
      expect(await rowCounts()).to.deep.equal({ positions: 1, options: 1, transfers: 1 });
    });
  });

  describe("EC keys", () => {
    it("reach their own EC", async () => {
      const res = await api(t, EC_KEY).post(positionsPath(EC), makePosition());
      expect(res.status, res.text).to.equal(201);
      expect((await api(t, EC_KEY).get(positionsPath(EC))).status).to.equal(200);
      expect((await api(t, OTHER_EC_KEY).get(positionsPath(OTHER_EC))).status).to.equal(200);
    });

    it("are refused on another EC served here with 403", async () => {
      const res = await api(t, EC_KEY).get(positionsPath(OTHER_EC));
      expectProblem(res, 403, undefined);
      expect(res.body.code).to.equal("forbidden");
      expect(res.body.detail).to.include(OTHER_EC);
      expectProblem(await api(t, OTHER_EC_KEY).post(positionsPath(EC), makePosition()), 403, undefined);
      expect(await rowCounts()).to.deep.equal(EMPTY);
    });

    it("are refused on another EC's position even when it has the same IUPD as one of theirs", async () => {
      const input = makePosition();
      await createPosition(t, input, { ec: EC });
      await createPosition(t, input, { ec: OTHER_EC });
      expectProblem(await api(t, EC_KEY).delete(positionPath(input.iupd, OTHER_EC)), 403, undefined);
      expect(await rowCounts()).to.deep.equal({ positions: 2, options: 2, transfers: 2 });
    });

    it("are refused on an EC not served here with 403", async () => {
      expectProblem(await api(t, EC_KEY).get(positionsPath(UNSERVED_EC)), 403, undefined);
    });

    it("are read from the header whatever its case", async () => {
      const res = await t.http.get(positionsPath(EC)).set("ocp-apim-subscription-key", EC_KEY);
      expect(res.status, res.text).to.equal(200);
    });
  });

  describe("the admin key", () => {
    it("reaches every EC served here", async () => {
      for (const ec of [EC, OTHER_EC]) {
        const created = await api(t, ADMIN_KEY).post(positionsPath(ec), makePosition());
        expect(created.status, created.text).to.equal(201);
        expect(created.body.organizationFiscalCode).to.equal(ec);
        const listed = await api(t, ADMIN_KEY).get(positionsPath(ec));
        expect(listed.status).to.equal(200);
        expect(listed.body.page_info.items_found).to.equal(1);
        const bulk = await api(t, ADMIN_KEY).post(positionsPath(ec, "/v2"), { paymentPositions: [makePosition()] });
        expect(bulk.status, bulk.text).to.equal(201);
      }
    });

    it("is refused on an EC not served here with 403, and writes nothing", async () => {
      const res = await api(t, ADMIN_KEY).post(positionsPath(UNSERVED_EC), makePosition());
      expectProblem(res, 403, undefined);
      expect(res.body.detail).to.include(UNSERVED_EC);
      expectProblem(await api(t, ADMIN_KEY).get(positionsPath(UNSERVED_EC)), 403, undefined);
      expect(await rowCounts()).to.deep.equal(EMPTY);
    });
  });

  it("never echoes a key in an answer, whatever its outcome", async () => {
    const input = makePosition();
    const answers = [
      await api(t, ADMIN_KEY).post(positionsPath(), input),
      await api(t, ADMIN_KEY).get(positionPath(input.iupd)),
      await api(t, ADMIN_KEY).get(positionsPath()),
      await api(t, EC_KEY).get(positionPath("missing")),
      await api(t, EC_KEY).post(positionsPath(), { iupd: "x" }),
      await api(t, EC_KEY).get(positionsPath(OTHER_EC)),
      await api(t, ADMIN_KEY).get(positionsPath(UNSERVED_EC)),
      await api(t, `${ADMIN_KEY}-wrong`).get(positionsPath()),
      await api(t, EC_KEY).post(positionsPath()).set("content-type", "application/json").send(`{"iupd": "${EC_KEY}"`),
      await api(t, EC_KEY).get(`/v1/organizations/${EC}/nowhere`),
    ];
    expect(answers.map((r) => r.status)).to.deep.equal([201, 200, 200, 404, 400, 403, 403, 401, 400, 404]);
    for (const res of answers) expectNoKey(res);
  });

  it("is not needed for health, readiness and the API description", async () => {
    for (const path of ["/health", "/ready", "/openapi.json"]) expect((await t.http.get(path)).status, path).to.equal(200);
  });
});
