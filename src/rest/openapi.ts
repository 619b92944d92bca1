/** The OpenAPI 3.1 document, built from the same JSON Schemas that validate requests. */
import { allSchemas, BULK_LIMIT } from "./schemas.ts";

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ "application/json": { schema: ref(id) } });
const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: PROBLEM_TEXT[s], content: { "application/problem+json": { schema: ref("problem") } } }]));
const PROBLEM_TEXT: Record<number, string> = {
  400: "Malformed request: the problem names the field",
  401: "Missing or unknown API key",
  403: "The key cannot reach this organization",
  404: "Not found",
  409: "Conflict: duplicate, payment in progress, or a state that forbids the change",
  422: "A rule beyond the schema is broken: the problem names the field",
  503: "Database unreachable; retry",
};
const ec = { name: "organizationfiscalcode", in: "path", required: true, schema: { type: "string", pattern: "^[0-9]{11}$" } };
const iupd = { name: "iupd", in: "path", required: true, schema: { type: "string" } };
const toPublish = { name: "toPublish", in: "query", schema: { type: "boolean", default: false }, description: "publish at once (VALID, or PUBLISHED until its validity date)" };

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

function listParameters() {
  const list = allSchemas.find((s) => s.$id === "positions-list")!;
  return Object.entries(list.properties).map(([name, schema]) => ({ name, in: "query", schema: toComponent(schema) }));
}

