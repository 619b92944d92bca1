/**
 * SOAP 1.1 envelopes: parsing a request with fast-xml-parser (after refusing what SOAP 1.1 forbids:
 * DTDs, entity declarations, processing instructions) and writing responses from templates.
 * Only the body root is namespace-qualified; its children are unqualified.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { OPERATION_BY_REQUEST, PAFN_NS, type Operation } from "./messages.ts";

export const SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/";
export const SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope";

/** A request that cannot get a paForNode answer: it gets a SOAP Fault (HTTP 500). */
export class SoapFault extends Error {
  constructor(
    readonly faultCode: "Client" | "Server" | "VersionMismatch",
    readonly faultString: string,
  ) {
    super(faultString);
    this.name = "SoapFault";
  }
}

export interface ParsedRequest {
  /** Operation named by the body root element, if it is one of ours. */
  operation: Operation | undefined;
  rootName: string;
  /** Why the root cannot be read as a paForNode message (wrong namespace, qualified children). */
  rootProblem: string | undefined;
  body: Record<string, unknown>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
  // no callback needs the path of a tag: building it for each one costs ~15% of a parse
  jPath: false,
});

/** Deeper than any paForNode message (≈ 8 levels) by a wide margin. */
const MAX_DEPTH = 64;

/** SOAP 1.1 travels as text/xml (application/xml is tolerated), in UTF-8; a missing header is tolerated. */
export function assertSoap11ContentType(contentType: string | undefined): void {
  if (!contentType) return;
  if (/application\/soap\+xml/i.test(contentType)) {
    throw new SoapFault("VersionMismatch", "SOAP 1.2 (application/soap+xml) is not supported: this service speaks SOAP 1.1 (text/xml)");
  }
  if (!/^\s*(text|application)\/xml\s*(;|$)/i.test(contentType)) {
    throw new SoapFault("Client", `Content-Type ${contentType.slice(0, 60)} is not SOAP 1.1: send text/xml; charset=utf-8`);
  }
  const charset = /charset\s*=\s*"?([^;"\s]+)/i.exec(contentType)?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) throw new SoapFault("Client", `Charset ${charset.slice(0, 30)} is not supported: send UTF-8`);
}

/** Characters XML 1.0 does not allow anywhere in a document. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const FORBIDDEN_CHARS_GLOBAL = new RegExp(FORBIDDEN_CHARS.source, "g");

function assertSafe(xml: string): void {
  if (FORBIDDEN_CHARS.test(xml)) throw new SoapFault("Client", "The body contains characters XML does not allow (control characters)");
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new SoapFault("Client", "DTDs and entity declarations are not allowed in SOAP messages");
  // The XML declaration may open the document; any other "<?" is a processing instruction.
  if (xml.indexOf("<?", /^<\?xml[\s?]/.test(xml) ? 2 : 0) >= 0) throw new SoapFault("Client", "Processing instructions are not allowed in SOAP messages");
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(xml)?.[1];
  if (declared && !/^utf-?8$/i.test(declared)) throw new SoapFault("Client", `Encoding ${declared} is not supported: send UTF-8`);
  let depth = 0;
  let max = 0;
  for (const m of xml.matchAll(/<(\/?)[^!?][^>]*?(\/?)>/g)) {
    if (m[1]) depth--;
    else if (!m[2]) max = Math.max(max, ++depth);
    if (max > MAX_DEPTH) throw new SoapFault("Client", `Elements nested deeper than ${MAX_DEPTH} levels`);
  }
}

const localName = (qname: string) => qname.slice(qname.indexOf(":") + 1);
const prefixOf = (qname: string) => (qname.includes(":") ? qname.slice(0, qname.indexOf(":")) : "");

const isElementKey = (key: string) => !key.startsWith("@_") && key !== "#text";

/** The single child element of a parsed node with this local name, as [qualified name, value]. */
function childElement(parent: Record<string, unknown>, local: string): [string, unknown] | undefined {
  for (const key in parent) if (isElementKey(key) && localName(key) === local) return [key, parent[key]];
  return undefined;
}

