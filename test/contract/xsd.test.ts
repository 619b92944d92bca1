/**
 * Contract tests for our own paForNode schema (xsd/) and WSDL (wsdl/).
 *
 * Our files are written from the facts of the official pagoPA schema; these tests check that they define the same
 * language: the constructed examples are valid under both, a set of mutated examples is rejected by both (with the
 * same messages), and the two schemas declare the same components once names are resolved and annotations dropped.
 * Whatever needs the official reference copy (../shared/reference/pagopa-api) is skipped when it is absent.
 */
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { XmlDocument, XmlElement } from "libxml2-wasm";
import { OPERATIONS as MESSAGES, requestSpecs, type Operation } from "../../src/soap/messages.ts";
import type { Complex, Field, Leaf } from "../../src/soap/reader.ts";
import type { XsdValidator } from "libxml2-wasm";
import {
  OFFICIAL_REFERENCE_DIR,
  OFFICIAL_XSD,
  PROJECT_ROOT,
  PROJECT_XSD,
  disposeSchemas,
  officialSchema,
  officialSchemaAvailable,
  projectSchema,
  validateSoapBody,
  validateXml,
} from "../support/xmlSchema.ts";

const XS = "http://www.w3.org/2001/XMLSchema";
const WSDL = "http://schemas.xmlsoap.org/wsdl/";
const WSDL_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/";
const PAFN = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";
const COMMON = "http://pagopa-api.pagopa.gov.it/xsd/common-types/v1.0.0/";
const WSDL_TNS = "http://pagopa-api.pagopa.gov.it/paForNode";

const EXAMPLES_DIR = path.join(OFFICIAL_REFERENCE_DIR, "examples", "constructed");
const OFFICIAL_WSDL = path.join(OFFICIAL_REFERENCE_DIR, "wsdl", "paForNode.wsdl");
const PROJECT_WSDL = path.join(PROJECT_ROOT, "wsdl", "paForNode.wsdl");
/** Not a SOAP message: the stamp document carried base64-encoded in MBDAttachment. */
const NOT_A_MESSAGE = new Set(["marcaDaBollo-sample.xml"]);

const OPERATIONS = [
  "paVerifyPaymentNotice",
  "paGetPayment",
  "paGetPaymentV2",
  "paSendRT",
  "paSendRTV2",
  "paDemandPaymentNotice",
];

// ------------------------------------------------------------------------------------------------- helpers

function referenceAvailable(): boolean {
  return officialSchemaAvailable() && fs.existsSync(EXAMPLES_DIR);
}

let skipNoticeShown = false;

/** Skips the current suite or test when the official reference copy is not next to this checkout. */
function requireReference(ctx: Mocha.Context): void {
  if (referenceAvailable()) return;
  if (!skipNoticeShown) {
    skipNoticeShown = true;
    console.log(`      (skipping comparisons with the official schema: ${OFFICIAL_REFERENCE_DIR} is not present)`);
  }
  ctx.skip();
}

function official(): XsdValidator {
  const schema = officialSchema();
  if (schema === null) throw new Error(`official schema not found at ${OFFICIAL_XSD}`);
  return schema;
}

function example(file: string): string {
  return fs.readFileSync(path.join(EXAMPLES_DIR, file), "utf8");
}

function exampleFiles(): string[] {
  if (!referenceAvailable()) return [];
  return fs
    .readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith(".xml") && !NOT_A_MESSAGE.has(f))
    .sort();
}

/** Replaces the first occurrence of `from`; fails loudly if the example no longer contains it. */
function replaceOnce(xml: string, from: string, to: string): string {
  const at = xml.indexOf(from);
  if (at < 0) throw new Error(`mutation precondition failed: ${JSON.stringify(from)} not found`);
  return xml.slice(0, at) + to + xml.slice(at + from.length);
}

function envelope(body: string, bodyRootNs = `xmlns:pafn="${PAFN}"`): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ${bodyRootNs}>` +
    `<soapenv:Header/><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

function transfer(id: number): string {
  return (
    `<transfer><idTransfer>${id}</idTransfer><transferAmount>1.00</transferAmount>` +
    `<fiscalCodePA>77777777777</fiscalCodePA><IBAN>IT60X0542811101000000123456</IBAN>` +
    `<remittanceInformation>quota ${id}</remittanceInformation><transferCategory>0101100IM</transferCategory></transfer>`
  );
}

function mapEntries(n: number): string {
  return Array.from({ length: n }, (_, i) => `<mapEntry><key>k${i}</key><value>v${i}</value></mapEntry>`).join("");
}

const LAST_TRANSFER_END = "<transferCategory>0201102IM</transferCategory>\n          </transfer>";

// ------------------------------------------------------------------------------------------------- mutations

interface Mutation {
  /** Completes the sentence "our schema and the official one both ..." */
  readonly title: string;
  readonly file: string;
  readonly edit: (xml: string) => string;
  /** null: both schemas must accept; otherwise both must reject with a message matching it. */
  readonly error: RegExp | null;
}