export function buildOpenApi(version: string) {
  const common = { security: [{ ApiKey: [] }] };
  const paths = {
    "/v1/organizations/{organizationfiscalcode}/debtpositions": {
      parameters: [ec],
      get: { ...common, operationId: "listPositions", summary: "List positions (true total in page_info.items_found)", parameters: listParameters(), responses: { 200: { description: "A page", content: json("positions-page") }, ...problems(400, 401, 403, 503) } },
      post: { ...common, operationId: "createPosition", summary: "Create a debt position", parameters: [toPublish], requestBody: { required: true, content: json("position-create") }, responses: { 201: { description: "Created", content: json("position-response") }, ...problems(400, 401, 403, 409, 422, 503) } },
    },
    "/v1/organizations/{organizationfiscalcode}/debtpositions/{iupd}": {
      parameters: [ec, iupd],
      get: { ...common, operationId: "getPosition", responses: { 200: { description: "The position", content: json("position-response") }, ...problems(401, 403, 404, 503) } },
      put: { ...common, operationId: "updatePosition", summary: "Replace a DRAFT, PUBLISHED or VALID position with no payment in progress; a published position stays published", parameters: [toPublish], requestBody: { required: true, content: json("position-create") }, responses: { 200: { description: "Replaced", content: json("position-response") }, ...problems(400, 401, 403, 404, 409, 422, 503) } },
      delete: { ...common, operationId: "deletePosition", responses: { 200: { description: "Deleted", content: { "application/json": { schema: { type: "string" } } } }, ...problems(401, 403, 404, 409, 503) } },
    },
    "/v1/organizations/{organizationfiscalcode}/debtpositions/{iupd}/publish": {
      parameters: [ec, iupd],
      post: { ...common, operationId: "publishPosition", responses: { 200: { description: "Published", content: json("position-response") }, ...problems(401, 403, 404, 409, 503) } },
    },
    "/v1/organizations/{organizationfiscalcode}/debtpositions/{iupd}/invalidate": {
      parameters: [ec, iupd],
      post: { ...common, operationId: "invalidatePosition", responses: { 200: { description: "Invalidated", content: json("position-response") }, ...problems(401, 403, 404, 409, 503) } },
    },
    "/v1/organizations/{organizationfiscalcode}/debtpositions/{iupd}/receipts": {
      parameters: [ec, iupd],
      get: { ...common, operationId: "listReceiptsOfPosition", summary: "Receipts received for the position's notices, with their flags", responses: { 200: { description: "Receipts", content: { "application/json": { schema: { type: "array", items: ref("receipt-response") } } } }, ...problems(401, 403, 404, 503) } },
    },
    "/v1/organizations/{organizationfiscalcode}/paymentoptions/{nav}": {
      parameters: [ec, { name: "nav", in: "path", required: true, schema: { type: "string", pattern: "^[0-9]{18}$" } }],
      get: { ...common, operationId: "getPaymentOptionByNav", responses: { 200: { description: "The option with its position's IUPD and status", content: json("payment-option-response") }, ...problems(400, 401, 403, 404, 503) } },
    },
    "/v1/organizations/{organizationfiscalcode}/rejectedreceipts": {
      parameters: [ec],
      get: { ...common, operationId: "listRejectedReceipts", summary: "Receipts refused for breaking the schema (answered PAA_SINTASSI_XSD), kept so no payment goes unseen; most recent first", parameters: [{ name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 100 } }], responses: { 200: { description: "Refused receipts", content: { "application/json": { schema: { type: "array", items: ref("rejected-receipt-response") } } } }, ...problems(400, 401, 403, 503) } },
    },
    "/v1/organizations/{organizationfiscalcode}/receipts/{receiptId}": {
      parameters: [ec, { name: "receiptId", in: "path", required: true, schema: { type: "string" } }],
      get: { ...common, operationId: "getReceipt", responses: { 200: { description: "The receipt", content: json("receipt-response") }, ...problems(401, 403, 404, 503) } },
    },
    "/v1/organizations/{organizationfiscalcode}/debtpositions/{iupd}/notice.pdf": {
      parameters: [ec, iupd],
      get: { ...common, operationId: "getPositionNotice", summary: "The payment notice (avviso di pagamento) of every option payable now, with a pagoPA QR code each", responses: { 200: { description: "A4 PDF", content: { "application/pdf": { schema: { type: "string", format: "binary" } } } }, ...problems(401, 403, 404, 409, 503) } },
    },
    "/v1/organizations/{organizationfiscalcode}/paymentoptions/{nav}/notice.pdf": {
      parameters: [ec, { name: "nav", in: "path", required: true, schema: { type: "string", pattern: "^[0-9]{18}$" } }],
      get: { ...common, operationId: "getOptionNotice", summary: "The payment notice of one option (the single payment or one installment)", responses: { 200: { description: "A4 PDF", content: { "application/pdf": { schema: { type: "string", format: "binary" } } } }, ...problems(400, 401, 403, 404, 409, 503) } },
    },
    "/v2/organizations/{organizationfiscalcode}/debtpositions": {
      parameters: [ec],
      post: { ...common, operationId: "createPositions", summary: `Create up to ${BULK_LIMIT} positions, all or nothing`, parameters: [toPublish], requestBody: { required: true, content: json("positions-bulk") }, responses: { 201: { description: "Created" }, ...problems(400, 401, 403, 409, 422, 503) } },
      put: { ...common, operationId: "updatePositions", summary: `Replace up to ${BULK_LIMIT} positions, all or nothing`, parameters: [toPublish], requestBody: { required: true, content: json("positions-bulk") }, responses: { 200: { description: "Replaced" }, ...problems(400, 401, 403, 404, 409, 422, 503) } },
      delete: { ...common, operationId: "deletePositions", summary: `Delete up to ${BULK_LIMIT} positions, all or nothing`, requestBody: { required: true, content: json("iupds-bulk-delete") }, responses: { 200: { description: "Deleted" }, ...problems(400, 401, 403, 404, 409, 503) } },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "stazione debt positions",
      version,
      description: "GPD-compatible REST API of the stazione pagoPA station. Every path is also served under /gpd/debt-positions-service/v1 and /v2.",
    },
    paths,
    components: {
      securitySchemes: { ApiKey: { type: "apiKey", in: "header", name: "Ocp-Apim-Subscription-Key" } },
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
