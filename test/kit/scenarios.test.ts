import { expect } from "chai";
import { ADMIN_KEY, EC_KEY, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { expectFault, expectOk, expectSoapFault, postSoap, verifyRequest } from "../support/soap.ts";
import { createPosition, KEY_HEADER as KEY } from "../support/rest.ts";
import { globMatches, scenarioInputOf } from "../../src/kit/scenarios.ts";
import { createValidators } from "../../src/rest/validate.ts";
import { expectValid } from "../rest/helpers.ts";

const TESTER_KEY = "tester-key-for-tests-0001";
const VERIFY = "paVerifyPaymentNotice";

async function withScenarios(): Promise<TestApp> {
  const t = await startApp({ TEST_SCENARIOS: "on", TESTER_API_KEY: TESTER_KEY });
  await (await testDatabase()).query("DELETE FROM test_scenario");
  return t;
}

describe("test scenarios", () => {
  describe("glob matching", () => {
    it("matches prefixes, single characters and whole numbers, and nothing else", () => {
      expect(globMatches("30297*", "302970000000000001")).to.equal(true);
      expect(globMatches("30297*", "302980000000000001")).to.equal(false);
      expect(globMatches("3?2*1", "302970000000000001")).to.equal(true);
      expect(globMatches("302970000000000001", "302970000000000001")).to.equal(true);
      expect(globMatches("30297000000000000?", "3029700000000000011")).to.equal(false);
      expect(globMatches("*1*2*3", "0102030")).to.equal(false);
      expect(globMatches("*1*2*3", "010203")).to.equal(true);
    });

    it("stays fast on a long hostile notice number", () => {
      const started = performance.now();
      expect(globMatches("*0*0*0*0*0*0*0*01", "0".repeat(1_000_000))).to.equal(false);
      expect(performance.now() - started).to.be.below(2000);
    });
  });

  describe("input", () => {
    const validators = createValidators();
    /** The field a body is refused for, through the schema and then the rules that combine fields; or what it asks for. */
    const read = (body: Record<string, unknown>) => {
      try {
        return scenarioInputOf(validators.body("scenario-create", body));
      } catch (error) {
        return (error as { field?: string }).field;
      }
    };

    it("refuses a regex, an unknown fault, a delay over 20 s and a bad TTL, naming the field", () => {
      expect(read({ pattern: "302.*", behaviour: "close" })).to.equal("pattern");
      expect(read({ pattern: "302*", behaviour: "fault", faultCode: "PAA_NOPE" })).to.equal("faultCode");
      expect(read({ pattern: "302*", behaviour: "delay", delayMs: 20_001 })).to.equal("delayMs");
      expect(read({ pattern: "302*", behaviour: "close", ttlSeconds: 0 })).to.equal("ttlSeconds");
      expect(read({ noticeNumber: "302*", behaviour: "close" })).to.equal("noticeNumber");
      expect(read({ preset: "nope" })).to.equal("preset");
      expect(read({ pattern: "302*", behaviour: "explode" })).to.equal("behaviour");
      expect(read({ pattern: "302*", behaviour: "close", delay: 5 })).to.equal("delay");
    });

    it("refuses fields that do not go together, or a behaviour without what it needs", () => {
      expect(read({ pattern: "302*", noticeNumber: "302000000000000001", behaviour: "close" })).to.equal("pattern");
      expect(read({ behaviour: "close" })).to.equal("pattern");
      expect(read({ pattern: "302*" })).to.equal("behaviour");
      expect(read({ pattern: "302*", behaviour: "fault" })).to.equal("faultCode");
      expect(read({ pattern: "302*", behaviour: "delay" })).to.equal("delayMs");
      expect(read({ pattern: "302*", behaviour: "close", delayMs: 10 })).to.equal("delayMs");
      expect(read({ pattern: "302*", behaviour: "delay", delayMs: 10, faultCode: "PAA_SYSTEM_ERROR" })).to.equal("faultCode");
      expect(read({ preset: "mock-ec-expired", pattern: "302*" })).to.equal("pattern");
    });

    it("reads a preset, a notice number and a glob, with the default TTL of an hour", () => {
      expect(read({ preset: "mock-ec-expired", ttlSeconds: 60 })).to.deep.equal({ pattern: "30299*", behaviour: { behaviour: "fault", faultCode: "PAA_PAGAMENTO_SCADUTO" }, ttlSeconds: 60 });
      expect(read({ noticeNumber: "302000000000000001", operation: "paGetPaymentV2", behaviour: "delay", delayMs: 0 })).to.deep.equal({
        pattern: "302000000000000001", operation: "paGetPaymentV2", behaviour: { behaviour: "delay", delayMs: 0 }, ttlSeconds: 3600,
      });
      expect(read({ pattern: "3?2*", behaviour: "soapFault", operation: null })).to.deep.equal({ pattern: "3?2*", behaviour: { behaviour: "soapFault" }, ttlSeconds: 3600 });
    });
  });

  describe("over REST and SOAP", () => {
    let t: TestApp;
    let nav: string;
    beforeEach(async () => {
      t = await withScenarios();
      nav = (await createPosition(t, makePosition(), { toPublish: true })).paymentOption[0].nav;
    });

    const add = (body: object, key = TESTER_KEY) => t.http.post("/v1/scenarios").set(KEY, key).send(body);

    it("answers the given PAA fault for the notice, and normally once the scenario is deleted", async () => {
      const created = await add({ noticeNumber: nav, behaviour: "fault", faultCode: "PAA_SYSTEM_ERROR" });
      expect(created.status).to.equal(201);
      expectValid("scenario-response", created.body);
      const listed = await t.http.get("/v1/scenarios").set("authorization", `Bearer ${TESTER_KEY}`);
      expectValid("scenarios-list", listed.body);
      expect(listed.body).to.deep.equal([created.body]);
      const r = await postSoap(t, verifyRequest(nav), VERIFY);
      expectFault(r, "PAA_SYSTEM_ERROR", "paVerifyPaymentNoticeRes");
      expect(r.body.fault.description).to.equal(`Test scenario ${created.body.id}`);

      expect((await t.http.delete(`/v1/scenarios/${created.body.id}`).set(KEY, TESTER_KEY)).status).to.equal(204);
      expectOk(await postSoap(t, verifyRequest(nav), VERIFY));
      expect((await t.http.delete(`/v1/scenarios/${created.body.id}`).set(KEY, TESTER_KEY)).status).to.equal(404);
    });

    it("answers a SOAP Fault for a pattern", async () => {
      await add({ pattern: `${nav.slice(0, 5)}*`, behaviour: "soapFault" }, ADMIN_KEY);
      expectSoapFault(await postSoap(t, verifyRequest(nav), VERIFY), "Server");
    });

    it("delays the answer by the given milliseconds", async () => {
      await add({ noticeNumber: nav, behaviour: "delay", delayMs: 400 });
      const started = performance.now();
      expectOk(await postSoap(t, verifyRequest(nav), VERIFY));
      expect(performance.now() - started).to.be.at.least(400);
    });

    it("closes the connection without an answer", async () => {
      await add({ noticeNumber: nav, behaviour: "close" });
      const error = await postSoap(t, verifyRequest(nav), VERIFY).then(() => undefined, (e: Error) => e);
      expect(error?.message).to.match(/socket hang up|ECONNRESET/);
    });

    it("plays the pagopa-mock-ec presets by their notice prefixes", async () => {
      const created = await add({ preset: "mock-ec-expired" });
      expect(created.body).to.include({ pattern: "30299*" });
      expectFault(await postSoap(t, verifyRequest("302990000000000017"), VERIFY), "PAA_PAGAMENTO_SCADUTO");
    });

    it("only touches the operation it names", async () => {
      await add({ noticeNumber: nav, operation: "paGetPayment", behaviour: "fault", faultCode: "PAA_SEMANTICA" });
      expectOk(await postSoap(t, verifyRequest(nav), VERIFY));
    });

    it("lists live scenarios and forgets expired ones", async () => {
      await add({ noticeNumber: nav, behaviour: "close", ttlSeconds: 1 });
      await add({ pattern: "1*", behaviour: "soapFault" });
      expect((await t.http.get("/v1/scenarios").set(KEY, TESTER_KEY)).body).to.have.length(2);
      await (await testDatabase()).query("UPDATE test_scenario SET expires_at = now() - interval '1 second' WHERE pattern = $1", [nav]);
      const listed = await t.http.get("/v1/scenarios").set(KEY, TESTER_KEY);
      expect(listed.body.map((s: { pattern: string }) => s.pattern)).to.deep.equal(["1*"]);
      expectOk(await postSoap(t, verifyRequest(nav), VERIFY));
    });

    it("is refused to EC keys and without a key, with a 400 naming a bad field", async () => {
      expect((await add({ pattern: "1*", behaviour: "close" }, EC_KEY)).status).to.equal(403);
      expect((await t.http.get("/v1/scenarios")).status).to.equal(401);
      const bad = await add({ pattern: "(a+)+$", behaviour: "close" });
      expect(bad.status).to.equal(400);
      expect(JSON.stringify(bad.body)).to.contain("pattern");
    });
  });

  it("does not exist when TEST_SCENARIOS is off", async () => {
    const t = await startApp({ TESTER_API_KEY: TESTER_KEY });
    expect((await t.http.post("/v1/scenarios").set(KEY, ADMIN_KEY).send({ pattern: "1*", behaviour: "close" })).status).to.equal(404);
  });
});
