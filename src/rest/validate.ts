/**
 * Request validation: every schema compiled once at start; a failure names the offending field.
 * Request types are derived from the same schemas (json-schema-to-ts), so a handler's input type
 * cannot drift from what is validated.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { FromSchema } from "json-schema-to-ts";
import { errors } from "../domain/errors.ts";
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

function compileAll(ajv: Ajv): Map<string, ValidateFunction> {
  for (const schema of allSchemas) ajv.addSchema(schema);
  return new Map(allSchemas.map((s) => [s.$id, ajv.getSchema(s.$id)!]));
}

export function createValidators() {
  const bodies = compileAll(new Ajv({ allErrors: false, strict: true, strictTuples: false }));
  // Query strings arrive as text: coerce numbers and booleans, fill defaults.
  const queries = compileAll(new Ajv({ allErrors: false, strict: true, coerceTypes: true, useDefaults: true }));

  const check = (validators: Map<string, ValidateFunction>, id: SchemaId, value: unknown) => {
    const validate = validators.get(id)!;
    if (!validate(value)) {
      const first = validate.errors![0]!;
      throw errors.badRequest(fieldOf(first), describe(first));
    }
  };

  return {
    /** Asserts a request body against the named schema; throws a 400 naming the field. */
    body<Id extends SchemaId>(id: Id, value: unknown): Input<Id> {
      if (value === undefined || value === null || typeof value !== "object") throw errors.badRequest("(body)", "must be a JSON object");
      check(bodies, id, value);
      return value as Input<Id>;
    },
    /** Asserts and coerces a query object (a copy) against the named schema. */
    query<Id extends SchemaId>(id: Id, value: Record<string, unknown>): Input<Id> {
      const copy = { ...value };
      check(queries, id, copy);
      return copy as Input<Id>;
    },
    /** For tests: the compiled validator of a (response) schema. */
    compiled: (id: SchemaId) => bodies.get(id)!,
  };
}

export type Validators = ReturnType<typeof createValidators>;
