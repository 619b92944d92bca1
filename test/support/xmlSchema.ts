/**
 * Test helper: strict XSD validation of paForNode SOAP bodies with libxml2-wasm.
 *
 * - `projectSchema()` compiles our own contract (xsd/paForNode.xsd + xsd/sac-common-types.xsd).
 * - `officialSchema()` compiles the official pagoPA schema from ../shared/reference/pagopa-api, or returns null
 *   when that reference copy is not present (a user's clone has no ../shared).
 * - `validateSoapBody()` takes a whole SOAP 1.1 envelope, pulls the single child of soapenv:Body out into a
 *   document of its own (with every namespace declaration that was in scope) and validates it strictly:
 *   validating the envelope itself would be lax, because soapenv:Body admits any element.
 *
 * Compiled schemas are cached for the life of the process; `disposeSchemas()` frees them (they are compiled
 * again on the next request). Every other libxml2 object is disposed before the function that created it returns.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  ParseOption,
  XmlC14NMode,
  XmlDocument,
  XmlElement,
  XmlLibError,
  XmlValidateError,
  XsdValidator,
  xmlRegisterInputProvider,
} from "libxml2-wasm";
import type { XmlInputProvider } from "libxml2-wasm";

export const SOAP11_ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Root of this repository (the directory holding package.json). */
export const PROJECT_ROOT = path.resolve(HERE, "..", "..");
/** Our contract schema. */
export const PROJECT_XSD = path.join(PROJECT_ROOT, "xsd", "paForNode.xsd");
/** Reference copy of the official pagoPA files; only exists next to the development checkout. */
export const OFFICIAL_REFERENCE_DIR = path.resolve(PROJECT_ROOT, "..", "shared", "reference", "pagopa-api");
/** The official paForNode schema (imports ../../xsd-common/sac-common-types-1.0.xsd). */
export const OFFICIAL_XSD = path.join(OFFICIAL_REFERENCE_DIR, "wsdl", "xsd", "paForNode.xsd");

/** Parse options for messages: no network, no external entities. */
const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

// ---------------------------------------------------------------------------------------------------------------
// Reading imported schema files from disk.
//
// libxml2-wasm has no file system access of its own: xs:import/xs:include are read through registered input
// providers. Ours only serves files below the two schema directories, so registering it does not widen what
// any other libxml2 user in the same process can read.

const SCHEMA_ROOTS = [path.dirname(PROJECT_XSD), OFFICIAL_REFERENCE_DIR];

function schemaFilePath(filename: string): string | null {
  let filePath: string;
  try {
    filePath = filename.startsWith("file:") ? fileURLToPath(filename) : path.resolve(filename);
  } catch {
    return null;
  }
  const inside = SCHEMA_ROOTS.some((root) => filePath.startsWith(root + path.sep));
  return inside && filePath.endsWith(".xsd") && fs.existsSync(filePath) ? filePath : null;
}

const openFiles = new Map<number, number>(); // handle given to libxml2 -> fs descriptor
let nextHandle = 1; // libxml2-wasm treats 0 as "could not open"

const schemaFileProvider: XmlInputProvider = {
  match: (filename) => schemaFilePath(filename) !== null,
  open: (filename) => {
    const filePath = schemaFilePath(filename);
    if (filePath === null) return undefined;
    try {
      const handle = nextHandle++;
      openFiles.set(handle, fs.openSync(filePath, "r"));
      return handle;
    } catch {
      return undefined;
    }
  },
  read: (handle, buf) => {
    const fd = openFiles.get(handle);
    if (fd === undefined) return -1;
    try {
      return fs.readSync(fd, buf, 0, buf.byteLength, null);
    } catch {
      return -1;
    }
  },
  close: (handle) => {
    const fd = openFiles.get(handle);
    openFiles.delete(handle);
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // nothing left to do
      }
    }
    return true;
  },
};

let providerRegistered = false;

function ensureSchemaFileProvider(): void {
  if (providerRegistered) return;
  if (!xmlRegisterInputProvider(schemaFileProvider)) {
    throw new Error("libxml2-wasm refused to register the schema file input provider");
  }
  providerRegistered = true;
}

// ---------------------------------------------------------------------------------------------------------------
// Compiled schema cache.

interface CompiledSchema {
  /** The parsed main schema document; kept alive as long as the compiled schema that was built from it. */
  readonly doc: XmlDocument;
  readonly validator: XsdValidator;
}

const compiled = new Map<string, CompiledSchema>();

