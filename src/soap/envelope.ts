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
});

/** Deeper than any paForNode message (≈ 8 levels) by a wide margin. */
const MAX_DEPTH = 64;

/** Characters XML 1.0 does not allow anywhere in a document. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const FORBIDDEN_CHARS_GLOBAL = new RegExp(FORBIDDEN_CHARS.source, "g");

function assertSafe(xml: string): void {
  if (FORBIDDEN_CHARS.test(xml)) throw new SoapFault("Client", "The body contains characters XML does not allow (control characters)");
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new SoapFault("Client", "DTDs and entity declarations are not allowed in SOAP messages");
  const pi = /<\?(?!xml[\s?])/i.exec(xml);
  if (pi || /<\?xml[\s?]/i.test(xml.slice(1))) throw new SoapFault("Client", "Processing instructions are not allowed in SOAP messages");
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

function elementEntry(parent: Record<string, unknown>, local: string): [string, unknown] | undefined {
  return Object.entries(parent).find(([key]) => !key.startsWith("@_") && key !== "#text" && localName(key) === local);
}

/** Parses an envelope and locates the body root; throws SoapFault when it is not a SOAP 1.1 message. */
export function parseEnvelope(xml: string): ParsedRequest {
  assertSafe(xml);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new SoapFault("Client", `Not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as Record<string, unknown>;
  const envelopeEntry = elementEntry(doc, "Envelope");
  if (!envelopeEntry) throw new SoapFault("Client", "The document is not a SOAP Envelope");
  const [envelopeName, envelopeNode] = envelopeEntry as [string, Record<string, unknown>];
  const namespaces: Record<string, string> = {};
  const collect = (node: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === "@_xmlns") namespaces[""] = String(value);
      else if (key.startsWith("@_xmlns:")) namespaces[key.slice(8)] = String(value);
    }
  };
  collect(envelopeNode ?? {});
  const envelopeNs = namespaces[prefixOf(envelopeName)];
  if (envelopeNs === SOAP12_NS) throw new SoapFault("VersionMismatch", "SOAP 1.2 envelopes are not supported: this service speaks SOAP 1.1");
  if (envelopeNs !== SOAP11_NS) throw new SoapFault("VersionMismatch", `The Envelope is not in the SOAP 1.1 namespace ${SOAP11_NS}`);
  const bodyEntry = elementEntry(envelopeNode ?? {}, "Body");
  if (!bodyEntry || typeof bodyEntry[1] !== "object" || bodyEntry[1] === null) throw new SoapFault("Client", "The Envelope has no Body");
  const bodyNode = bodyEntry[1] as Record<string, unknown>;
  collect(bodyNode);
  const children = Object.entries(bodyNode).filter(([key]) => !key.startsWith("@_") && key !== "#text");
  if (children.length !== 1 || Array.isArray(children[0]![1])) throw new SoapFault("Client", "The Body must hold exactly one element");
  const [rootName, rootValue] = children[0]!;
  const root = (typeof rootValue === "object" && rootValue !== null ? rootValue : {}) as Record<string, unknown>;
  collect(root);
  const local = localName(rootName);
  const rootNs = namespaces[prefixOf(rootName)];
  let rootProblem: string | undefined;
  if (rootNs !== PAFN_NS) rootProblem = `${local} must be in the namespace ${PAFN_NS}`;
  else if (prefixOf(rootName) === "" || (root["@_xmlns"] !== undefined && root["@_xmlns"] !== "")) {
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
/** Escapes markup and replaces characters XML forbids (a character reference could have smuggled one in). */
export const escapeXml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replace(FORBIDDEN_CHARS_GLOBAL, "\uFFFD");

const OPEN = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP11_NS}" xmlns:pafn="${PAFN_NS}"><soapenv:Body>`;
const CLOSE = "</soapenv:Body></soapenv:Envelope>";

/** A paForNode response envelope around already-escaped children of the body root. */
export function responseEnvelope(rootElement: string, children: string): string {
  return `${OPEN}<pafn:${rootElement}>${children}</pafn:${rootElement}>${CLOSE}`;
}

export function faultEnvelope(fault: SoapFault): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP11_NS}"><soapenv:Body><soapenv:Fault><faultcode>soapenv:${fault.faultCode}</faultcode><faultstring>${escapeXml(fault.faultString)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
}