/** Adds the namespace declarations of a parsed element to the ones in scope. */
function declareNamespaces(node: Record<string, unknown>, into: Record<string, string>): void {
  for (const key in node) {
    if (key === "@_xmlns") into[""] = String(node[key]);
    else if (key.startsWith("@_xmlns:")) into[key.slice(8)] = String(node[key]);
  }
}

const asNode = (value: unknown) => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

/** Parses an envelope and locates the body root; throws SoapFault when it is not a SOAP 1.1 message. */
export function parseEnvelope(xml: string): ParsedRequest {
  assertSafe(xml);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new SoapFault("Client", `Not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as Record<string, unknown>;
  const envelope = childElement(doc, "Envelope");
  if (!envelope) throw new SoapFault("Client", "The document is not a SOAP Envelope");
  const envelopeNode = asNode(envelope[1]) ?? {};
  const namespaces: Record<string, string> = {};
  declareNamespaces(envelopeNode, namespaces);
  const envelopeNs = namespaces[prefixOf(envelope[0])];
  if (envelopeNs === SOAP12_NS) throw new SoapFault("VersionMismatch", "SOAP 1.2 envelopes are not supported: this service speaks SOAP 1.1");
  if (envelopeNs !== SOAP11_NS) throw new SoapFault("VersionMismatch", `The Envelope is not in the SOAP 1.1 namespace ${SOAP11_NS}`);
  const bodyNode = asNode(childElement(envelopeNode, "Body")?.[1]);
  if (!bodyNode) throw new SoapFault("Client", "The Envelope has no Body");
  declareNamespaces(bodyNode, namespaces);
  let rootName: string | undefined;
  let count = 0;
  for (const key in bodyNode) if (isElementKey(key) && count++ === 0) rootName = key;
  if (count !== 1 || Array.isArray(bodyNode[rootName!])) throw new SoapFault("Client", "The Body must hold exactly one element");
  const root = asNode(bodyNode[rootName!]) ?? {};
  declareNamespaces(root, namespaces);
  const local = localName(rootName!);
  const rootNs = namespaces[prefixOf(rootName!)];
  let rootProblem: string | undefined;
  if (rootNs !== PAFN_NS) rootProblem = `${local} must be in the namespace ${PAFN_NS}`;
  else if (prefixOf(rootName!) === "" || (root["@_xmlns"] !== undefined && root["@_xmlns"] !== "")) {
    rootProblem = `the children of ${local} must be unqualified (no default namespace)`;
  }
  return { operation: OPERATION_BY_REQUEST.get(local), rootName: local, rootProblem, body: root };
}

/** The operation a SOAPAction header names ("paGetPayment", "\"paGetPayment\"", "urn:x#paGetPayment"). */
export function actionOperation(header: string | undefined, known: ReadonlySet<string>): Operation | undefined {
  if (!header) return undefined;
  const bare = header.trim().replace(/^"|"$/g, "").split(/[/#]/).pop() ?? "";
  return known.has(bare) ? (bare as Operation) : undefined;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
const NEEDS_ESCAPE = new RegExp(`[&<>"']|${FORBIDDEN_CHARS.source}`);
const escapeMarkup = (c: string) => ESCAPES[c]!;

/** Escapes markup and replaces characters XML forbids (a character reference could have smuggled one in). */
export function escapeXml(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[&<>"']/g, escapeMarkup).replace(FORBIDDEN_CHARS_GLOBAL, "\uFFFD");
}

const OPEN = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP11_NS}" xmlns:pafn="${PAFN_NS}"><soapenv:Body>`;
const CLOSE = "</soapenv:Body></soapenv:Envelope>";

/** A paForNode response envelope around already-escaped children of the body root. */
export function responseEnvelope(rootElement: string, children: string): string {
  return `${OPEN}<pafn:${rootElement}>${children}</pafn:${rootElement}>${CLOSE}`;
}

export function faultEnvelope(fault: SoapFault): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP11_NS}"><soapenv:Body><soapenv:Fault><faultcode>soapenv:${fault.faultCode}</faultcode><faultstring>${escapeXml(fault.faultString)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
}