function details(err: unknown): string {
  if (err instanceof XmlLibError && err.details.length > 0) {
    return err.details.map((d) => `${d.file ? `${d.file}:` : "line "}${d.line}: ${d.message.trim()}`).join("\n");
  }
  return err instanceof Error ? err.message : String(err);
}

function compile(xsdPath: string): XsdValidator {
  const cached = compiled.get(xsdPath);
  if (cached) return cached.validator;
  ensureSchemaFileProvider();
  // The url makes libxml2 resolve schemaLocation relative to the schema file itself.
  const doc = XmlDocument.fromBuffer(fs.readFileSync(xsdPath), { url: xsdPath, option: PARSE_OPTIONS });
  let validator: XsdValidator;
  try {
    validator = XsdValidator.fromDoc(doc);
  } catch (err) {
    doc.dispose();
    throw new Error(`cannot compile ${xsdPath}:\n${details(err)}`, { cause: err });
  }
  compiled.set(xsdPath, { doc, validator });
  return validator;
}

/** Our own contract schema (xsd/paForNode.xsd), compiled once. */
export function projectSchema(): XsdValidator {
  return compile(PROJECT_XSD);
}

/** True when the official reference copy (../shared/reference/pagopa-api) is present. */
export function officialSchemaAvailable(): boolean {
  return fs.existsSync(OFFICIAL_XSD);
}

/** The official pagoPA schema compiled once, or null when the reference copy is not present. */
export function officialSchema(): XsdValidator | null {
  return officialSchemaAvailable() ? compile(OFFICIAL_XSD) : null;
}

/** Frees every compiled schema; a later projectSchema()/officialSchema() call compiles again. */
export function disposeSchemas(): void {
  for (const { doc, validator } of compiled.values()) {
    validator.dispose();
    doc.dispose();
  }
  compiled.clear();
}

// ---------------------------------------------------------------------------------------------------------------
// Validation.

function childElements(parent: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let node = parent.firstChild; node !== null; node = node.next) {
    if (node instanceof XmlElement) out.push(node);
  }
  return out;
}

function parse(xml: string): XmlDocument | string {
  try {
    return XmlDocument.fromString(xml, { option: PARSE_OPTIONS });
  } catch (err) {
    return `not well-formed XML: ${details(err)}`;
  }
}

function validateDocument(doc: XmlDocument, schema: XsdValidator): string[] {
  try {
    schema.validate(doc);
    return [];
  } catch (err) {
    if (err instanceof XmlValidateError) {
      const messages = err.details.map((d) => d.message.trim()).filter((m) => m.length > 0);
      return messages.length > 0 ? messages : [err.message.trim() || "invalid document"];
    }
    throw err;
  }
}

/**
 * Validates a standalone XML document (no SOAP envelope) against the schema.
 * Returns the validation error messages; an empty array means valid.
 */
export function validateXml(xml: string, schema: XsdValidator): string[] {
  const doc = parse(xml);
  if (typeof doc === "string") return [doc];
  try {
    return validateDocument(doc, schema);
  } finally {
    doc.dispose();
  }
}

/**
 * Validates the content of a SOAP 1.1 envelope strictly: the single element child of soapenv:Body is copied
 * into its own document, together with every namespace declaration in scope at that point (e.g. a pafn prefix
 * declared on soapenv:Envelope), and validated against the schema.
 * Returns the error messages (envelope problems or schema violations); an empty array means valid.
 */
export function validateSoapBody(envelopeXml: string, schema: XsdValidator): string[] {
  const envelope = parse(envelopeXml);
  if (typeof envelope === "string") return [envelope];
  let bodyXml: string;
  try {
    const root = envelope.root;
    if (root.name !== "Envelope" || root.namespaceUri !== SOAP11_ENVELOPE_NS) {
      return [`root element is {${root.namespaceUri}}${root.name}, expected a SOAP 1.1 Envelope`];
    }
    const bodies = childElements(root).filter((e) => e.name === "Body" && e.namespaceUri === SOAP11_ENVELOPE_NS);
    const body = bodies[0];
    if (bodies.length !== 1 || body === undefined) {
      return [`the envelope has ${bodies.length} soapenv:Body elements, expected exactly one`];
    }
    const content = childElements(body);
    const payload = content[0];
    if (content.length !== 1 || payload === undefined) {
      return [`soapenv:Body has ${content.length} child elements, expected exactly one`];
    }
    // Inclusive canonicalization of a subtree writes all in-scope namespace declarations on its apex, so the
    // copy is a self-contained document with the same element names and content.
    bodyXml = payload.canonicalizeToString({ mode: XmlC14NMode.XML_C14N_1_0 });
  } finally {
    envelope.dispose();
  }
  return validateXml(bodyXml, schema);
}
