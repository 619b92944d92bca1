/**
 * SOAP 1.1 envelopes: reading a request with the single-pass reader of xml.ts (which refuses what
 * SOAP 1.1 forbids: DTDs, entity declarations, processing instructions) and writing responses from
 * templates. Only the body root is namespace-qualified; its children are unqualified.
 */
import { OPERATION_BY_REQUEST, PAFN_NS, type Operation } from "./messages.ts";
import { parseXml, XmlError, type XmlElement } from "./xml.ts";

const SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope";

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
  /** Why the root cannot be read as a paForNode message (wrong namespace). */
  rootProblem: string | undefined;
  body: XmlElement;
}

/**
 * Far beyond any paForNode message (≈ 8 levels, ≈ 500 elements in the largest receipt, a few namespace
 * declarations), so that no body can make the tree cost much more time or memory than its text.
 */
const LIMITS = { maxDepth: 64, maxElements: 2_000, maxAttributes: 64 };

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

/** The elements of a parent with this namespace and local name. */
const childrenNamed = (parent: XmlElement, ns: string, name: string) => parent.children.filter((c) => c.ns === ns && c.name === name);

/** Parses an envelope and locates the body root; throws SoapFault when it is not a SOAP 1.1 message. */
export function parseEnvelope(xml: string): ParsedRequest {
  if (FORBIDDEN_CHARS.test(xml)) throw new SoapFault("Client", "The body contains characters XML does not allow (control characters)");
  let envelope: XmlElement;
  try {
    envelope = parseXml(xml, LIMITS);
  } catch (error) {
    if (error instanceof XmlError) throw new SoapFault("Client", `Not well-formed XML: ${error.message} (line ${error.line})`);
    throw error;
  }
  if (envelope.name !== "Envelope") throw new SoapFault("Client", "The document is not a SOAP Envelope");
  if (envelope.ns === SOAP12_NS) throw new SoapFault("VersionMismatch", "SOAP 1.2 envelopes are not supported: this service speaks SOAP 1.1");
  if (envelope.ns !== SOAP11_NS) throw new SoapFault("VersionMismatch", `The Envelope is not in the SOAP 1.1 namespace ${SOAP11_NS}`);
  const bodies = childrenNamed(envelope, SOAP11_NS, "Body");
  if (bodies.length !== 1) throw new SoapFault("Client", "The Envelope must hold one Body");
  const roots = bodies[0]!.children;
  if (roots.length !== 1) throw new SoapFault("Client", "The Body must hold exactly one element");
  const root = roots[0]!;
  const rootProblem = root.ns === PAFN_NS ? undefined : `${root.name} must be in the namespace ${PAFN_NS}`;
  return { operation: OPERATION_BY_REQUEST.get(root.name), rootName: root.name, rootProblem, body: root };
}

/** The operation a SOAPAction header names ("paGetPayment", "\"paGetPayment\"", "urn:x#paGetPayment"). */
export function actionOperation(header: string | undefined, known: ReadonlySet<string>): Operation | undefined {
  if (!header) return undefined;
  const bare = header.trim().replace(/^"|"$/g, "").split(/[/#]/).pop() ?? "";
  return known.has(bare) ? (bare as Operation) : undefined;
}

/** A CR too: written as is, the reader of the answer would take it for a line end and read LF. */
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;" };
const NEEDS_ESCAPE = new RegExp(`[&<>"'\r]|${FORBIDDEN_CHARS.source}`);
const escapeMarkup = (c: string) => ESCAPES[c]!;

/** Escapes markup and replaces characters XML forbids (a character reference could have smuggled one in). */
export function escapeXml(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[&<>"'\r]/g, escapeMarkup).replace(FORBIDDEN_CHARS_GLOBAL, "\uFFFD");
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