const MUTATIONS: readonly Mutation[] = [
  // amounts
  {
    title: "reject an amount written without decimals (30)",
    file: "paGetPayment-req.xml",
    edit: (x) => replaceOnce(x, "<amount>30.00</amount>", "<amount>30</amount>"),
    error: /'amount'.*\[facet 'pattern'\]/,
  },
  {
    title: "reject an amount written with one decimal (30.0)",
    file: "paGetPayment-req.xml",
    edit: (x) => replaceOnce(x, "<amount>30.00</amount>", "<amount>30.0</amount>"),
    error: /'amount'.*\[facet 'pattern'\]/,
  },
  {
    title: "reject an amount written with a decimal comma (30,00)",
    file: "paGetPayment-req.xml",
    edit: (x) => replaceOnce(x, "<amount>30.00</amount>", "<amount>30,00</amount>"),
    error: /'amount'/,
  },
  {
    title: "reject a zero paymentAmount in paGetPayment data, where the type is stAmountNotZero",
    file: "paGetPayment-res-OK.xml",
    edit: (x) => replaceOnce(x, "<paymentAmount>30.00</paymentAmount>", "<paymentAmount>0.00</paymentAmount>"),
    error: /'paymentAmount'.*\[facet 'minInclusive'\]/,
  },
  {
    title: "reject a zero transferAmount",
    file: "paGetPaymentV2-res-OK.xml",
    edit: (x) => replaceOnce(x, "<transferAmount>16.00</transferAmount>", "<transferAmount>0.00</transferAmount>"),
    error: /'transferAmount'.*\[facet 'minInclusive'\]/,
  },
  {
    title: "accept a zero paymentAmount in a receipt, where the type is stAmount",
    file: "paSendRT-req.xml",
    edit: (x) => replaceOnce(x, "<paymentAmount>30.00</paymentAmount>", "<paymentAmount>0.00</paymentAmount>"),
    error: null,
  },
  {
    title: "reject an amount above 999999999.99",
    file: "paVerifyPaymentNotice-res-OK.xml",
    edit: (x) => replaceOnce(x, "<amount>30.00</amount>", "<amount>1000000000.00</amount>"),
    error: /'amount'.*\[facet 'maxInclusive'\]/,
  },
  // namespaces
  {
    title: "reject a child element qualified with the paForNode namespace",
    file: "paVerifyPaymentNotice-req.xml",
    edit: (x) => replaceOnce(replaceOnce(x, "<idPA>", "<pafn:idPA>"), "</idPA>", "</pafn:idPA>"),
    error: /'\{http:\/\/pagopa-api\.pagopa\.gov\.it\/pa\/paForNode\.xsd\}idPA': This element is not expected/,
  },
  {
    title: "reject children put in the paForNode namespace by a default namespace declaration",
    file: "paSendRT-res-OK.xml",
    edit: (x) => replaceOnce(x, "<pafn:paSendRTRes>", `<pafn:paSendRTRes xmlns="${PAFN}">`),
    error: /paForNode\.xsd\}outcome': This element is not expected/,
  },
  {
    title: "reject a body root that is not qualified",
    file: "paSendRT-res-OK.xml",
    edit: (x) => replaceOnce(replaceOnce(x, "<pafn:paSendRTRes>", "<paSendRTRes>"), "</pafn:paSendRTRes>", "</paSendRTRes>"),
    error: /No matching global declaration available for the validation root/,
  },
  {
    title: "reject the V1 root name paGetPaymentRes wrapped around V2 payment data",
    file: "paGetPaymentV2-res-OK.xml",
    edit: (x) =>
      replaceOnce(replaceOnce(x, "pafn:paGetPaymentV2Response>", "pafn:paGetPaymentRes>"), "pafn:paGetPaymentV2Response>", "pafn:paGetPaymentRes>"),
    error: /'companyName': This element is not expected\. Expected is \( IBAN \)/,
  },
  // structure and cardinality
  {
    title: "reject a transfer without its required transferCategory",
    file: "paGetPayment-res-OK.xml",
    edit: (x) => replaceOnce(x, "<transferCategory>0101100IM</transferCategory>", ""),
    error: /Missing child element\(s\)\. Expected is \( transferCategory \)/,
  },
  {
    title: "reject paGetPaymentV2 data without the companyName that V2 requires",
    file: "paGetPaymentV2-res-OK.xml",
    edit: (x) => replaceOnce(x, "<companyName>Comune di Esempio</companyName>", ""),
    error: /'officeName': This element is not expected\. Expected is \( companyName \)/,
  },
  {
    title: "reject a payment option without allCCP",
    file: "paVerifyPaymentNotice-res-OK.xml",
    edit: (x) => replaceOnce(x, "<allCCP>false</allCCP>", ""),
    error: /Expected is \( allCCP \)/,
  },
  {
    title: "reject a payment list with two payment options",
    file: "paDemandPaymentNotice-res-OK.xml",
    edit: (x) => replaceOnce(x, "</paymentOptionDescription>", "</paymentOptionDescription><paymentOptionDescription><amount>2.00</amount><options>EQ</options><allCCP>false</allCCP></paymentOptionDescription>"),
    error: /'paymentOptionDescription': This element is not expected/,
  },
  {
    title: "accept a transfer list with 5 transfers",
    file: "paGetPayment-res-OK.xml",
    edit: (x) => replaceOnce(x, LAST_TRANSFER_END, LAST_TRANSFER_END + [3, 4, 5].map(transfer).join("")),
    error: null,
  },
  {
    title: "reject a transfer list with 6 transfers",
    file: "paGetPayment-res-OK.xml",
    edit: (x) => replaceOnce(x, LAST_TRANSFER_END, LAST_TRANSFER_END + [3, 4, 5, 5].map(transfer).join("")),
    error: /'transfer': This element is not expected/,
  },
  {
    title: "accept idTransfer written as +02 with surrounding spaces, since stIdTransfer restricts xs:int by value",
    file: "paSendRT-req.xml",
    edit: (x) => replaceOnce(x, "<idTransfer>2</idTransfer>", "<idTransfer> +02 </idTransfer>"),
    error: null,
  },
  {
    title: "accept an amount with a leading zero and surrounding spaces (the pattern applies to the collapsed value)",
    file: "paSendRT-req.xml",
    edit: (x) => replaceOnce(x, "<paymentAmount>30.00</paymentAmount>", "<paymentAmount> 030.00 </paymentAmount>"),
    error: null,
  },
  {
    title: "reject idTransfer 6",
    file: "paSendRT-req.xml",
    edit: (x) => replaceOnce(x, "<idTransfer>2</idTransfer>", "<idTransfer>6</idTransfer>"),
    error: /'idTransfer'.*\[facet 'enumeration'\]/,
  },
  {
    title: "accept metadata with 15 entries",
    file: "paGetPayment-res-OK.xml",
    edit: (x) => replaceOnce(x, "<metadata>", "<metadata>" + mapEntries(14)),
    error: null,
  },
  {
    title: "reject metadata with 16 entries",
    file: "paGetPayment-res-OK.xml",
    edit: (x) => replaceOnce(x, "<metadata>", "<metadata>" + mapEntries(15)),
    error: /'mapEntry': This element is not expected/,
  },
  {
    title: "reject elements in the wrong order (transferType before paymentNote)",
    file: "paGetPaymentV2-req.xml",
    edit: (x) =>
      replaceOnce(
        x,
        "<paymentNote>cart-0001</paymentNote>\n      <transferType>PAGOPA</transferType>",
        "<transferType>PAGOPA</transferType>\n      <paymentNote>cart-0001</paymentNote>",
      ),
    error: /'paymentNote': This element is not expected/,
  },
  {
    title: "reject an element the schema does not declare",
    file: "paVerifyPaymentNotice-res-OK.xml",
    edit: (x) => replaceOnce(x, "<officeName>Ufficio Tributi</officeName>", "<officeName>Ufficio Tributi</officeName><note>x</note>"),
    error: /'note': This element is not expected/,
  },
  {
    title: "reject standin written in lower case, as in the prose documentation",
    file: "paSendRT-req.xml",
    edit: (x) => replaceOnce(x, "<standIn>false</standIn>", "<standin>false</standin>"),
    error: /'standin': This element is not expected\. Expected is \( standIn \)/,
  },
  {
    title: "reject a V2 transfer carrying both IBAN and richiestaMarcaDaBollo",
    file: "paGetPaymentV2-res-OK.xml",
    edit: (x) => replaceOnce(x, "<richiestaMarcaDaBollo>", "<IBAN>IT60X0542811101000000123456</IBAN><richiestaMarcaDaBollo>"),
    error: /'richiestaMarcaDaBollo': This element is not expected/,
  },
  {
    title: "reject richiestaMarcaDaBollo inside a V1 transfer",
    file: "paGetPayment-res-OK.xml",
    edit: (x) =>
      replaceOnce(
        x,
        "<IBAN>IT60X0542811101000000654321</IBAN>",
        "<richiestaMarcaDaBollo><hashDocumento>wHpFSLCGZjIvNSXxqtGbxg7275t446DRTk5ZrsdUQ6E=</hashDocumento><tipoBollo>01</tipoBollo><provinciaResidenza>RM</provinciaResidenza></richiestaMarcaDaBollo>",
      ),
    error: /'richiestaMarcaDaBollo': This element is not expected\. Expected is \( IBAN \)/,
  },
  // simple type facets
  {
    title: "reject a noticeNumber with 17 digits",
    file: "paVerifyPaymentNotice-req.xml",
    edit: (x) => replaceOnce(x, "<noticeNumber>302000000001234559</noticeNumber>", "<noticeNumber>30200000000123455</noticeNumber>"),
    error: /'noticeNumber'.*\[facet 'pattern'\]/,
  },
  {
    title: "reject a fiscal code containing a letter",
    file: "paVerifyPaymentNotice-req.xml",
    edit: (x) => replaceOnce(x, "<fiscalCode>77777777777</fiscalCode>", "<fiscalCode>7777777777A</fiscalCode>"),
    error: /'fiscalCode'.*\[facet 'pattern'\]/,
  },
  {
    title: "reject an idStation longer than 35 characters",
    file: "paSendRTV2-req.xml",
    edit: (x) => replaceOnce(x, "<idStation>77777777777_01</idStation>", `<idStation>${"7".repeat(36)}</idStation>`),
    error: /'idStation'.*\[facet 'maxLength'\]/,
  },
  {
    title: "reject an empty idBrokerPA",
    file: "paGetPaymentV2-req.xml",
    edit: (x) => replaceOnce(x, "<idBrokerPA>77777777777</idBrokerPA>", "<idBrokerPA></idBrokerPA>"),
    error: /'idBrokerPA'.*\[facet 'minLength'\]/,
  },
  {
    title: "accept a description of exactly 140 characters",
    file: "paGetPayment-res-OK.xml",
    edit: (x) => replaceOnce(x, "<description>Tassa rifiuti 2026</description>", `<description>${"x".repeat(140)}</description>`),
    error: null,
  },
  {
    title: "reject a description of 141 characters",
    file: "paGetPayment-res-OK.xml",
    edit: (x) => replaceOnce(x, "<description>Tassa rifiuti 2026</description>", `<description>${"x".repeat(141)}</description>`),
    error: /'description'.*\[facet 'maxLength'\]/,
  },
  {
    title: "reject a paymentNote of 211 characters",
    file: "paGetPaymentV2-req.xml",
    edit: (x) => replaceOnce(x, "<paymentNote>cart-0001</paymentNote>", `<paymentNote>${"n".repeat(211)}</paymentNote>`),
    error: /'paymentNote'.*\[facet 'maxLength'\]/,
  },
  {
    title: "reject an invalid e-mail address",
    file: "paGetPayment-res-OK.xml",
    edit: (x) => replaceOnce(x, "<e-mail>mario.rossi@example.org</e-mail>", "<e-mail>mario.rossi(at)example.org</e-mail>"),
    error: /'e-mail'.*\[facet 'pattern'\]/,
  },
  {
    title: "reject a country code in lower case",
    file: "paGetPayment-res-OK.xml",
    edit: (x) => replaceOnce(x, "<country>IT</country>", "<country>it</country>"),
    error: /'country'.*\[facet 'pattern'\]/,
  },
  {
    title: "reject entityUniqueIdentifierType X",
    file: "paSendRTV2-req.xml",
    edit: (x) => replaceOnce(x, "<entityUniqueIdentifierType>F</entityUniqueIdentifierType>", "<entityUniqueIdentifierType>X</entityUniqueIdentifierType>"),
    error: /'entityUniqueIdentifierType'.*\[facet 'enumeration'\]/,
  },
  {
    title: "reject an outcome written in lower case",
    file: "paSendRT-res-OK.xml",
    edit: (x) => replaceOnce(x, "<outcome>OK</outcome>", "<outcome>ok</outcome>"),
    error: /'outcome'.*\[facet 'enumeration'\]/,
  },
  {
    title: "reject an amount option outside EQ, LS, GT, ANY",
    file: "paVerifyPaymentNotice-res-OK.xml",
    edit: (x) => replaceOnce(x, "<options>EQ</options>", "<options>XX</options>"),
    error: /'options'.*\[facet 'enumeration'\]/,
  },
  {
    title: "reject transferType BANK",
    file: "paGetPayment-req.xml",
    edit: (x) => replaceOnce(x, "<transferType>POSTAL</transferType>", "<transferType>BANK</transferType>"),
    error: /'transferType'.*\[facet 'enumeration'\]/,
  },
  {
    title: "reject a dueDate that is not an ISO date",
    file: "paGetPaymentV2-req.xml",
    edit: (x) => replaceOnce(x, "<dueDate>2026-12-31</dueDate>", "<dueDate>31/12/2026</dueDate>"),
    error: /'dueDate'.*is not a valid value/,
  },
  {
    title: "reject tipoBollo 02",
    file: "paGetPaymentV2-res-OK.xml",
    edit: (x) => replaceOnce(x, "<tipoBollo>01</tipoBollo>", "<tipoBollo>02</tipoBollo>"),
    error: /'tipoBollo'.*\[facet 'enumeration'\]/,
  },
  {
    title: "reject a provinciaResidenza in lower case",
    file: "paGetPaymentV2-res-OK.xml",
    edit: (x) => replaceOnce(x, "<provinciaResidenza>RM</provinciaResidenza>", "<provinciaResidenza>rm</provinciaResidenza>"),
    error: /'provinciaResidenza'.*\[facet 'pattern'\]/,
  },
  {
    title: "reject a hashDocumento longer than 72 characters",
    file: "paGetPaymentV2-res-OK.xml",
    edit: (x) => replaceOnce(x, "<hashDocumento>wHpFSLCGZjIvNSXxqtGbxg7275t446DRTk5ZrsdUQ6E=</hashDocumento>", `<hashDocumento>${"A".repeat(76)}</hashDocumento>`),
    error: /'hashDocumento'.*\[facet 'pattern'\]/,
  },
  {
    title: "reject an MBDAttachment that is not base64",
    file: "paSendRTV2-req.xml",
    edit: (x) => x.replace(/<MBDAttachment>[^<]*<\/MBDAttachment>/, "<MBDAttachment>@@not base64@@</MBDAttachment>"),
    error: /'MBDAttachment'.*is not a valid value/,
  },
  {
    title: "reject an idServizio of 4 characters",
    file: "paDemandPaymentNotice-req.xml",
    edit: (x) => replaceOnce(x, "<idServizio>00009</idServizio>", "<idServizio>0009</idServizio>"),
    error: /'idServizio'.*\[facet 'length'\]/,
  },
  {
    title: "reject a fault without its required id",
    file: "paGetPayment-res-KO-PAA_PAGAMENTO_DUPLICATO.xml",
    edit: (x) => replaceOnce(x, "<id>77777777777</id>", ""),
    error: /Expected is \( id \)/,
  },
  {
    title: "accept a fault that fills every optional field",
    file: "paVerifyPaymentNotice-res-KO-PAA_PAGAMENTO_SCONOSCIUTO.xml",
    edit: (x) =>
      replaceOnce(
        x,
        "</description>",
        "</description><serial>1</serial><originalFaultCode>X</originalFaultCode><originalFaultString>Y</originalFaultString><originalDescription>Z</originalDescription>",
      ),
    error: null,
  },
  {
    title: "reject a non-numeric fault serial",
    file: "paSendRT-res-KO-PAA_RECEIPT_DUPLICATA.xml",
    edit: (x) => replaceOnce(x, "</description>", "</description><serial>first</serial>"),
    error: /'serial'.*is not a valid value/,
  },
];

