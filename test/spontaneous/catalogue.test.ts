import { expect } from "chai";
import { ADMIN_KEY, EC, EC_KEY, startApp, type TestApp } from "../support/app.ts";
import { expectProblem, expectValid } from "../rest/helpers.ts";
import { api } from "../support/rest.ts";
import { certificateService, enrolment, SERVICE_ID } from "./support.ts";

describe("spontaneous payments: catalogue and enrolment", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("creates, reads, lists by category or status, replaces and deletes a service with the admin key", async () => {
    const admin = api(t, ADMIN_KEY);
    const created = await admin.post("/v1/services", certificateService());
    expect(created.status, created.text).to.equal(201);
    expectValid("service-response", created.body);
    expect((await admin.post("/v1/services", { ...certificateService(), id: "OTHER", transferCategory: "9/0201133IM/", status: "DISABLED", tariff: undefined, amount: 1600 })).status).to.equal(201);

    const got = await admin.get(`/v1/services/${SERVICE_ID}`);
    expect(got.body).to.deep.equal(created.body);
    expect((await admin.get("/v1/services")).body.map((s: { id: string }) => s.id)).to.deep.equal(["CERT1", "OTHER"]);
    expect((await admin.get("/v1/services?status=DISABLED")).body.map((s: { id: string }) => s.id)).to.deep.equal(["OTHER"]);
    expect((await admin.get("/v1/services?transferCategory=9/0101108TS/")).body.map((s: { id: string }) => s.id)).to.deep.equal(["CERT1"]);

    const replaced = await admin.put(`/v1/services/${SERVICE_ID}`, { ...certificateService({ tariff: undefined, amount: 250 }), id: undefined });
    expect(replaced.status, replaced.text).to.equal(200);
    expect(replaced.body.amount).to.equal(250);
    expect(replaced.body).not.to.have.property("tariff");

    expect((await admin.delete("/v1/services/OTHER")).status).to.equal(200);
    expectProblem(await admin.get("/v1/services/OTHER"), 404, undefined);
  });

  it("refuses the catalogue to an EC key and to no key", async () => {
    expectProblem(await api(t, EC_KEY).get("/v1/services"), 403, undefined);
    expectProblem(await t.http.post("/v1/services").send(certificateService()), 401, undefined);
  });

  it("refuses a service without exactly one price, a tariff on an unknown property, a duplicate id", async () => {
    const admin = api(t, ADMIN_KEY);
    expectProblem(await admin.post("/v1/services", certificateService({ tariff: undefined })), 422, "amount");
    expectProblem(await admin.post("/v1/services", certificateService({ amount: 100 })), 422, "amount");
    expectProblem(await admin.post("/v1/services", certificateService({ tariff: { property: "nope", values: {} } })), 422, "tariff.property");
    expectProblem(await admin.post("/v1/services", certificateService({ id: "TOOLONG" })), 400, "id");
    expectProblem(await admin.post("/v1/services", certificateService({ properties: [{ name: "a b" }] })), 400, "properties[0].name");
    expect((await admin.post("/v1/services", certificateService())).status).to.equal(201);
    expectProblem(await admin.post("/v1/services", certificateService()), 409, "id");
    expectProblem(await admin.put("/v1/services/NOONE", { ...certificateService(), id: undefined }), 404, undefined);
  });

  it("enrols an EC with its key: create, read, list, replace, delete, with GPS's fields", async () => {
    await api(t, ADMIN_KEY).post("/v1/services", certificateService());
    const ec = api(t, EC_KEY);
    const path = `/v1/organizations/${EC}/services/${SERVICE_ID}`;
    const created = await ec.post(path, enrolment());
    expect(created.status, created.text).to.equal(201);
    // as GPS: the organization with its enrolments
    expectValid("organization-response", created.body);
    expect(created.body).to.deep.include({ fiscalCode: EC, companyName: "Comune di Prova", status: "ENABLED" });
    const [enrolled] = created.body.enrollments;
    expectValid("enrolment-response", enrolled);
    expect(enrolled).to.include({ serviceId: SERVICE_ID, segregationCode: "47", iban: "IT60X0542811101000000123456" });
    expectProblem(await ec.post(path, enrolment()), 409, "serviceId");
    expect((await ec.get(path)).body).to.deep.equal(enrolled);
    expect((await ec.get(`/v1/organizations/${EC}/services`)).body).to.deep.equal([enrolled]);
    const replaced = await ec.put(path, enrolment({ remittanceInformation: "Altro testo" }));
    expect(replaced.body.enrollments[0].remittanceInformation).to.equal("Altro testo");
    expectProblem(await api(t, ADMIN_KEY).delete(`/v1/services/${SERVICE_ID}`), 422, undefined);
    expect((await ec.delete(path)).status).to.equal(200);
    expectProblem(await ec.get(path), 404, undefined);
    expect((await api(t, ADMIN_KEY).delete(`/v1/services/${SERVICE_ID}`)).status).to.equal(200);
  });

  it("refuses an enrolment in an unknown service, a bad segregation code, a mismatched serviceId, another EC's key", async () => {
    await api(t, ADMIN_KEY).post("/v1/services", certificateService());
    const ec = api(t, EC_KEY);
    expectProblem(await ec.post(`/v1/organizations/${EC}/services/NOONE`, enrolment()), 404, undefined);
    expectProblem(await ec.post(`/v1/organizations/${EC}/services/${SERVICE_ID}`, enrolment({ segregationCode: "4" })), 400, "segregationCode");
    expectProblem(await ec.post(`/v1/organizations/${EC}/services/${SERVICE_ID}`, enrolment({ serviceId: "OTHER" })), 422, "serviceId");
    expectProblem(await ec.post(`/v1/organizations/88888888888/services/${SERVICE_ID}`, enrolment()), 403, undefined);
  });
});
