/**
 * Reads a request body element against its paForNode type and returns plain values, in one walk
 * over the element tree. Facets are those of the XSD (the contract tests check both agree);
 * unknown elements are ignored so that the Node can add optional elements without breaking us.
 * A violation throws schemaViolation naming the element path.
 *
 * Text is what the XSD says it is: string types keep every character (whitespace facet "preserve")
 * and their lengths count characters (code points); numbers, booleans, dates and enumerations are
 * read with surrounding XML whitespace ignored (facet "collapse").
 */
import { errors } from "../domain/errors.ts";
import { amountToCents, MAX_CENTS } from "../domain/money.ts";
import { parseTimestamp } from "../domain/time.ts";
import { isXmlSpace, type XmlElement } from "./xml.ts";

export type Leaf =
  /** A string type with length facets (no max: only a minimum length). */
  | { t: "text"; min: number; max?: number }
  | { t: "pattern"; re: RegExp; max?: number; hint: string }
  | { t: "enum"; values: readonly string[] }
  | { t: "amount"; notZero?: boolean }
  | { t: "idTransfer" }
  | { t: "boolean" }
  | { t: "date" }
  | { t: "dateTime" }
  | { t: "base64" };

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

/** xs:date and xs:dateTime with four-digit years (what the store's timestamps can hold) and XSD zones. */
const ZONE = "(Z|[+-](0\\d|1[0-3]):[0-5]\\d|[+-]14:00)?";
const DATE = new RegExp(`^\\d{4}-\\d{2}-\\d{2}${ZONE}$`);
const DATE_TIME = new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?${ZONE}$`);
/** What is left of base64Binary once whitespace is removed: no quantifiers that overlap, so no backtracking. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const XML_SPACE_RUNS = /[ \t\n\r]+/g;
const BOOLEAN: Record<string, boolean> = { true: true, false: false, "1": true, "0": false };

/** The value with leading and trailing XML whitespace removed (not String.trim: that also drops U+00A0 and others). */
function collapse(text: string): string {
  let from = 0;
  let to = text.length;
  while (from < to && isXmlSpace(text.charCodeAt(from))) from++;
  while (to > from && isXmlSpace(text.charCodeAt(to - 1))) to--;
  return from === 0 && to === text.length ? text : text.slice(from, to);
}

/** Length as the XSD counts it: characters (code points), so an astral character counts once. */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

const quoted = (text: string, max: number) => JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

function readLeaf(spec: Leaf, node: XmlElement, path: string): unknown {
  if (node.children.length > 0) throw errors.schemaViolation(path, "must be a simple value, not an element with children");
  const raw = node.text;
  switch (spec.t) {
    case "text": {
      const length = codePoints(raw);
      if (length < spec.min || (spec.max !== undefined && length > spec.max)) {
        throw errors.schemaViolation(path, spec.max === undefined ? `must be at least ${spec.min} character long` : `must be ${spec.min} to ${spec.max} characters long, got ${length}`);
      }
      return raw;
    }
    case "pattern":
      if ((spec.max !== undefined && raw.length > spec.max) || !spec.re.test(raw)) throw errors.schemaViolation(path, `must be ${spec.hint}, got ${quoted(raw, 40)}`);
      return raw;
    case "enum": {
      const value = collapse(raw);
      if (!spec.values.includes(value)) throw errors.schemaViolation(path, `must be one of ${spec.values.join(", ")}`);
      return value;
    }
    case "amount": {
      const cents = amountToCents(collapse(raw).replace(/^\+?0+(?=\d)/, ""));
      if (cents === undefined || cents > MAX_CENTS) throw errors.schemaViolation(path, `must be an amount with two decimals (e.g. 30.00), at most 999999999.99, got ${quoted(raw, 20)}`);
      if (spec.notZero && cents === 0) throw errors.schemaViolation(path, "must be at least 0.01");
      return cents;
    }
    case "idTransfer": {
      const value = /^\+?0*([1-5])$/.exec(collapse(raw));
      if (!value) throw errors.schemaViolation(path, "must be 1, 2, 3, 4 or 5");
      return value[1];
    }
    case "boolean": {
      const value = BOOLEAN[collapse(raw)];
      if (value === undefined) throw errors.schemaViolation(path, "must be true or false");
      return value;
    }
    case "date":
    case "dateTime": {
      // parseTimestamp is what the store uses: a value the reader accepts is always stored as that instant.
      const value = collapse(raw);
      const date = spec.t === "date";
      if (!(date ? DATE : DATE_TIME).test(value) || parseTimestamp(value) === undefined) {
        throw errors.schemaViolation(path, `must be a ${date ? "date YYYY-MM-DD" : "date-time YYYY-MM-DDThh:mm:ss[.s]"} (optionally with a zone) that exists, got ${quoted(raw, 40)}`);
      }
      return value;
    }
    case "base64": {
      const compact = raw.replace(XML_SPACE_RUNS, "");
      if (!BASE64.test(compact) || compact.length % 4 !== 0) throw errors.schemaViolation(path, "must be base64");
      return compact;
    }
  }
}

function readNode(spec: Leaf | Complex, node: XmlElement, path: string): unknown {
  // Children are unqualified: an element in a namespace (by prefix or by a default namespace) is another element.
  if (node.ns !== "") throw errors.schemaViolation(path, `must be unqualified, not in the namespace ${node.ns}`);
  return spec.t === "complex" ? readComplex(spec, node, path) : readLeaf(spec, node, path);
}

export function readComplex(spec: Complex, node: XmlElement, path: string): Record<string, unknown> {
  for (let i = 0; i < node.text.length; i++) {
    if (!isXmlSpace(node.text.charCodeAt(i))) throw errors.schemaViolation(path || node.name, "must contain only elements, not text");
  }
  const byName = new Map<string, XmlElement[]>();
  for (const child of node.children) {
    const same = byName.get(child.name);
    if (same) same.push(child);
    else byName.set(child.name, [child]);
  }
  const out: Record<string, unknown> = {};
  const chosen = new Map<string, string>();
  for (const field of spec.fields) {
    const at = path ? `${path}.${field.name}` : field.name;
    const items = byName.get(field.name);
    if (items === undefined) {
      if (!field.optional && !field.choice) throw errors.schemaViolation(at, "is missing");
      continue;
    }
    if (field.choice) {
      const other = chosen.get(field.choice);
      if (other) throw errors.schemaViolation(at, `cannot appear together with ${other}`);
      chosen.set(field.choice, field.name);
    }
    if (field.max === undefined) {
      if (items.length > 1) throw errors.schemaViolation(at, "must appear once");
      out[field.name] = readNode(field.spec, items[0]!, at);
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
