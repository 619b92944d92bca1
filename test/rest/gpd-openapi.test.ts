/**
 * Our OpenAPI document against GPD's own (../shared/reference/gpd-openapi, springdoc output of
 * pagopa/pagopa-debt-position), for every operation of GPD's external v1 and v2 APIs: we serve each
 * at its path and method, with its operationId, its success status, every query parameter (same
 * enums, defaults and bounds or a documented difference), its error statuses, and request and
 * response schemas that agree field by field. Every difference is listed below with its reason
 * (the README's GPD compatibility table says the same). Skipped when ../shared is absent.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { servedPaths } from "../../src/rest/mount.ts";
import { startApp, type TestApp } from "../support/app.ts";

const REFERENCE = path.resolve(import.meta.dirname, "../../../shared/reference/gpd-openapi");

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Where we knowingly differ from GPD: "<GPD schema or operation>.<field>" -> why. */
const DIFFERENCES: Record<string, string> = {
  "PaymentOptionModelResponse.idFlowReporting": "no reporting flows (FdR) yet",
  "PaymentOptionModelResponse.reportingDate": "no reporting flows (FdR) yet",
  "PaymentsModelResponse.idFlowReporting": "no reporting flows (FdR) yet",
  "PaymentsModelResponse.reportingDate": "no reporting flows (FdR) yet",
  "PaymentsModelResponse.lastUpdatedDateNotificationFee": "the time of the last notification fee change is not kept",
  "PaymentsModelResponse.serviceType": "one service type: GPD",
  "PaymentPositionModel.required.paymentOption": "GPD accepts a position without options and fails later with 500",
  "PaymentOptionModel.required.transfer": "GPD accepts an option without transfers, which the Node cannot pay",
  "getOrganizationDebtPositions.limit.maximum": "pages of up to 100 positions (GPD: 50)",
  "getOrganizationDebtPositions.page.maximum": "page numbers are bounded (100000) so no request costs unbounded work",
};

interface GpdOperation {
  version: "v1" | "v2";
  path: string;
  method: string;
  operation: Json;
}

function gpdOperations(doc: Json, version: "v1" | "v2"): GpdOperation[] {
  return Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([method]) => method !== "parameters")
      .map(([method, operation]) => ({ version, path: p, method, operation })),
  );
}

/** Follows one "#/components/schemas/X" reference in its own document. */
function resolve(doc: Json, schema: Json): { name?: string; schema: Json } {
  const ref = schema?.$ref as string | undefined;
  if (!ref) return { schema };
  const name = ref.slice("#/components/schemas/".length);
  return { name, schema: doc.components.schemas[name] };
}

/**
 * Compares a GPD object schema with ours, field by field and one level into arrays and objects:
 * every GPD property is ours too (same type, our enum covers GPD's); with `request`, the required
 * fields agree.
 */
function compareSchemas(gpdDoc: Json, gpdSchema: Json, ourDoc: Json, ourSchema: Json, request: boolean, seen = new Set<string>()): string[] {
  const gpd = resolve(gpdDoc, gpdSchema);
  const ours = resolve(ourDoc, ourSchema).schema;
  const label = gpd.name ?? "(inline)";
  if (gpd.name) {
    if (seen.has(gpd.name)) return [];
    seen.add(gpd.name);
  }
  const problems: string[] = [];
  const known = (key: string) => DIFFERENCES[`${label}.${key}`] !== undefined;
  if (gpd.schema.type && ours?.type && gpd.schema.type !== ours.type) problems.push(`${label}: type ${gpd.schema.type} vs ours ${ours.type}`);
  if (gpd.schema.type === "array") return [...problems, ...compareSchemas(gpdDoc, gpd.schema.items, ourDoc, ours?.items, request, seen)];
  for (const [field, property] of Object.entries((gpd.schema.properties ?? {}) as Record<string, Json>)) {
    if (known(field)) continue;
    const our = ours?.properties?.[field];
    if (!our) {
      if (!(request && property.readOnly)) problems.push(`${label}.${field}: missing`);
      continue;
    }
    const gp = resolve(gpdDoc, property).schema;
    const op = resolve(ourDoc, our).schema;
    if (gp.type && op.type && gp.type !== op.type) problems.push(`${label}.${field}: type ${gp.type} vs ours ${op.type}`);
    for (const value of gp.enum ?? []) if (!(op.enum ?? [value]).includes(value)) problems.push(`${label}.${field}: enum value ${value} missing`);
    if (property.$ref || gp.type === "array") problems.push(...compareSchemas(gpdDoc, property, ourDoc, our, request, seen));
  }
  if (request) {
    const gpdRequired = new Set<string>(gpd.schema.required ?? []);
    const ourRequired = new Set<string>(ours?.required ?? []);
    for (const field of gpdRequired) if (!ourRequired.has(field) && !known(`required.${field}`)) problems.push(`${label}: ${field} is required by GPD, optional here`);
    for (const field of ourRequired) if (!gpdRequired.has(field) && !known(`required.${field}`)) problems.push(`${label}: ${field} is required here, optional in GPD`);
  }
  return problems;
}

