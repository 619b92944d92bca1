/**
 * paVerifyPaymentOptions (GET and POST /payment-options/organizations/{fiscal-code}/notices/{nav}): every
 * answer validated against the contract's own schema (../shared/reference/payment-options, copied
 * unchanged from pagopa-payment-options-service; those checks skip when it is absent), for the
 * service's scenarios, and each ODP error with the HTTP status of the contract's table.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { expect } from "chai";
import type { Response } from "supertest";
import type { PositionInputV3 } from "../../src/domain/positionV3.ts";
import { BROKER, EC, OTHER_EC, STATION, UNSERVED_EC, startApp, type TestApp } from "../support/app.ts";
import { CO_OBLIGOR, makePositionV3 } from "../support/factoriesV3.ts";
import { expectValid } from "./helpers.ts";
import { api, positionPath, positionsPath } from "../support/rest.ts";
import { appOnFailingDatabase, expectOk, getPaymentRequest, postSoap, receiptRequest } from "../support/soap.ts";
import { expireNotice } from "../support/db.ts";

const CONTRACT = path.resolve(import.meta.dirname, "../../../shared/reference/payment-options/openapiForOrgs.json");

/** The contract's schemas, compiled as they are (ajv formats for what the contract names). */
function contractValidators(): { answer: ValidateFunction; error: ValidateFunction } | undefined {
  if (!existsSync(CONTRACT)) return undefined;
  const doc = JSON.parse(readFileSync(CONTRACT, "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addSchema({ $id: "orgs", components: doc.components });
  return { answer: ajv.compile({ $ref: "orgs#/components/schemas/PaymentOptionsResponse" }), error: ajv.compile({ $ref: "orgs#/components/schemas/ErrorResponse" }) };
}

const contract = contractValidators();

function expectContract(res: Response, validate: "answer" | "error"): void {
  expectValid(validate === "answer" ? "payment-options-response" : "payment-options-error", res.body);
  if (!contract) return;
  const check = contract[validate];
  expect(check(res.body), JSON.stringify(check.errors)).to.equal(true);
}

const query = (o: { idPA?: string; idBrokerPA?: string; idStation?: string } = {}) =>
  new URLSearchParams(Object.entries({ idPA: EC, idBrokerPA: BROKER, idStation: STATION, ...o }).filter(([, v]) => v !== "") as [string, string][]).toString();

const optionsPath = (nav: string, ec = EC, q = query()) => `/payment-options/organizations/${ec}/notices/${nav}?${q}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

describe("paVerifyPaymentOptions (/payment-options/organizations/{fiscal-code}/notices/{notice-number})", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  /** Loads a published v3 position and answers it. */
  async function load(input: PositionInputV3): Promise<Body> {
    const res = await api(t).post(`${positionsPath(EC, "/v3")}?toPublish=true`, input);
    expect(res.status, res.text).to.equal(201);
    return res.body;
  }
  const navOf = (p: Body, option: number, installment = 0): string => p.paymentOption[option].installments[installment].nav;

  async function options(nav: string, method: "get" | "post" = "get"): Promise<Body> {
    const res = await t.http[method](optionsPath(nav));
    expect(res.status, res.text).to.equal(200);
    expectContract(res, "answer");
    return res.body;
  }

  describe("the service's scenarios, valid against the contract", () => {
    it("a single option: one option of one installment, PO_UNPAID, by GET and POST alike, without an API key", async () => {
      const p = await load(makePositionV3([1], {}, 12000));
      const body = await options(navOf(p, 0));
      expect(body).to.deep.include({ organizationFiscalCode: EC, companyName: "Comune di Esempio", officeName: "Ufficio Tributi", standin: true });
      expect(body.paymentOptions).to.have.length(1);
      const [option] = body.paymentOptions;
      expect(option).to.deep.include({ numberOfInstallments: 1, amount: 12000, status: "PO_UNPAID", allCCP: false, description: "Soluzione unica" });
      expect(option.installments[0]).to.deep.include({ nav: navOf(p, 0), iuv: p.paymentOption[0].installments[0].iuv, amount: 12000, status: "POI_UNPAID" });
      expect(await options(navOf(p, 0), "post")).to.deep.equal(body);
    });

    it("a single option and one plan of 3, asked by any of their notice numbers", async () => {
      const p = await load(makePositionV3([1, 3]));
      const body = await options(navOf(p, 1, 2));
      expect(body.paymentOptions.map((o: Body) => [o.numberOfInstallments, o.amount, o.status])).to.deep.equal([[1, 30000, "PO_UNPAID"], [3, 30000, "PO_UNPAID"]]);
      expect(body.paymentOptions[1].installments.map((i: Body) => i.amount)).to.deep.equal([10000, 10000, 10000]);
      expect(body.paymentOptions[1].dueDate).to.equal(body.paymentOptions[1].installments[2].dueDate);
      expect(await options(navOf(p, 0))).to.deep.equal(body);
    });

    it("requests that arrive together, for two positions and an unknown notice, get each their own answer", async () => {
      const first = await load(makePositionV3([1], {}, 12000));
      const second = await load(makePositionV3([1, 3]));
      const asked = [navOf(first, 0), navOf(second, 1, 1), "302999999999999999", navOf(second, 0), navOf(first, 0)];
      const answers = await Promise.all(asked.map((nav) => t.http.get(optionsPath(nav))));
      expect(answers.map((r) => r.status)).to.deep.equal([200, 200, 404, 200, 200]);
      expect(answers.map((r) => r.body.paymentOptions?.length ?? null)).to.deep.equal([1, 2, null, 2, 1]);
      expect(answers[1]!.body).to.deep.equal(answers[3]!.body);
    });

    it("a single option and plans of 3 and 5", async () => {
      const p = await load(makePositionV3([1, 3, 5]));
      const body = await options(navOf(p, 2, 4));
      expect(body.paymentOptions.map((o: Body) => o.installments.length)).to.deep.equal([1, 3, 5]);
      expect(body.paymentOptions.map((o: Body) => o.amount)).to.deep.equal([30000, 30000, 30000]);
    });

    it("co-obligors: two single options, each with its own debtor, both offered", async () => {
      const input = makePositionV3([1, 1]);
      input.paymentOption[1]!.debtor = CO_OBLIGOR;
      const p = await load(input);
      const body = await options(navOf(p, 1));
      expect(body.paymentOptions.map((o: Body) => [o.numberOfInstallments, o.status])).to.deep.equal([[1, "PO_UNPAID"], [1, "PO_UNPAID"]]);
    });

    it("tells allCCP when every transfer of the option has a postal IBAN", async () => {
      const input = makePositionV3([1, 2]);
      for (const i of input.paymentOption[1]!.installments) i.transfer[0]!.postalIban = "IT60X0760111101000000123456";
      const body = await options(navOf(await load(input), 0));
      expect(body.paymentOptions.map((o: Body) => o.allCCP)).to.deep.equal([false, true]);
    });

    it("after installment 1 of plan A is paid: plan A PO_PARTIALLY_PAID, the single option and plan B PO_INVALID", async () => {
      const p = await load(makePositionV3([1, 2, 3]));
      const first = p.paymentOption[1].installments[0];
      expectOk(await postSoap(t, receiptRequest({ receiptId: "po-receipt-1", nav: first.nav, iuv: first.iuv, amount: "150.00" })));
      const body = await options(navOf(p, 1, 1));
      expect(body.paymentOptions.map((o: Body) => o.status)).to.deep.equal(["PO_INVALID", "PO_PARTIALLY_PAID", "PO_INVALID"]);
      expect(body.paymentOptions[1].installments.map((i: Body) => i.status)).to.deep.equal(["POI_PAID", "POI_UNPAID"]);
      expect(body.paymentOptions[2].installments.map((i: Body) => i.status)).to.deep.equal(["POI_INVALID", "POI_INVALID", "POI_INVALID"]);
    });
  });

  describe("errors: the contract's ErrorResponse, one ODP code per PAA fault", () => {
    async function expectOdp(res: Response, status: number, code: string): Promise<void> {
      expect(res.status, res.text).to.equal(status);
      expect(res.headers["content-type"]).to.match(/^application\/json/);
      expectContract(res, "error");
      expect(res.body).to.include({ httpStatusCode: status, appErrorCode: code });
    }

    it("ODP-101 (400): a malformed notice number or fiscal code, a missing idPA, idBrokerPA or idStation", async () => {
      const p = await load(makePositionV3([1]));
      await expectOdp(await t.http.get(optionsPath("12345")), 400, "ODP-101");
      await expectOdp(await t.http.get(optionsPath(navOf(p, 0), "7777")), 400, "ODP-101");
      for (const missing of ["idPA", "idBrokerPA", "idStation"]) await expectOdp(await t.http.get(optionsPath(navOf(p, 0), EC, query({ [missing]: "" }))), 400, "ODP-101");
    });

    it("ODP-102 (422): idPA is another EC of this station than the notice's", async () => {
      const p = await load(makePositionV3([1]));
      await expectOdp(await t.http.post(optionsPath(navOf(p, 0), EC, query({ idPA: OTHER_EC }))), 422, "ODP-102");
    });

    it("ODP-103 (500): an unexpected failure, without its details", async () => {
      const failing = appOnFailingDatabase(new Error("disk on fire"));
      const res = await failing.http.get(optionsPath("300000000000000000"));
      await expectOdp(res, 500, "ODP-103");
      expect(res.text).not.to.include("disk on fire");
    });

    it("ODP-104, 105, 106 (400): an EC not served here, another broker, another station", async () => {
      const nav = navOf(await load(makePositionV3([1])), 0);
      await expectOdp(await t.http.get(optionsPath(nav, EC, query({ idPA: UNSERVED_EC }))), 400, "ODP-104");
      await expectOdp(await t.http.get(optionsPath(nav, EC, query({ idBrokerPA: "00000000000" }))), 400, "ODP-105");
      await expectOdp(await t.http.get(optionsPath(nav, EC, query({ idStation: "00000000000_99" }))), 400, "ODP-106");
    });

    it("ODP-107 (404): an unknown notice, a draft, another EC's notice, the Stand-In probe", async () => {
      await expectOdp(await t.http.get(optionsPath("302000000000000001")), 404, "ODP-107");
      const draft = await api(t).post(positionsPath(EC, "/v3"), makePositionV3([1]));
      await expectOdp(await t.http.get(optionsPath(navOf(draft.body, 0))), 404, "ODP-107");
      await expectOdp(await t.http.get(optionsPath(navOf(draft.body, 0), UNSERVED_EC, query({ idPA: EC }))), 404, "ODP-107");
      await expectOdp(await t.http.get(optionsPath("000000000000000000")), 404, "ODP-107");
    });

    it("ODP-108 (409): the position is paid (its single payment)", async () => {
      const p = await load(makePositionV3([1, 2]));
      const single = p.paymentOption[0].installments[0];
      expectOk(await postSoap(t, receiptRequest({ receiptId: "po-receipt-2", nav: single.nav, iuv: single.iuv, amount: "300.00" })));
      await expectOdp(await t.http.get(optionsPath(navOf(p, 1, 1))), 409, "ODP-108");
    });

    it("ODP-109 (409): a payment of another option is in progress (plan A locked, the single payment asked)", async () => {
      const p = await load(makePositionV3([1, 2]));
      expectOk(await postSoap(t, getPaymentRequest(navOf(p, 1, 0))));
      await expectOdp(await t.http.get(optionsPath(navOf(p, 0))), 409, "ODP-109");
      expect((await options(navOf(p, 1, 1))).paymentOptions).to.have.length(2);
    });

    it("ODP-110 (422): the position has expired", async () => {
      const input = makePositionV3([1]);
      input.paymentOption[0]!.switchToExpired = true;
      const p = await load(input);
      await expireNotice(EC, navOf(p, 0), input.iupd);
      await expectOdp(await t.http.get(optionsPath(navOf(p, 0))), 422, "ODP-110");
    });

    it("ODP-111 (422): the position was invalidated", async () => {
      const input = makePositionV3([1]);
      const p = await load(input);
      expect((await api(t).post(`${positionPath(input.iupd, EC, "/v3")}/invalidate`)).status).to.equal(200);
      await expectOdp(await t.http.get(optionsPath(navOf(p, 0))), 422, "ODP-111");
    });
  });

  it("is documented in the served OpenAPI, GET and POST, without the API key and with ErrorResponse errors", async () => {
    const doc = (await t.http.get("/openapi.json")).body;
    const item = doc.paths["/payment-options/organizations/{organization-fiscal-code}/notices/{notice-number}"];
    for (const method of ["get", "post"]) {
      expect(item[method].security, method).to.equal(undefined);
      expect(item[method].parameters.map((p: Body) => p.name)).to.have.members(["organization-fiscal-code", "notice-number", "idPA", "idBrokerPA", "idStation"]);
      expect(item[method].responses["404"].content["application/json"].schema.$ref).to.equal("#/components/schemas/payment-options-error");
    }
  });
});
