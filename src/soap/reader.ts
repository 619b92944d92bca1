/**
 * Reads a request body element against its paForNode type and returns plain values, in one walk
 * over the parsed tree. Facets are those of the XSD (the contract tests check both agree);
 * unknown elements are ignored so that the Node can add optional elements without breaking us.
 * A violation throws schemaViolation naming the element path.
 */
import { errors } from "../domain/errors.ts";
import { amountToCents, MAX_CENTS } from "../domain/money.ts";

export type Leaf =
  | { t: "text"; min: number; max: number }
  | { t: "string" }
  | { t: "pattern"; re: RegExp; max?: number; hint: string }
  | { t: "enum"; values: readonly string[] }
  | { t: "amount"; notZero?: boolean }
  | { t: "idTransfer" }
  | { t: "int" }
  | { t: "boolean" }
  | { t: "date" }
  | { t: "dateTime" }
  | { t: "base64"; min?: number; max?: number };

export interface Complex {
  t: "complex";
  fields: readonly Field[];
}

export interface Field {
  name: string;
  spec: Leaf | Complex;
  optional?: boolean;
  /** Repeats up to max (read as an array). */
  max?: number;
  /** Fields sharing a choice group: exactly one of them must be present. */
  choice?: string;
}

const DATE = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(Z|[+-](0\d|1[0-4]):[0-5]\d)?$/;
const DATE_TIME = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-](0\d|1[0-4]):[0-5]\d)?$/;
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;
/** The date part names a real calendar day (the patterns let 2026-02-30 through; xs:date does not). */
function realDay(text: string): boolean {
  const [y, m, d] = text.replace(/^-/, "").slice(0, 10).split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

const BOOLEAN: Record<string, boolean> = { true: true, false: false, "1": true, "0": false };

/** The text content of a parsed leaf element ("" for an empty element). */
function textOf(node: unknown): string | undefined {
  if (typeof node === "string") return node;
  if (typeof node === "number" || typeof node === "boolean") return String(node);
  if (node && typeof node === "object" && !Array.isArray(node)) {
    const text = (node as Record<string, unknown>)["#text"];
    const children = Object.keys(node).some((k) => !k.startsWith("@_") && k !== "#text");
    if (children) return undefined;
    return text === undefined ? "" : String(text);
  }
  return undefined;
}

function readLeaf(spec: Leaf, node: unknown, path: string): unknown {
  const raw = textOf(node);
  if (raw === undefined) throw errors.schemaViolation(path, "must be a simple value, not an element with children");
  switch (spec.t) {
    case "string":
      return raw;
    case "text":
      if ([...raw].length < spec.min || [...raw].length > spec.max) throw errors.schemaViolation(path, `must be ${spec.min} to ${spec.max} characters long`);
      return raw;
    case "pattern":
      if (!spec.re.test(raw) || (spec.max !== undefined && raw.length > spec.max)) throw errors.schemaViolation(path, `must be ${spec.hint}, got "${raw.slice(0, 40)}"`);
      return raw;
    case "enum":
      if (!spec.values.includes(raw.trim())) throw errors.schemaViolation(path, `must be one of ${spec.values.join(", ")}`);
      return raw.trim();
    case "amount": {
      const cents = amountToCents(raw.trim().replace(/^\+?0+(?=\d)/, ""));
      if (cents === undefined || cents > MAX_CENTS) throw errors.schemaViolation(path, `must be an amount with two decimals (e.g. 30.00), at most 999999999.99, got "${raw.slice(0, 20)}"`);
      if (spec.notZero && cents === 0) throw errors.schemaViolation(path, "must be at least 0.01");
      return cents;
    }
    case "idTransfer": {
      const value = /^\s*\+?0*([1-5])\s*$/.exec(raw);
      if (!value) throw errors.schemaViolation(path, "must be 1, 2, 3, 4 or 5");
      return value[1];
    }
    case "int": {
      if (!/^\s*[+-]?\d{1,10}\s*$/.test(raw) || Math.abs(Number(raw)) > 2_147_483_647) throw errors.schemaViolation(path, "must be an integer");
      return Number(raw);
    }
    case "boolean": {
      const value = BOOLEAN[raw.trim()];
      if (value === undefined) throw errors.schemaViolation(path, "must be true or false");
      return value;
    }
    case "date":
      if (!DATE.test(raw.trim()) || !realDay(raw.trim())) throw errors.schemaViolation(path, `must be a date YYYY-MM-DD, got "${raw.slice(0, 30)}"`);
      return raw.trim();
    case "dateTime":
      if (!DATE_TIME.test(raw.trim()) || !realDay(raw.trim())) throw errors.schemaViolation(path, `must be a date-time YYYY-MM-DDThh:mm:ss, got "${raw.slice(0, 40)}"`);
      return raw.trim();
    case "base64": {
      const compact = raw.replace(/\s+/g, "");
      if (!BASE64.test(raw) || compact.length % 4 !== 0) throw errors.schemaViolation(path, "must be base64");
      if ((spec.min !== undefined && compact.length < spec.min) || (spec.max !== undefined && compact.length > spec.max)) {
        throw errors.schemaViolation(path, `must be ${spec.min ?? 0} to ${spec.max} base64 characters`);
      }
      return compact;
    }
  }
}

function readNode(spec: Leaf | Complex, node: unknown, path: string): unknown {
  // Children are unqualified: one that declares a default namespace of its own is a qualified element.
  const ns = node !== null && typeof node === "object" ? (node as Record<string, unknown>)["@_xmlns"] : undefined;
  if (ns !== undefined && ns !== "") throw errors.schemaViolation(path, `must be unqualified, not in the namespace ${String(ns)}`);
  return spec.t === "complex" ? readComplex(spec, node, path) : readLeaf(spec, node, path);
}

export function readComplex(spec: Complex, node: unknown, path: string): Record<string, unknown> {
  if (node === "" || node === undefined || node === null) node = {};
  if (typeof node !== "object" || Array.isArray(node)) throw errors.schemaViolation(path, "must contain elements");
  const element = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const chosen = new Map<string, string>();
  for (const field of spec.fields) {
    const at = path ? `${path}.${field.name}` : field.name;
    const value = element[field.name];
    if (value === undefined) {
      if (!field.optional && !field.choice) throw errors.schemaViolation(at, "is missing");
      continue;
    }
    if (field.choice) {
      const other = chosen.get(field.choice);
      if (other) throw errors.schemaViolation(at, `cannot appear together with ${other}`);
      chosen.set(field.choice, field.name);
    }
    const items = Array.isArray(value) ? value : [value];
    if (field.max === undefined) {
      if (items.length > 1) throw errors.schemaViolation(at, "must appear once");
      out[field.name] = readNode(field.spec, items[0], at);
    } else {
      if (items.length > field.max) throw errors.schemaViolation(at, `must appear at most ${field.max} times`);
      out[field.name] = items.map((item, i) => readNode(field.spec, item, `${at}[${i}]`));
    }
  }
  for (const field of spec.fields) {
    if (field.choice && !chosen.has(field.choice)) {
      const names = spec.fields.filter((f) => f.choice === field.choice).map((f) => f.name);
      throw errors.schemaViolation(path ? `${path}.${names[0]}` : names[0]!, `one of ${names.join(", ")} is required`);
    }
  }
  return out;
}
