/**
 * Request validation: every schema checked at start and compiled at its first use (compiling all of
 * them up front took over a second of every start); a failure names the offending field.
 * Request types are derived from the same schemas (json-schema-to-ts), so a handler's input type
 * cannot drift from what is validated.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { FromSchema } from "json-schema-to-ts";
import { errors } from "../domain/errors.ts";
import { UNSTORABLE, unstorableText } from "./body.ts";
import { allSchemas } from "./schemas.ts";

type AllSchemas = typeof allSchemas;
export type SchemaId = AllSchemas[number]["$id"];
/** The value each schema accepts (query schemas: after coercion and defaults), computed once. */
type Inputs = { [S in AllSchemas[number] as S["$id"]]: FromSchema<S, { references: [...AllSchemas] }> };
export type Input<Id extends SchemaId> = Inputs[Id];

/** "/paymentOption/0/transfer/1/iban" -> "paymentOption[0].transfer[1].iban" */
function fieldOf(error: ErrorObject): string {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, "/").replace(/~0/g, "~")}`))
    .join("")
    .replace(/^\./, "");
  const extra = (error.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ??
    (error.params as { additionalProperty?: string }).additionalProperty;
  return extra ? (path ? `${path}.${extra}` : extra) : path || "(body)";
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case "required":
      return "is required";
    case "additionalProperties":
      return "is not a known property";
    default:
      return error.message ?? "is invalid";
  }
}

type SchemaNode = {
  $ref?: string;
  type?: string;
  required?: readonly string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
};

const byId = new Map<string, SchemaNode>(allSchemas.map((s) => [s.$id, s as SchemaNode]));

/**
 * JSON null for an optional property means "absent" (GPD reads bodies with Jackson, which does so):
 * removes such nulls wherever the schema has properties, so every optional field of every body
 * accepts null alike. A null for a required property stays and is refused by the schema.
 */
function dropOptionalNulls(schema: SchemaNode, value: unknown): void {
  const node = schema.$ref ? byId.get(schema.$ref)! : schema;
  if (Array.isArray(value)) {
    if (node.items) for (const item of value) dropOptionalNulls(node.items, item);
    return;
  }
  if (!value || typeof value !== "object" || !node.properties) return;
  const object = value as Record<string, unknown>;
  for (const [key, property] of Object.entries(node.properties)) {
    if (!Object.hasOwn(object, key)) continue;
    if (object[key] === null && !node.required?.includes(key)) delete object[key];
    else dropOptionalNulls(property, object[key]);
  }
}

/** Spring's boolean conversion, which GPD clients rely on ("True", "1", "yes", "on"...). */
const BOOLEAN_WORDS: Record<string, boolean> = { true: true, on: true, yes: true, 1: true, false: false, off: false, no: false, 0: false };

/** Reads every boolean query parameter of the schema the way Spring does; anything else is left for the schema to refuse. */
function readBooleans(schema: SchemaNode, query: Record<string, unknown>): void {
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const raw = query[key];
    if (property.type !== "boolean" || typeof raw !== "string") continue;
    const word = raw.trim().toLowerCase();
    if (Object.hasOwn(BOOLEAN_WORDS, word)) query[key] = BOOLEAN_WORDS[word];
  }
}

/**
 * Each schema's validator, compiled when first asked for (ajv keeps it). The schemas are the project's own
 * and checked against JSON Schema's meta-schema by the tests, so the station does not compile the
 * meta-schema at every start (a quarter of a second).
 */
function compileOnUse(ajv: Ajv): (id: string) => ValidateFunction {
  for (const schema of allSchemas) ajv.addSchema(schema);
  return (id) => ajv.getSchema(id)!;
}

export function createValidators() {
  const bodies = compileOnUse(new Ajv({ allErrors: false, strict: true, strictTuples: false, validateSchema: false }));
  // Query strings arrive as text: coerce numbers and booleans, fill defaults.
  const queries = compileOnUse(new Ajv({ allErrors: false, strict: true, coerceTypes: true, useDefaults: true, validateSchema: false }));

  const check = (validatorOf: (id: string) => ValidateFunction, id: SchemaId, value: unknown) => {
    const unstorable = unstorableText(value);
    if (unstorable) throw errors.badRequest(unstorable, UNSTORABLE);
    const validate = validatorOf(id);
    if (!validate(value)) {
      const first = validate.errors![0]!;
      throw errors.badRequest(fieldOf(first), describe(first));
    }
  };

  return {
    /** Asserts a request body against the named schema; throws a 400 naming the field. */
    body<Id extends SchemaId>(id: Id, value: unknown): Input<Id> {
      if (value === undefined || value === null || typeof value !== "object" || Array.isArray(value)) throw errors.badRequest("(body)", "must be a JSON object");
      dropOptionalNulls(byId.get(id)!, value);
      check(bodies, id, value);
      return value as Input<Id>;
    },
    /** Asserts and coerces a query object (a copy) against the named schema. */
    query<Id extends SchemaId>(id: Id, value: Record<string, unknown>): Input<Id> {
      const copy = { ...value };
      readBooleans(byId.get(id)!, copy);
      check(queries, id, copy);
      return copy as Input<Id>;
    },
    /** For tests: the compiled validator of a (response) schema. */
    compiled: (id: SchemaId) => bodies(id),
  };
}

export type Validators = ReturnType<typeof createValidators>;
