import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { ADMIN_KEY, EC, EC_KEY, OTHER_EC, OTHER_EC_KEY, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { expectProblem, expectValid } from "../rest/helpers.ts";
import { api } from "../support/rest.ts";
import { certificateService, demandBody, enrolment, loadCatalogue, SERVICE_ID } from "./support.ts";

const demandPath = (ec = EC) => `/v1/organizations/${ec}/spontaneouspayments`;

describe("spontaneous payments: REST demand (POST spontaneouspayments)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("creates a one-option position, valid at once, priced by the tariff, IUV from the segregation code, marked spontaneous", async () => {
    await loadCatalogue(t);
    const res = await api(t, EC_KEY).post(demandPath(), demandBody());
    expect(res.status, res.text).to.equal(201);
    expectValid("position-response", res.body);
    expect(res.body.status).to.equal("VALID");
    expect(res.body).to.include({ fiscalCode: "RSSMRA80A01H501U", companyName: "Comune di Prova", officeName: "Ufficio anagrafe" });
    expect(res.body.paymentOption).to.have.length(1);
    const [option] = res.body.paymentOption;
    expect(option.amount).to.equal(52);
    expect(option.iuv).to.match(/^47\d{15}$/);
    expect(option.nav).to.equal(`3${option.iuv}`);
    expect(option.transfer[0]).to.include({ iban: "IT60X0542811101000000123456", category: "9/0101108TS/", remittanceInformation: "Diritti certificato" });
    const days = (Date.parse(option.dueDate) - Date.now()) / 86_400_000;
    expect(days).to.be.within(9.5, 11);
    const [row] = await (await testDatabase()).query<{ spontaneous: boolean }>("SELECT spontaneous FROM payment_position WHERE iupd = $1", [res.body.iupd]);
    expect(row!.spontaneous).to.equal(true);
  });

  it("uses the tariff's default for another value and the fixed amount of a fixed-price service", async () => {
    await loadCatalogue(t);
    const other = await api(t, EC_KEY).post(demandPath(), demandBody([{ name: "certificateType", value: "matrimonio" }]));
    expect(other.body.paymentOption[0].amount).to.equal(100);
    await api(t, ADMIN_KEY).put(`/v1/services/${SERVICE_ID}`, { ...certificateService({ tariff: undefined, amount: 1600 }), id: undefined });
    const fixed = await api(t, EC_KEY).post(demandPath(), demandBody([{ name: "certificateType", value: "nascita" }]));
    expect(fixed.body.paymentOption[0].amount).to.equal(1600);
  });

  it("answers the same open notice for the same demand (any property order), a new one for another debtor or other properties", async () => {
    await loadCatalogue(t);
    const ec = api(t, EC_KEY);
    const first = await ec.post(demandPath(), demandBody([{ name: "certificateType", value: "residenza" }, { name: "copies", value: "2" }]));
    const again = await ec.post(demandPath(), demandBody([{ name: "copies", value: "2" }, { name: "certificateType", value: " residenza " }]));
    expect(again.status).to.equal(201);
    expect(again.body.iupd).to.equal(first.body.iupd);
    const otherDebtor = await ec.post(demandPath(), demandBody([{ name: "certificateType", value: "residenza" }, { name: "copies", value: "2" }], "VRDLGU80A01H501Z"));
    expect(otherDebtor.body.iupd).not.to.equal(first.body.iupd);
    const otherCopies = await ec.post(demandPath(), demandBody([{ name: "certificateType", value: "residenza" }, { name: "copies", value: "3" }]));
    expect(otherCopies.body.iupd).not.to.equal(first.body.iupd);
    // once the notice is no longer open (invalidated), the same demand creates a new one
    await api(t, ADMIN_KEY).post(`/v1/organizations/${EC}/debtpositions/${first.body.iupd}/invalidate`);
    const afterInvalid = await ec.post(demandPath(), demandBody([{ name: "certificateType", value: "residenza" }, { name: "copies", value: "2" }]));
    expect(afterInvalid.body.iupd).not.to.equal(first.body.iupd);
  });

  it("creates a new notice for the same demand once the repeat window has passed", async () => {
    t = await startApp({ SPONTANEOUS_REPEAT_SECONDS: "0" });
    await loadCatalogue(t);
    const first = await api(t, EC_KEY).post(demandPath(), demandBody());
    const second = await api(t, EC_KEY).post(demandPath(), demandBody());
    expect(second.body.iupd).not.to.equal(first.body.iupd);
  });

  it("answers 404 for an unknown service or an EC not enrolled, 422 for a disabled service, naming the cause", async () => {
    await loadCatalogue(t);
    const unknown = await api(t, EC_KEY).post(demandPath(), { ...demandBody(), service: { id: "NOONE", properties: [] } });
    expectProblem(unknown, 404, undefined);
    expect(unknown.body.detail).to.include("NOONE");
    const notEnrolled = await api(t, OTHER_EC_KEY).post(demandPath(OTHER_EC), demandBody());
    expectProblem(notEnrolled, 404, undefined);
    expect(notEnrolled.body.detail).to.include("not enrolled");
    await api(t, ADMIN_KEY).put(`/v1/services/${SERVICE_ID}`, { ...certificateService({ status: "DISABLED" }), id: undefined });
    const disabled = await api(t, EC_KEY).post(demandPath(), demandBody());
    expectProblem(disabled, 422, undefined);
    expect(disabled.body.detail).to.include("disabled");
  });

  it("answers 422 naming the property: missing, blank, unknown, repeated, not a number, no tariff", async () => {
    await loadCatalogue(t);
    await api(t, ADMIN_KEY).put(`/v1/services/${SERVICE_ID}`, { ...certificateService({ tariff: { property: "certificateType", values: { residenza: 52 } } }), id: undefined });
    const ec = api(t, EC_KEY);
    const cases: Array<[Array<{ name: string; value?: string }>, string, string]> = [
      [[], "service.properties", "certificateType"],
      [[{ name: "certificateType", value: "  " }], "service.properties", "certificateType"],
      [[{ name: "certificateType", value: "residenza" }, { name: "colour", value: "red" }], "service.properties[1].name", "colour"],
      [[{ name: "certificateType", value: "residenza" }, { name: "certificateType", value: "residenza" }], "service.properties[1].name", "repeats"],
      [[{ name: "certificateType", value: "residenza" }, { name: "copies", value: "two" }], "service.properties[1].value", "number"],
      [[{ name: "certificateType", value: "nascita" }], "service.properties[0].value", "no tariff"],
    ];
    for (const [properties, field, words] of cases) {
      const res = await ec.post(demandPath(), demandBody(properties));
      expectProblem(res, 422, field);
      expect(res.body.detail).to.include(words);
    }
    expectProblem(await ec.post(demandPath(), { service: { id: SERVICE_ID, properties: [] } }), 400, "debtor");
    const [count] = await (await testDatabase()).query<{ n: number }>("SELECT count(*)::int AS n FROM payment_position");
    expect(count!.n).to.equal(0);
  });

  describe("priced by the EC's own service", () => {
    let server: Server;
    let calls: unknown[];
    let answer: (res: import("node:http").ServerResponse) => void;

    beforeEach(async () => {
      calls = [];
      server = createServer((req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c));
        req.on("end", () => {
          calls.push({ path: req.url, body: JSON.parse(body) });
          answer(res);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      t = await startApp({ PRICING_TIMEOUT_MS: "300", PRICING_COOLDOWN_MS: "60000" });
      const { port } = server.address() as AddressInfo;
      await loadCatalogue(t, certificateService({ tariff: undefined, endpoint: `http://127.0.0.1:${port}`, basePath: "/price" }));
    });
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it("posts the properties and uses the amount it answers", async () => {
      answer = (res) => res.setHeader("content-type", "application/json").end(JSON.stringify({ amount: 777 }));
      const res = await api(t, EC_KEY).post(demandPath(), demandBody());
      expect(res.status, res.text).to.equal(201);
      expect(res.body.paymentOption[0].amount).to.equal(777);
      expect(calls).to.deep.equal([{ path: "/price", body: { serviceId: SERVICE_ID, organizationFiscalCode: EC, properties: [{ name: "certificateType", value: "residenza" }] } }]);
    });

    it("answers 502 naming the failure when it is too slow, and does not call it again during the cool-down", async () => {
      answer = () => undefined; // never answers
      const slow = await api(t, EC_KEY).post(demandPath(), demandBody());
      expectProblem(slow, 502, undefined);
      expect(slow.body.detail).to.include("did not answer within 300 ms");
      const resting = await api(t, EC_KEY).post(demandPath(), demandBody());
      expectProblem(resting, 502, undefined);
      expect(resting.body.detail).to.include("failed recently");
      expect(calls).to.have.length(1);
    });

    it("answers 502 when it answers no amount", async () => {
      answer = (res) => res.end(JSON.stringify({ amount: "seven" }));
      const res = await api(t, EC_KEY).post(demandPath(), demandBody());
      expectProblem(res, 502, undefined);
      expect(res.body.detail).to.include("no amount");
    });
  });

  it("is enrolled per EC: another EC enrolled with its own segregation code gets its own IUVs", async () => {
    await loadCatalogue(t);
    await api(t, OTHER_EC_KEY).post(`/v1/organizations/${OTHER_EC}/services/${SERVICE_ID}`, enrolment({ segregationCode: "12" }));
    const res = await api(t, OTHER_EC_KEY).post(demandPath(OTHER_EC), demandBody());
    expect(res.body.paymentOption[0].iuv).to.match(/^12/);
  });
});
