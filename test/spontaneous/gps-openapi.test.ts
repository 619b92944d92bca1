/**
 * Our OpenAPI document against GPS's (../shared/reference/gps-openapi, pagopa/pagopa-spontaneous-payments):
 * each catalogue, enrolment and spontaneous-payment operation is served under /v1 at GPS's path and
 * method, with GPS's operationId and success status, and every field of GPS's request and response
 * bodies is ours too, with the same requirement on requests unless listed below. Path parameters are
 * compared by position (ours are spelled {organizationfiscalcode} throughout, as GPD's). Skipped when
 * ../shared is absent.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { startApp } from "../support/app.ts";

const REFERENCE = path.resolve(import.meta.dirname, "../../../shared/reference/gps-openapi/openapi.json");

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** GPS operations we do not serve, and why. */
const NOT_SERVED: Record<string, string> = {
  healthCheck: "GET /info is GPD's, at the same path",
  getECEnrollments: "organizations are the station's configuration (ORGANIZATIONS); GET /v1/organizations/{ec}/services lists the enrolments",
  createEC: "organizations are the station's configuration",
  updateEC: "organizations are the station's configuration",
  deleteEC: "organizations are the station's configuration",
};

/** Where our request schemas knowingly differ from GPS's: "<operationId>.<field>" -> why. */
const DIFFERENCES: Record<string, string> = {
  "createService.required.endpoint": "a service may be priced by a fixed amount or a tariff instead of the EC's service",
  "createService.required.basePath": "only with an endpoint",
  "updateService.required.endpoint": "a service may be priced by a fixed amount or a tariff instead of the EC's service",
};

const normalise = (p: string) => p.replace(/\{[^}]+\}/g, "{}");

function resolve(doc: Json, schema: Json): Json {
  const ref = schema?.$ref as string | undefined;
  return ref ? doc.components.schemas[ref.slice("#/components/schemas/".length)] : schema;
}

function bodySchema(doc: Json, holder: Json): Json {
  const schema = resolve(doc, holder?.content?.["application/json"]?.schema);
  return schema?.type === "array" ? resolve(doc, schema.items) : schema;
}

describe("GPS compatibility of the spontaneous-payments API (../shared/reference/gps-openapi)", () => {
  before(function () {
    if (!existsSync(REFERENCE)) {
      console.log("    (skipped: ../shared/reference/gps-openapi is absent)");
      this.skip();
    }
  });

  it("serves every GPS operation at its path, method, operationId and success status, with GPS's fields", async () => {
    const gps = JSON.parse(readFileSync(REFERENCE, "utf8"));
    const t = await startApp();
    const ours: Json = (await t.http.get("/openapi.json")).body;
    const ourByPath = new Map(Object.entries(ours.paths as Record<string, Json>).map(([p, item]) => [normalise(p), item]));
    const problems: string[] = [];
    let compared = 0;
    for (const [gpsPath, item] of Object.entries(gps.paths as Record<string, Json>)) {
      for (const [method, operation] of Object.entries(item as Record<string, Json>)) {
        if (method === "parameters" || NOT_SERVED[operation.operationId]) continue;
        const id = operation.operationId as string;
        const our = ourByPath.get(normalise(`/v1${gpsPath}`))?.[method];
        if (!our) {
          problems.push(`${id}: ${method.toUpperCase()} /v1${gpsPath} not served`);
          continue;
        }
        compared++;
        if (our.operationId !== id) problems.push(`${id}: our operationId is ${our.operationId}`);
        const success = Object.keys(operation.responses).find((s) => s.startsWith("2"))!;
        if (!our.responses[success]) problems.push(`${id}: no ${success} answer`);
        const gpsRequest = bodySchema(gps, operation.requestBody);
        if (gpsRequest) {
          const ourRequest = bodySchema(ours, our.requestBody);
          for (const field of Object.keys(gpsRequest.properties ?? {})) if (!ourRequest?.properties?.[field]) problems.push(`${id}: request field ${field} missing`);
          for (const field of gpsRequest.required ?? []) {
            if (!(ourRequest?.required ?? []).includes(field) && !DIFFERENCES[`${id}.required.${field}`]) problems.push(`${id}: request field ${field} not required`);
          }
        }
        const gpsAnswer = bodySchema(gps, operation.responses[success]);
        const ourAnswer = bodySchema(ours, our.responses[success]);
        for (const field of Object.keys(gpsAnswer?.properties ?? {})) if (!ourAnswer?.properties?.[field]) problems.push(`${id}: answer field ${field} missing`);
      }
    }
    expect(problems).to.deep.equal([]);
    expect(compared).to.equal(10);
  });
});
