/** A catalogue service and an enrolment, loaded over REST as a back office would. */
import { expect } from "chai";
import { ADMIN_KEY, EC, EC_KEY, type TestApp } from "../support/app.ts";
import { api } from "../support/rest.ts";

export const SERVICE_ID = "CERT1";
export const SEGREGATION_CODE = "47";

export const certificateService = (overrides: Record<string, unknown> = {}) => ({
  id: SERVICE_ID,
  name: "Certificato anagrafico",
  description: "Diritti di segreteria per un certificato",
  transferCategory: "9/0101108TS/",
  status: "ENABLED",
  properties: [
    { name: "certificateType", type: "STRING", required: true },
    { name: "copies", type: "NUMBER", required: false },
  ],
  tariff: { property: "certificateType", values: { residenza: 52, nascita: 16 }, default: 100 },
  dueInDays: 10,
  ...overrides,
});

export const enrolment = (overrides: Record<string, unknown> = {}) => ({
  iban: "IT60X0542811101000000123456",
  officeName: "Ufficio anagrafe",
  companyName: "Comune di Prova",
  segregationCode: SEGREGATION_CODE,
  remittanceInformation: "Diritti certificato",
  ...overrides,
});

export async function loadCatalogue(t: TestApp, service = certificateService(), ec = EC): Promise<void> {
  const created = await api(t, ADMIN_KEY).post("/v1/services", service);
  expect(created.status, created.text).to.equal(201);
  const enrolled = await api(t, EC_KEY).post(`/v1/organizations/${ec}/services/${service.id}`, enrolment());
  expect(enrolled.status, enrolled.text).to.equal(201);
}

export const demandBody = (properties: Array<{ name: string; value?: string }> = [{ name: "certificateType", value: "residenza" }], fiscalCode = "RSSMRA80A01H501U") => ({
  service: { id: SERVICE_ID, properties },
  debtor: { type: "F", fiscalCode, fullName: "Mario Rossi" },
});
