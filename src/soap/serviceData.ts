/**
 * paDemandPaymentNotice's datiSpecificiServizioRequest: base64 of an XML document whose root is
 * <service> in the GeneralService namespace (general-service.xsd: any children, at least one), each
 * child a property {name: its local name, value: its text}, as GPS reads it. Read safely: the size
 * is bounded before decoding, the bytes must be UTF-8, and the XML goes through the SOAP door's own
 * single-pass reader (no DTD, no entity beyond the predefined five, bounded depth and count).
 */
import { errors } from "../domain/errors.ts";
import type { Debtor } from "../domain/position.ts";
import type { PropertyField, PropertyValue } from "../domain/spontaneous.ts";
import { parseXml, XmlError } from "./xml.ts";

export const GENERAL_SERVICE_NS = "http://PuntoAccessoPSP.spcoop.gov.it/GeneralService";

const FIELD = "datiSpecificiServizioRequest";
/** Decoded bytes at most: service data is a handful of short values. */
export const MAX_SERVICE_DATA_BYTES = 8192;
const MAX_PROPERTIES = 50;
const LIMITS = { maxDepth: 3, maxElements: MAX_PROPERTIES + 1, maxAttributes: 8 };

/**
 * paDemandPaymentNotice names no debtor: the notice is made out to an anonymous one (SANP allows
 * "ANONYMOUS" as the identifier when it is not known); the payer is in the receipt.
 */
export const ANONYMOUS_DEBTOR: Debtor = { type: "F", fiscalCode: "ANONYMOUS", fullName: "ANONYMOUS" };

/** Property problems, named by the element that carries the property. */
export const serviceDataField =
  (properties: readonly PropertyValue[]): PropertyField =>
  (index) =>
    index === undefined ? FIELD : `${FIELD}/${properties[index]!.name}`;

/** The properties carried by the base64 text (already checked as base64 by the request reader, whitespace removed). */
export function serviceDataProperties(base64: string): PropertyValue[] {
  // 4 base64 characters carry 3 bytes: refuse before decoding anything
  if ((base64.length / 4) * 3 > MAX_SERVICE_DATA_BYTES + 2) throw errors.schemaViolation(FIELD, `decodes to more than ${MAX_SERVICE_DATA_BYTES} bytes`);
  let xml: string;
  try {
    xml = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Buffer.from(base64, "base64"));
  } catch {
    throw errors.schemaViolation(FIELD, "does not decode to UTF-8 text");
  }
  let root;
  try {
    root = parseXml(xml, LIMITS);
  } catch (error) {
    if (error instanceof XmlError) throw errors.schemaViolation(FIELD, `is not well-formed XML: ${error.message} (line ${error.line})`);
    throw error;
  }
  if (root.name !== "service" || root.ns !== GENERAL_SERVICE_NS) {
    throw errors.schemaViolation(FIELD, `must have the root element service in namespace ${GENERAL_SERVICE_NS}, not ${root.name.slice(0, 60)}${root.ns ? ` in ${root.ns.slice(0, 100)}` : ""}`);
  }
  if (root.children.length === 0) throw errors.schemaViolation(FIELD, "must carry at least one property element");
  return root.children.map((child) => {
    if (child.children.length > 0) throw errors.schemaViolation(`${FIELD}/${child.name}`, "must be a simple value, not nested elements");
    return { name: child.name, value: child.text };
  });
}