const successOf = (operation: Json): [string, Json] => Object.entries(operation.responses as Record<string, Json>).find(([status]) => status.startsWith("2"))!;
const jsonSchemaOf = (response: Json) => response?.content?.["application/json"]?.schema;

describe("our OpenAPI document against GPD's (external v1 and v2)", function () {
  let t: TestApp;
  let ours: Json;
  const docs: Partial<Record<"v1" | "v2", Json>> = {};

  before(function () {
    if (!existsSync(REFERENCE)) {
      console.log(`      (skipping: ${REFERENCE} is not present)`);
      this.skip();
    }
    docs.v1 = JSON.parse(readFileSync(path.join(REFERENCE, "openapi_external_v1.json"), "utf8"));
    docs.v2 = JSON.parse(readFileSync(path.join(REFERENCE, "openapi_external_v2.json"), "utf8"));
  });

  beforeEach(async () => {
    t = await startApp();
    ours = (await t.http.get("/openapi.json")).body;
  });

  /** Our operation serving GPD's (version, path, method), and its documented form. */
  function ourOperation({ version, path: p, method }: GpdOperation) {
    const wanted = p === "/info" ? "/info" : `/${version}${p}`;
    const operation = t.app.operations.find((o) => o.method === method && (o.path === wanted || servedPaths(o).includes(wanted)));
    return operation && { operation, documented: ours.paths[operation.path][method] };
  }

  it("serves every operation of GPD's external v1 and v2 APIs with its operationId and success status", () => {
    const all = [...gpdOperations(docs.v1, "v1"), ...gpdOperations(docs.v2, "v2")];
    expect(all).to.have.length(15);
    for (const gpd of all) {
      const found = ourOperation(gpd);
      const name = `${gpd.method.toUpperCase()} /${gpd.version}${gpd.path}`;
      expect(found, `${name} is not served`).not.to.equal(undefined);
      expect(found!.operation.operationId, name).to.equal(gpd.operation.operationId);
      expect(found!.operation.success.status, name).to.equal(Number(successOf(gpd.operation)[0]));
    }
  });

  it("accepts every query parameter GPD documents, with GPD's enums, defaults and bounds", () => {
    for (const gpd of [...gpdOperations(docs.v1, "v1"), ...gpdOperations(docs.v2, "v2")]) {
      const { operation, documented } = ourOperation(gpd)!;
      const ourParameters = new Map<string, Json>((documented.parameters ?? []).map((p: Json) => [p.name, p]));
      for (const parameter of (gpd.operation.parameters ?? []) as Json[]) {
        if (parameter.in !== "query") continue;
        const name = `${operation.operationId}.${parameter.name}`;
        const our = ourParameters.get(parameter.name);
        expect(our, `${name} is not accepted`).not.to.equal(undefined);
        const [g, o] = [parameter.schema, our.schema];
        expect(o.type, name).to.equal(g.type);
        for (const value of g.enum ?? []) expect(o.enum, `${name} enum`).to.include(value);
        if (g.default !== undefined) expect(o.default, `${name} default`).to.equal(g.default);
        for (const bound of ["minimum", "maximum"] as const) {
          if (g[bound] !== undefined && !DIFFERENCES[`${name}.${bound}`]) expect(o[bound], `${name} ${bound}`).to.equal(g[bound]);
        }
        if (parameter.required) expect(our.required ?? (o.default === undefined), `${name} required`).to.equal(true);
      }
    }
  });

  it("answers GPD's error statuses (all but 429 and 500, which a station does not promise)", () => {
    for (const gpd of [...gpdOperations(docs.v1, "v1"), ...gpdOperations(docs.v2, "v2")]) {
      const { operation } = ourOperation(gpd)!;
      for (const status of Object.keys(gpd.operation.responses).filter((s) => /^4/.test(s) && s !== "429")) {
        if (gpd.path === "/info") continue;
        expect(operation.problems, `${operation.operationId} ${status}`).to.include(Number(status));
      }
    }
  });

  it("has request and response schemas that agree with GPD's field by field", () => {
    const problems: string[] = [];
    for (const gpd of [...gpdOperations(docs.v1, "v1"), ...gpdOperations(docs.v2, "v2")]) {
      const { documented } = ourOperation(gpd)!;
      const gpdBody = jsonSchemaOf(gpd.operation.requestBody);
      if (gpdBody) {
        const ourBody = jsonSchemaOf(documented.requestBody);
        if (!ourBody) problems.push(`${documented.operationId}: no request body`);
        else problems.push(...compareSchemas(docs[gpd.version], gpdBody, ours, ourBody, true));
      }
      const gpdAnswer = jsonSchemaOf(successOf(gpd.operation)[1]);
      if (gpdAnswer) problems.push(...compareSchemas(docs[gpd.version], gpdAnswer, ours, jsonSchemaOf(successOf(documented)[1]), false));
    }
    expect(problems, problems.join("\n")).to.deep.equal([]);
  });

  it("lists positions as GPD: list and page_info names, status filter, orderby and ordering", () => {
    const gpdList = docs.v1.paths["/organizations/{organizationfiscalcode}/debtpositions"].get;
    const page = resolve(docs.v1, jsonSchemaOf(gpdList.responses["200"])).schema;
    const ourPage = ours.components.schemas["positions-page"];
    expect(Object.keys(ourPage.properties).sort()).to.deep.equal(Object.keys(page.properties).sort());
    const pageInfo = resolve(docs.v1, page.properties.page_info).schema;
    const ourPageInfo = resolve(ours, ourPage.properties.page_info).schema;
    expect(Object.keys(ourPageInfo.properties).sort()).to.deep.equal(Object.keys(pageInfo.properties).sort());
    expect([...ourPageInfo.required].sort()).to.deep.equal([...pageInfo.required].sort());
    const statuses = gpdList.parameters.find((p: Json) => p.name === "status").schema.enum;
    expect(ours.components.schemas["position-response"].properties.status.enum).to.deep.equal(statuses);
  });

  it("lists every difference it tolerates, each still a difference", () => {
    // a difference that no longer exists must leave the table (and the README)
    const v1 = docs.v1.components.schemas;
    for (const key of Object.keys(DIFFERENCES)) {
      const [schema, field, extra] = key.split(".");
      if (v1[schema!] && field !== "required") {
        expect(v1[schema!].properties[field!], key).not.to.equal(undefined);
        const ourNames: Record<string, string> = { PaymentOptionModelResponse: "payment-option-response", PaymentsModelResponse: "payment-option-response" };
        expect(ours.components.schemas[ourNames[schema!]!]?.properties?.[field!], key).to.equal(undefined);
      } else if (field === "required") {
        const ourNames: Record<string, string> = { PaymentPositionModel: "position-create", PaymentOptionModel: "payment-option" };
        expect(v1[schema!].required ?? [], key).not.to.include(extra);
        expect(ours.components.schemas[ourNames[schema!]!].required, key).to.include(extra);
      }
    }
  });
});