// ------------------------------------------------------------------------------------------------- schema facts
//
// A normalized description of every top-level component: QName-valued attributes resolved to {namespace}local,
// default occurrence bounds dropped, annotations dropped, facets sorted (their order has no meaning), content
// order kept (it has). Two schemas with the same facts accept the same documents.

type Fact = { readonly tag: string; readonly attrs: Record<string, string>; readonly children: Fact[] };
type SchemaFacts = Map<string, Fact>; // "{ns}kind:name" -> fact

const QNAME_ATTRS = new Set(["type", "base", "ref", "itemType", "substitutionGroup"]);
const IGNORED_ATTRS = new Set(["version", "id", "schemaLocation"]);
const FACET_PARENTS = new Set(["restriction"]);

function elementChildren(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = el.firstChild; n !== null; n = n.next) if (n instanceof XmlElement) out.push(n);
  return out;
}

function resolveQName(el: XmlElement, value: string): string {
  const colon = value.indexOf(":");
  const prefix = colon < 0 ? "" : value.slice(0, colon);
  const local = colon < 0 ? value : value.slice(colon + 1);
  const uri = el.namespaces[prefix];
  if (uri === undefined && prefix !== "") throw new Error(`undeclared prefix in ${value}`);
  return `{${uri ?? ""}}${local}`;
}

