/** The OpenAPI 3.1 document, built from the operation table and the JSON Schemas that validate requests. */
import { requestExamples } from "./examples.ts";
import type { Operation, Success } from "./operations.ts";
import { allSchemas } from "./schemas.ts";
import type { SchemaId } from "./validate.ts";

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ "application/json": { schema: ref(id) } });
const problems = (statuses: readonly number[], errorSchema?: SchemaId) =>
  Object.fromEntries(
    statuses.map((s) => [String(s), { description: PROBLEM_TEXT[s], content: errorSchema ? json(errorSchema) : { "application/problem+json": { schema: ref("problem") } } }]),
  );
const PROBLEM_TEXT: Record<number, string> = {
  400: "Malformed request: the problem names the field",
  401: "Missing or unknown API key",
  403: "The key cannot reach this organization, or is not an admin key where only one is accepted",
  404: "Not found",
  409: "Conflict: duplicate, payment in progress, or a state that forbids the change",
  422: "A rule beyond the schema is broken: the problem names the field",
  500: "Unexpected error",
  502: "A service the station depends on (an EC's pricing service) failed or did not answer in time",
  503: "Database unreachable; retry",
};
/** Path parameters by name, with the value "Try it out" starts from where one fits every station. */
const PATH_PARAMETERS: Record<string, { type: string; pattern?: string; description?: string }> = {
  organizationfiscalcode: { type: "string", pattern: "^[0-9]{11}$", description: "an EC this station serves (ORGANIZATIONS)" },
  nav: { type: "string", pattern: "^[0-9]{15,18}$", description: "notice number (18 digits); where GPD also takes an IUV (15 or 17 digits), the IUV" },
  serviceId: { type: "string", pattern: "^[A-Za-z0-9]{5}$", description: "a catalogue service (5 characters)" },
};

/** JSON Schema $ref by $id -> OpenAPI component refs. */
function toComponent(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toComponent);
  if (schema && typeof schema === "object") {
    return Object.fromEntries(
      Object.entries(schema)
        .filter(([key]) => key !== "$id")
        .map(([key, value]) => [key, key === "$ref" ? `#/components/schemas/${value as string}` : toComponent(value)]),
    );
  }
  return schema;
}

const schemaById = (id: SchemaId) => allSchemas.find((s) => s.$id === id)!;

/** The query parameters of an operation: the properties of its query schema. */
function queryParameters(id: SchemaId | undefined) {
  if (id === undefined) return [];
  const schema = schemaById(id) as { properties: Record<string, { description?: string }> };
  return Object.entries(schema.properties).map(([name, property]) => ({ name, in: "query", ...(property.description ? { description: property.description } : {}), schema: toComponent(property) }));
}

/** `examples`: the value "Try it out" starts from, by parameter name (the first EC this station serves). */
const pathParameters = (path: string, examples: Record<string, string>) =>
  [...path.matchAll(/\{([\w-]+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: PATH_PARAMETERS[name!] ?? { type: "string" },
    ...(examples[name!] ? { example: examples[name!] } : {}),
  }));

function success({ status, description, schema, media = "application/json" }: Success) {
  if (schema === undefined) return { [status]: { description } };
  const binary = media === "application/pdf" || media === "application/zip";
  const body = typeof schema === "string" ? ref(schema) : toComponent(binary ? { ...schema, format: "binary" } : schema);
  return { [status]: { description, content: { [media]: { schema: body } } } };
}

/** A request body's schema, with the example Swagger UI's "Try it out" starts from where there is one. */
function requestContent(id: SchemaId) {
  const example = requestExamples[id];
  return { "application/json": { schema: ref(id), ...(example === undefined ? {} : { example }) } };
}

/** The keys an operation takes: station-wide keys also as a bearer token. */
function securityOf(o: Operation) {
  if (o.admin) return [{ AdminKey: [] }, { StationBearer: [] }];
  if (o.tester) return [{ AdminKey: [] }, { TesterKey: [] }, { StationBearer: [] }];
  return [{ ApiKey: [] }];
}

function operationObject(o: Operation, pathExamples: Record<string, string>) {
  const parameters = [...pathParameters(o.path, pathExamples), ...queryParameters(o.query)];
  return {
    ...(o.public ? {} : { security: securityOf(o) }),
    operationId: o.operationId,
    ...(o.summary ? { summary: o.summary } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(o.body ? { requestBody: { required: true, content: requestContent(o.body) } } : {}),
    responses: { ...success(o.success), ...problems(o.problems, o.errorSchema) },
  };
}

/** `organization`: the EC the examples' paths name (the request examples fit any EC: their transfers default to it). */
export function buildOpenApi(version: string, table: readonly Operation[], organization: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const o of table) (paths[o.path] ??= {})[o.method] = operationObject(o, { organizationfiscalcode: organization });
  return {
    openapi: "3.1.0",
    info: {
      title: "stazione debt positions",
      version,
      description: "GPD-compatible REST API of the stazione pagoPA station. Every /v1 and /v2 path is also served under /gpd/debt-positions-service/v1 and /v2.",
    },
    paths,
    components: {
      securitySchemes: {
        ApiKey: { type: "apiKey", in: "header", name: "Ocp-Apim-Subscription-Key" },
        AdminKey: { type: "apiKey", in: "header", name: "Ocp-Apim-Subscription-Key", description: "one of the station's admin keys (ADMIN_API_KEY); an EC's key is refused" },
        TesterKey: { type: "apiKey", in: "header", name: "Ocp-Apim-Subscription-Key", description: "a tester key (TESTER_API_KEY): reaches the test scenarios only" },
        StationBearer: { type: "http", scheme: "bearer", description: "an admin key, or a tester key where one is taken, as Authorization: Bearer <key> (what Prometheus sends)" },
      },
      schemas: Object.fromEntries(allSchemas.map((s) => [s.$id, toComponent(s)])),
    },
  };
}

/** The interactive page at /docs, served with swagger-ui-dist's assets (no network needed). */
export const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>stazione API</title>
<link rel="stylesheet" href="docs/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: "openapi.json", dom_id: "#ui" });</script>
</body></html>`;