function normalize(el: XmlElement): Fact {
  const attrs: Record<string, string> = {};
  for (const a of el.attrs) {
    if (IGNORED_ATTRS.has(a.name)) continue;
    if ((a.name === "minOccurs" || a.name === "maxOccurs") && a.value === "1") continue;
    attrs[a.name] = QNAME_ATTRS.has(a.name) ? resolveQName(el, a.value) : a.value;
  }
  let children = elementChildren(el)
    .filter((c) => !(c.namespaceUri === XS && c.name === "annotation"))
    .map(normalize);
  if (FACET_PARENTS.has(el.name)) {
    children = [...children].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  }
  return { tag: el.name, attrs: Object.fromEntries(Object.entries(attrs).sort()), children };
}

/** Reads a schema and everything it imports; returns its facts and the schema-level settings per namespace. */
function schemaFacts(mainXsd: string): { facts: SchemaFacts; settings: Map<string, Record<string, string>> } {
  const facts: SchemaFacts = new Map();
  const settings = new Map<string, Record<string, string>>();
  const pending = [path.resolve(mainXsd)];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const doc = XmlDocument.fromBuffer(fs.readFileSync(file));
    try {
      const root = doc.root;
      const tns = root.attr("targetNamespace")?.value ?? "";
      settings.set(tns, {
        elementFormDefault: root.attr("elementFormDefault")?.value ?? "unqualified",
        attributeFormDefault: root.attr("attributeFormDefault")?.value ?? "unqualified",
        blockDefault: root.attr("blockDefault")?.value ?? "",
        finalDefault: root.attr("finalDefault")?.value ?? "",
      });
      for (const child of elementChildren(root)) {
        if (child.namespaceUri !== XS) continue;
        if (child.name === "import" || child.name === "include") {
          const location = child.attr("schemaLocation")?.value;
          if (location) pending.push(path.resolve(path.dirname(file), location));
          continue;
        }
        if (child.name === "annotation") continue;
        const name = child.attr("name")?.value ?? "";
        facts.set(`{${tns}}${child.name}:${name}`, normalize(child));
      }
    } finally {
      doc.dispose();
    }
  }
  return { facts, settings };
}

/** Keys of the components reachable from the global elements of `ns`, following type/base/ref references. */
function reachable(facts: SchemaFacts, ns: string): Set<string> {
  const keyOf = (qname: string): string[] =>
    ["complexType", "simpleType", "element", "group", "attributeGroup", "attribute"]
      .map((kind) => qname.replace(/^(\{[^}]*\})(.*)$/, `$1${kind}:$2`))
      .filter((k) => facts.has(k));
  const out = new Set<string>();
  const todo = [...facts.keys()].filter((k) => k.startsWith(`{${ns}}element:`));
  const visit = (fact: Fact): void => {
    for (const [name, value] of Object.entries(fact.attrs)) {
      if (QNAME_ATTRS.has(name)) todo.push(...keyOf(value));
    }
    fact.children.forEach(visit);
  };
  while (todo.length > 0) {
    const key = todo.pop() as string;
    if (out.has(key)) continue;
    out.add(key);
    const fact = facts.get(key);
    if (fact) visit(fact);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------- WSDL facts

interface WsdlFacts {
  readonly targetNamespace: string;
  readonly messages: Record<string, string[]>; // message -> ["part=element"]
  readonly operations: Record<string, { input: string; output: string }>;
  readonly binding: Record<string, { soapAction: string; input: string; output: string }>;
  readonly names: { portType: string; binding: string; bindingStyle: string; transport: string; service: string; port: string };
  readonly address: string;
  readonly schemaImports: { namespace: string; schemaLocation: string }[];
}

function wsdlFacts(file: string): WsdlFacts {
  const doc = XmlDocument.fromBuffer(fs.readFileSync(file));
  try {
    const ns = { wsdl: WSDL, soap: WSDL_SOAP, xs: XS };
    const attr = (el: XmlElement, name: string): string => el.attr(name)?.value ?? "";
    const all = (xpath: string): XmlElement[] => doc.find(xpath, ns).filter((n): n is XmlElement => n instanceof XmlElement);
    const one = (xpath: string): XmlElement => {
      const found = all(xpath);
      if (found.length !== 1 || found[0] === undefined) throw new Error(`${file}: expected one ${xpath}, found ${found.length}`);
      return found[0];
    };
    const messages: WsdlFacts["messages"] = {};
    for (const m of all("/wsdl:definitions/wsdl:message")) {
      messages[attr(m, "name")] = elementChildren(m).map((p) => `${attr(p, "name")}=${resolveQName(p, attr(p, "element"))}`);
    }
    const operations: WsdlFacts["operations"] = {};
    for (const op of all("/wsdl:definitions/wsdl:portType/wsdl:operation")) {
      const input = one(`/wsdl:definitions/wsdl:portType/wsdl:operation[@name='${attr(op, "name")}']/wsdl:input`);
      const output = one(`/wsdl:definitions/wsdl:portType/wsdl:operation[@name='${attr(op, "name")}']/wsdl:output`);
      operations[attr(op, "name")] = { input: resolveQName(input, attr(input, "message")), output: resolveQName(output, attr(output, "message")) };
    }
    const binding: WsdlFacts["binding"] = {};
    for (const op of all("/wsdl:definitions/wsdl:binding/wsdl:operation")) {
      const base = `/wsdl:definitions/wsdl:binding/wsdl:operation[@name='${attr(op, "name")}']`;
      binding[attr(op, "name")] = {
        soapAction: attr(one(`${base}/soap:operation`), "soapAction"),
        input: attr(one(`${base}/wsdl:input/soap:body`), "use"),
        output: attr(one(`${base}/wsdl:output/soap:body`), "use"),
      };
    }
    const soapBinding = one("/wsdl:definitions/wsdl:binding/soap:binding");
    return {
      targetNamespace: attr(doc.root, "targetNamespace"),
      messages,
      operations,
      binding,
      names: {
        portType: attr(one("/wsdl:definitions/wsdl:portType"), "name"),
        binding: attr(one("/wsdl:definitions/wsdl:binding"), "name"),
        bindingStyle: attr(soapBinding, "style"),
        transport: attr(soapBinding, "transport"),
        service: attr(one("/wsdl:definitions/wsdl:service"), "name"),
        port: attr(one("/wsdl:definitions/wsdl:service/wsdl:port"), "name"),
      },
      address: attr(one("/wsdl:definitions/wsdl:service/wsdl:port/soap:address"), "location"),
      schemaImports: all("/wsdl:definitions/wsdl:types/xs:schema/xs:import").map((i) => ({
        namespace: attr(i, "namespace"),
        schemaLocation: attr(i, "schemaLocation"),
      })),
    };
  } finally {
    doc.dispose();
  }
}

// ------------------------------------------------------------------------------------------------- tests

after(function () {
  disposeSchemas();
});

describe("our paForNode schema (xsd/paForNode.xsd)", function () {
  it("compiles with sac-common-types.xsd imported from the same directory", function () {
    expect(() => projectSchema()).not.to.throw();
    expect(projectSchema()).to.equal(projectSchema(), "the compiled schema is cached");
  });

  it("accepts a minimal KO response whose children are unqualified", function () {
    const xml = envelope(
      "<pafn:paVerifyPaymentNoticeRes><outcome>KO</outcome><fault><faultCode>PAA_PAGAMENTO_SCONOSCIUTO</faultCode>" +
        "<faultString>Pagamento in attesa risulta sconosciuto all’Ente Creditore</faultString><id>77777777777</id>" +
        "</fault></pafn:paVerifyPaymentNoticeRes>",
    );
    expect(validateSoapBody(xml, projectSchema())).to.deep.equal([]);
  });

  it("accepts a body root whose prefix is declared on the Body element or on the root itself", function () {
    const onBody =
      `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">` +
      `<soapenv:Body xmlns:paf="${PAFN}"><paf:paSendRTRes><outcome>OK</outcome></paf:paSendRTRes></soapenv:Body></soapenv:Envelope>`;
    const onRoot = envelope(`<p:paSendRTV2Response xmlns:p="${PAFN}"><outcome>OK</outcome></p:paSendRTV2Response>`, "");
    expect(validateSoapBody(onBody, projectSchema())).to.deep.equal([]);
    expect(validateSoapBody(onRoot, projectSchema())).to.deep.equal([]);
  });

  it("rejects children that are qualified with the paForNode namespace", function () {
    const xml = envelope(`<pafn:paSendRTRes><pafn:outcome>OK</pafn:outcome></pafn:paSendRTRes>`);
    const errors = validateSoapBody(xml, projectSchema());
    expect(errors).to.have.length.greaterThan(0);
    expect(errors.join("\n")).to.match(/paForNode\.xsd\}outcome': This element is not expected/);
  });

  it("validates the body strictly, so an undeclared body root is an error and not silently accepted", function () {
    const errors = validateSoapBody(envelope(`<pafn:paSendRTResponse><outcome>OK</outcome></pafn:paSendRTResponse>`), projectSchema());
    expect(errors.join("\n")).to.match(/No matching global declaration available for the validation root/);
  });

  it("reports envelope problems instead of validating something else", function () {
    expect(validateSoapBody("<not-xml", projectSchema())[0]).to.match(/^not well-formed XML/);
    expect(validateSoapBody(`<pafn:paSendRTRes xmlns:pafn="${PAFN}"><outcome>OK</outcome></pafn:paSendRTRes>`, projectSchema())[0]).to.match(
      /expected a SOAP 1\.1 Envelope/,
    );
    expect(
      validateSoapBody(
        `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><x/></e:Body></e:Envelope>`,
        projectSchema(),
      )[0],
    ).to.match(/expected a SOAP 1\.1 Envelope/);
    expect(validateSoapBody(envelope(""), projectSchema())[0]).to.match(/has 0 child elements/);
    expect(validateSoapBody(envelope("<a/><b/>"), projectSchema())[0]).to.match(/has 2 child elements/);
  });

  it("validates standalone documents too", function () {
    expect(validateXml(`<p:paSendRTRes xmlns:p="${PAFN}"><outcome>OK</outcome></p:paSendRTRes>`, projectSchema())).to.deep.equal([]);
    expect(validateXml(`<p:paSendRTRes xmlns:p="${PAFN}"><outcome>MAYBE</outcome></p:paSendRTRes>`, projectSchema())).to.have.length(1);
  });

  it("has no elementFormDefault, so every local element is unqualified", function () {
    const { settings } = schemaFacts(PROJECT_XSD);
    expect(settings.get(PAFN)?.elementFormDefault).to.equal("unqualified");
    expect(settings.get(COMMON)?.elementFormDefault).to.equal("unqualified");
  });
});

describe("the official constructed examples", function () {
  const files = exampleFiles();

  before(function () {
    requireReference(this);
  });

  it("are all present (at least one per body root, twelve in total)", function () {
    expect(files).to.have.length.of.at.least(12);
  });

  for (const file of files) {
    it(`accept ${file} under our schema and under the official one`, function () {
      const xml = example(file);
      expect(validateSoapBody(xml, projectSchema()), "our schema").to.deep.equal([]);
      expect(validateSoapBody(xml, official()), "official schema").to.deep.equal([]);
    });
  }
});

describe("mutated examples get the same verdict from our schema and the official one", function () {
  before(function () {
    requireReference(this);
  });

  it("cover at least 15 rejections", function () {
    expect(MUTATIONS.filter((m) => m.error !== null)).to.have.length.of.at.least(15);
  });

  for (const m of MUTATIONS) {
    it(`both ${m.title} (${m.file})`, function () {
      const original = example(m.file);
      const mutated = m.edit(original);
      expect(mutated, "the mutation must change the example").not.to.equal(original);
      const ours = validateSoapBody(mutated, projectSchema());
      const theirs = validateSoapBody(mutated, official());
      if (m.error === null) {
        expect(theirs, "official schema").to.deep.equal([]);
        expect(ours, "our schema").to.deep.equal([]);
      } else {
        expect(theirs.join("\n"), "official schema").to.match(m.error);
        expect(ours.join("\n"), "our schema").to.match(m.error);
      }
      expect(ours, "same messages from both schemas").to.deep.equal(theirs);
    });
  }
});

describe("our schema and the official one declare the same components", function () {
  before(function () {
    requireReference(this);
  });

  it("have the same global body elements", function () {
    const ours = [...schemaFacts(PROJECT_XSD).facts.keys()].filter((k) => k.startsWith(`{${PAFN}}element:`)).sort();
    const theirs = [...schemaFacts(OFFICIAL_XSD).facts.keys()].filter((k) => k.startsWith(`{${PAFN}}element:`)).sort();
    expect(ours).to.have.length(12);
    expect(ours).to.deep.equal(theirs);
  });

  it("declare the same types in the paForNode namespace", function () {
    const names = (f: SchemaFacts): string[] => [...f.keys()].filter((k) => k.startsWith(`{${PAFN}}`)).sort();
    expect(names(schemaFacts(PROJECT_XSD).facts)).to.deep.equal(names(schemaFacts(OFFICIAL_XSD).facts));
  });

  it("define every component reachable from the body elements identically (names, types, facets, order, cardinality)", function () {
    const ours = schemaFacts(PROJECT_XSD).facts;
    const theirs = schemaFacts(OFFICIAL_XSD).facts;
    const reachOurs = [...reachable(ours, PAFN)].sort();
    const reachTheirs = [...reachable(theirs, PAFN)].sort();
    expect(reachOurs).to.deep.equal(reachTheirs);
    for (const key of reachTheirs) {
      expect(ours.get(key), key).to.deep.equal(theirs.get(key));
    }
  });

  it("declare in the common-types namespace only what paForNode uses", function () {
    const ours = schemaFacts(PROJECT_XSD).facts;
    const commonDeclared = [...ours.keys()].filter((k) => k.startsWith(`{${COMMON}}`)).sort();
    const commonUsed = [...reachable(ours, PAFN)].filter((k) => k.startsWith(`{${COMMON}}`)).sort();
    expect(commonDeclared).to.deep.equal(commonUsed);
  });

  it("use the same schema-level defaults (element and attribute forms, block and final)", function () {
    const ours = schemaFacts(PROJECT_XSD).settings;
    const theirs = schemaFacts(OFFICIAL_XSD).settings;
    expect(ours.get(PAFN)).to.deep.equal(theirs.get(PAFN));
    expect(ours.get(COMMON)).to.deep.equal(theirs.get(COMMON));
  });
});

describe("our paForNode WSDL (wsdl/paForNode.wsdl)", function () {
  it("binds the six operations over SOAP 1.1 document/literal with soapAction equal to the operation name", function () {
    const w = wsdlFacts(PROJECT_WSDL);
    expect(w.targetNamespace).to.equal(WSDL_TNS);
    expect(Object.keys(w.operations).sort()).to.deep.equal([...OPERATIONS].sort());
    expect(w.names).to.deep.equal({
      portType: "paForNode",
      binding: "paForNodeBinding",
      bindingStyle: "document",
      transport: "http://schemas.xmlsoap.org/soap/http",
      service: "paForNodeService",
      port: "paForNodePort",
    });
    for (const op of OPERATIONS) {
      expect(w.binding[op], op).to.deep.equal({ soapAction: op, input: "literal", output: "literal" });
    }
  });

  it("carries the placeholder address that the application rewrites when serving it", function () {
    expect(wsdlFacts(PROJECT_WSDL).address).to.equal("http://localhost/paForNode");
  });

  it("imports our schema and only refers to body elements that it declares", function () {
    const w = wsdlFacts(PROJECT_WSDL);
    expect(w.schemaImports).to.deep.equal([{ namespace: PAFN, schemaLocation: "../xsd/paForNode.xsd" }]);
    expect(path.resolve(path.dirname(PROJECT_WSDL), "../xsd/paForNode.xsd")).to.equal(PROJECT_XSD);
    const declared = new Set(
      [...schemaFacts(PROJECT_XSD).facts.keys()].filter((k) => k.startsWith(`{${PAFN}}element:`)).map((k) => `{${PAFN}}${k.split(":").pop()}`),
    );
    const parts = Object.values(w.messages).flat();
    expect(parts).to.have.length(12);
    for (const part of parts) {
      expect(part).to.match(/^body(request|response)=/);
      expect(declared.has(part.replace(/^[^=]*=/, "")), part).to.equal(true);
    }
  });

  it("has the same messages, parts, operations and binding as the official WSDL", function () {
    requireReference(this);
    const ours = wsdlFacts(PROJECT_WSDL);
    const theirs = wsdlFacts(OFFICIAL_WSDL);
    expect(ours.targetNamespace).to.equal(theirs.targetNamespace);
    expect(ours.messages).to.deep.equal(theirs.messages);
    expect(ours.operations).to.deep.equal(theirs.operations);
    expect(ours.binding).to.deep.equal(theirs.binding);
    expect(ours.names).to.deep.equal(theirs.names);
  });
});

// ------------------------------------------------------------------------------------------------- reader specs

describe("the request reader's types (src/soap/messages.ts) carry the facets of our schema", function () {
  const XSD_NS = XS;
  const { facts } = schemaFacts(PROJECT_XSD);
  const byQName = (qname: string, kind: string) => facts.get(qname.replace(/^(\{[^}]*\})(.*)$/, `$1${kind}:$2`));
  /** Where the reader is knowingly stricter than the schema (README, "SOAP: paForNode"). */
  const DEVIATIONS = new Map([["receipt.receiptId", "min 1: the payment token identifies the receipt"]]);
  /** Values that tell two regular expressions apart where paForNode's patterns could differ. */
  const PROBES = ["77777777777", "7777777777", "777777777777", "302000000001234559", "30200000000123455", "IT", "it", "I", "ITA", "a@b.it", "a.b+c_d-e@x-y.z.it", "a@b", "@b.it", "a@", "", " 77777777777", "7777777777a"];

  /** base, facets and enumeration of a simple type (a built-in one has no facets). */
  function simple(qname: string): { base: string; facets: Record<string, string>; values: string[] } {
    const fact = byQName(qname, "simpleType");
    if (!fact) return { base: qname, facets: {}, values: [] };
    const restriction = fact.children.find((c) => c.tag === "restriction")!;
    const facets: Record<string, string> = {};
    const values: string[] = [];
    for (const f of restriction.children) {
      if (f.tag === "enumeration") values.push(f.attrs.value!);
      else facets[f.tag] = f.attrs.value!;
    }
    const inner = simple(restriction.attrs.base!);
    return { base: inner.base, facets: { ...inner.facets, ...facets }, values: values.length ? values : inner.values };
  }

  function compareLeaf(leaf: Leaf, typeQName: string, at: string, problems: string[]): void {
    const { base, facets, values } = simple(typeQName);
    const local = base.replace(`{${XSD_NS}}`, "");
    const expect = (ok: boolean, what: string) => ok || problems.push(`${at}: ${what} (schema: ${local} ${JSON.stringify(facets)} ${values.join(",")})`);
    switch (leaf.t) {
      case "text": {
        const min = Number(facets.minLength ?? facets.length ?? 0);
        const max = facets.maxLength ?? facets.length;
        expect(local === "string" && !facets.pattern && values.length === 0, "read as text");
        if (!DEVIATIONS.has(at)) expect(leaf.min === min, `min ${leaf.min}`);
        expect(leaf.max === (max === undefined ? undefined : Number(max)), `max ${leaf.max}`);
        break;
      }
      case "pattern": {
        expect(local === "string" && facets.pattern !== undefined, "read with a pattern");
        const xsd = new RegExp(`^(?:${facets.pattern})$`, "u");
        for (const probe of PROBES) expect(leaf.re.test(probe) === xsd.test(probe), `pattern disagrees on ${JSON.stringify(probe)}`);
        // a length facet is enforced by the pattern itself ([0-9]{11}); a maxLength must be the reader's too
        expect(facets.maxLength === undefined ? leaf.max === undefined || leaf.max === Number(facets.length) : leaf.max === Number(facets.maxLength), `max ${leaf.max}`);
        break;
      }
      case "enum":
        expect(local === "string" && JSON.stringify([...leaf.values].sort()) === JSON.stringify([...values].sort()), `values ${leaf.values.join(",")}`);
        break;
      case "amount":
        expect(local === "decimal" && facets.pattern === "\\d+\\.\\d{2}" && facets.maxInclusive === "999999999.99", "an amount");
        expect(Boolean(leaf.notZero) === (facets.minInclusive === "0.01"), `notZero ${leaf.notZero}`);
        break;
      case "idTransfer":
        expect(local === "int" && values.join(",") === "1,2,3,4,5", "idTransfer 1..5");
        break;
      case "boolean":
      case "date":
      case "dateTime":
      case "base64":
        expect(local === { boolean: "boolean", date: "date", dateTime: "dateTime", base64: "base64Binary" }[leaf.t], leaf.t);
        break;
    }
  }

  /** Every element of the complex type against the spec's fields, and the reverse. */
  function compareComplex(spec: Complex, typeQName: string, at: string, problems: string[]): void {
    const type = byQName(typeQName, "complexType");
    if (!type) return void problems.push(`${at}: ${typeQName} is not a complex type`);
    const sequence = type.children.find((c) => c.tag === "sequence")!;
    const declared: { decl: Fact; choice?: boolean }[] = sequence.children.flatMap((c) => (c.tag === "choice" ? c.children.map((decl) => ({ decl, choice: true })) : [{ decl: c }]));
    for (const { decl, choice } of declared) {
      const name = decl.attrs.name!;
      const path = at ? `${at}.${name}` : name;
      const field: Field | undefined = spec.fields.find((f) => f.name === name);
      if (!field) {
        problems.push(`${path}: not read`);
        continue;
      }
      const maxOccurs = decl.attrs.maxOccurs === undefined ? 1 : Number(decl.attrs.maxOccurs);
      if (Boolean(field.optional) !== (decl.attrs.minOccurs === "0")) problems.push(`${path}: optional ${Boolean(field.optional)}`);
      if ((field.max ?? 1) !== maxOccurs) problems.push(`${path}: max ${field.max ?? 1}, schema ${maxOccurs}`);
      if (Boolean(field.choice) !== Boolean(choice)) problems.push(`${path}: choice ${field.choice}`);
      if (field.spec.t === "complex") compareComplex(field.spec, decl.attrs.type!, path, problems);
      else compareLeaf(field.spec, decl.attrs.type!, path, problems);
    }
    for (const field of spec.fields) if (!declared.some(({ decl }) => decl.attrs.name === field.name)) problems.push(`${at ? `${at}.` : ""}${field.name}: not in the schema`);
  }

  for (const operation of Object.keys(requestSpecs) as Operation[]) {
    it(`reads ${MESSAGES[operation].request} with the schema's elements, cardinalities and facets`, () => {
      const element = facts.get(`{${PAFN}}element:${MESSAGES[operation].request}`)!;
      const problems: string[] = [];
      compareComplex(requestSpecs[operation], element.attrs.type!, "", problems);
      expect(problems).to.deep.equal([]);
    });
  }
});
