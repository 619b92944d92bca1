/**
 * The single-pass XML reader (src/soap/xml.ts) and the schema reader on top of it (src/soap/reader.ts):
 * what a document's text is, which spellings mean the same thing, and what is not well-formed.
 */
import { expect } from "chai";
import { parseTimestamp } from "../../src/domain/time.ts";
import { requestSpecs } from "../../src/soap/messages.ts";
import { readComplex, type Complex } from "../../src/soap/reader.ts";
import { parseXml, XmlError, type XmlElement } from "../../src/soap/xml.ts";

const LIMITS = { maxDepth: 64, maxElements: 10_000, maxAttributes: 64 };
const parse = (xml: string) => parseXml(xml, LIMITS);
const textOf = (xml: string) => parse(xml).text;

function refused(xml: string, limits = LIMITS): XmlError {
  try {
    parseXml(xml, limits);
  } catch (error) {
    if (error instanceof XmlError) return error;
    throw error;
  }
  throw new Error(`accepted: ${xml.slice(0, 80)}`);
}

const SCHEMA_VIOLATION = "schemaViolation";
function violation(spec: Complex, xml: string): string {
  try {
    readComplex(spec, parse(xml), "");
  } catch (error) {
    const e = error as { code?: string; detail?: string };
    if (e.code === SCHEMA_VIOLATION) return e.detail!;
    throw error;
  }
  throw new Error(`accepted: ${xml.slice(0, 80)}`);
}

describe("the XML reader", () => {
  describe("text", () => {
    it("keeps every space, tab and line end of the text as sent (a CR LF reads as LF, as XML says)", () => {
      expect(textOf("<a>  two  spaces\tand a tab  </a>")).to.equal("  two  spaces\tand a tab  ");
      expect(textOf("<a> </a>")).to.equal(" ");
      expect(textOf("<a>line\r\nnext\rlast</a>")).to.equal("line\nnext\nlast");
      expect(textOf("<a>kept&#13;</a>")).to.equal("kept\r");
    });

    it("decodes the five predefined entities and decimal and hexadecimal character references, astral ones too", () => {
      expect(textOf("<a>&lt;&gt;&amp;&quot;&apos;</a>")).to.equal(`<>&"'`);
      expect(textOf("<a>&#51;02&#x30;&#x41;</a>")).to.equal("3020A");
      expect(refused("<a>&#X41;</a>").message).to.include("reference");
      expect(textOf("<a>&#x1F600;&#128512;</a>")).to.equal("\u{1F600}\u{1F600}");
      expect(textOf("<a>&#0000065;</a>")).to.equal("A");
      const root = parse(`<a xmlns="urn:&#x61;&amp;"/>`);
      expect(root.ns).to.equal("urn:a&");
    });

    it("joins text, CDATA and the text around comments in document order", () => {
      expect(textOf("<a> x <![CDATA[<&> ]]><!-- not text --> y </a>")).to.equal(" x <&>  y ");
    });

    it("refuses undefined entities, references to characters XML forbids and a bare &, naming them", () => {
      expect(refused("<a>&nbsp;</a>").message).to.include("&nbsp;").and.include("undefined entity");
      expect(refused("<a>&xxe;</a>").message).to.include("&xxe;");
      for (const bad of ["&#0;", "&#xD800;", "&#x110000;", "&#99999999999999999999;", "&#xFFFE;"]) expect(refused(`<a>${bad}</a>`).message).to.include("not a character XML allows");
      for (const bad of ["a & b", "&#;", "&#x;", "&#12", "&lt", "&;"]) expect(refused(`<a>${bad}</a>`).message).to.match(/reference/);
      expect(refused('<a b="&bogus;"/>').message).to.include("&bogus;");
    });
  });

  describe("namespaces", () => {
    const names = (e: XmlElement): string[] => [`${e.ns}|${e.name}`, ...e.children.flatMap(names)];

    it("resolves prefixes declared on any ancestor, the default namespace, and its undeclaration", () => {
      expect(names(parse('<p:a xmlns:p="urn:p"><b><p:c/></b></p:a>'))).to.deep.equal(["urn:p|a", "|b", "urn:p|c"]);
      expect(names(parse('<a xmlns="urn:d"><b/><c xmlns=""><d/></c></a>'))).to.deep.equal(["urn:d|a", "urn:d|b", "|c", "|d"]);
      expect(names(parse('<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"/><p:c/></p:a>'))).to.deep.equal(["urn:1|a", "urn:2|b", "urn:1|c"]);
      expect(names(parse('<a xml:lang="it"/>'))).to.deep.equal(["|a"]);
    });

    it("refuses an undeclared prefix, an empty prefixed declaration and misuse of the reserved prefixes", () => {
      expect(refused("<p:a/>").message).to.include("prefix p");
      expect(refused('<a p:x="1"/>').message).to.include("prefix p");
      expect(refused('<p:a xmlns:p="urn:p"><p:b xmlns:p=""/></p:a>').message).to.include("xmlns:p");
      expect(refused('<a xmlns:xml="urn:x"/>').message).to.include("cannot be bound");
      expect(refused('<a xmlns:xmlns="urn:x"/>').message).to.include("xmlns:xmlns");
      expect(refused("<a:b:c xmlns:a='urn:a'/>").message).to.include("qualified name");
    });
  });

  describe("well-formedness", () => {
    it("refuses what XML does not allow, with the line where it is", () => {
      const cases: [string, RegExp][] = [
        ["<a><b></a></b>", /does not match/],
        ["<a>", /not closed/],
        ["<a/><b/>", /after the root/],
        ["x<a/>", /outside the root/],
        ['<a b="1" b="2"/>', /twice/],
        ["<a b=1/>", /quoted/],
        ['<a b="<"/>', /"<" is not allowed/],
        ["<a>]]></a>", /"]]>"/],
        ["<a><!-- a -- b --></a>", /"--"/],
        ["<!DOCTYPE a><a/>", /DTD/],
        ["<a><?pi x?></a>", /processing instructions/],
        ['<?xml version="1.0" encoding="ISO-8859-1"?><a/>', /ISO-8859-1/],
        ["<a>< b/></a>", /must start a tag/],
        ["", /no element/],
      ];
      for (const [xml, message] of cases) expect(refused(xml).message, xml).to.match(message);
      expect(refused("<a>\n<b>\n</c>").line).to.equal(3);
    });

    it("stops at the nesting, element and attribute limits", () => {
      expect(refused(`${"<a>".repeat(65)}${"</a>".repeat(65)}`).message).to.include("64 levels");
      expect(parse(`${"<a>".repeat(64)}${"</a>".repeat(64)}`).name).to.equal("a");
      expect(refused(`<a>${"<b/>".repeat(10)}</a>`, { ...LIMITS, maxElements: 10 }).message).to.include("10 elements");
      expect(refused(`<a ${Array.from({ length: 65 }, (_, i) => `b${i}=""`).join(" ")}/>`).message).to.include("64 attributes");
    });

    it("reads in time linear in the size of the body (four times the body, far less than sixteen times the time)", () => {
      const sized = (n: number) => `<a>${"<b>x &amp; y</b>".repeat(n)}</a>`;
      const time = (xml: string) => {
        const runs: number[] = [];
        for (let i = 0; i < 5; i++) {
          const started = performance.now();
          parseXml(xml, { ...LIMITS, maxElements: 1e9 });
          runs.push(performance.now() - started);
        }
        return runs.sort((a, b) => a - b)[2]!;
      };
      const small = time(sized(20_000));
      const large = time(sized(80_000));
      expect(large / small, `${small.toFixed(1)} ms, then ${large.toFixed(1)} ms`).to.be.below(10);
    });
  });
});

describe("the schema reader", () => {
  const receiptSpec = requestSpecs.paSendRT;
  const header = "<idPA>77777777777</idPA><idBrokerPA>77777777777</idBrokerPA><idStation>77777777777_01</idStation>";
  const verify = (qr: string, extra = "") => `<r>${header}<qrCode>${qr}</qrCode>${extra}</r>`;
  const QR = "<fiscalCode>77777777777</fiscalCode><noticeNumber>302000000001234559</noticeNumber>";
  const getPayment = (extra: string) => readComplex(requestSpecs.paGetPayment, parse(verify(QR, extra)), "");

  it("keeps string types as sent and counts their length in characters, an astral one once", () => {
    expect(getPayment("<paymentNote>  a  </paymentNote>").paymentNote).to.equal("  a  ");
    expect(getPayment("<paymentNote> </paymentNote>").paymentNote).to.equal(" ");
    expect(getPayment(`<paymentNote>${"\u{1F600}".repeat(210)}</paymentNote>`).paymentNote).to.have.length(420);
    expect(violation(requestSpecs.paGetPayment, verify(QR, `<paymentNote>${"\u{1F600}".repeat(211)}</paymentNote>`))).to.include("paymentNote").and.include("211");
    expect(violation(requestSpecs.paGetPayment, verify(QR, "<paymentNote></paymentNote>"))).to.include("paymentNote: must be 1 to 210");
  });

  it("trims XML whitespace (only) around numbers, booleans, dates and enumerations", () => {
    const read = getPayment("<amount>\n 30.00 \t</amount><transferType> POSTAL </transferType><dueDate> 2026-12-31 </dueDate>");
    expect(read).to.include({ amount: 3000, transferType: "POSTAL", dueDate: "2026-12-31" });
    expect(violation(requestSpecs.paGetPayment, verify(QR, "<amount>\u00a030.00</amount>"))).to.include("amount");
  });

  it("reads pattern types (fiscal codes, notice numbers) without trimming, as their string base says", () => {
    expect(violation(requestSpecs.paVerifyPaymentNotice, verify(QR.replace(">302", "> 302")))).to.include("qrCode.noticeNumber");
    expect(readComplex(requestSpecs.paVerifyPaymentNotice, parse(verify(QR.replace(">302", ">&#51;02"))), "")).to.deep.include({ qrCode: { fiscalCode: "77777777777", noticeNumber: "302000000001234559" } });
  });

  it("refuses text inside an element whose type has only elements, but not the whitespace between them", () => {
    expect(violation(requestSpecs.paVerifyPaymentNotice, verify(`${QR}stray`))).to.equal("qrCode: must contain only elements, not text");
    expect(readComplex(requestSpecs.paVerifyPaymentNotice, parse(verify(`\n  ${QR.replace("><", ">\n\t<")}\n`)), "")).to.have.property("qrCode");
  });

  it("refuses an empty receiptId, the receipt's identity", () => {
    expect(violation(receiptSpec, "<r><receipt><receiptId></receiptId></receipt></r>".replace("<r>", `<r>${header}`))).to.equal("receipt.receiptId: must be at least 1 character long");
  });

  it("accepts a date or date-time only when the store reads it as that instant (any number of fraction digits)", () => {
    const readDate = (value: string) => getPayment(`<dueDate>${value}</dueDate>`).dueDate as string;
    for (const value of ["2026-12-31", "2026-12-31Z", "2026-12-31+14:00", "2026-12-31-13:59"]) expect(parseTimestamp(readDate(value)), value).to.be.instanceOf(Date);
    for (const value of ["2026-02-30", "2026-12-31T10:00:00", "26-12-31", "12026-12-31", "-2026-12-31", "2026-12-31+14:01", "0001-01-01"]) {
      expect(violation(requestSpecs.paGetPayment, verify(QR, `<dueDate>${value}</dueDate>`)), value).to.include("dueDate");
    }
    const spec: Complex = { t: "complex", fields: [{ name: "at", spec: { t: "dateTime" } }] };
    const readDateTime = (value: string) => readComplex(spec, parse(`<r><at>${value}</at></r>`), "").at as string;
    expect(parseTimestamp(readDateTime("2026-11-20T10:00:00.123456789123Z"))!.toISOString()).to.equal("2026-11-20T10:00:00.123Z");
    expect(parseTimestamp(readDateTime("2026-12-31T23:59:59.9999Z"))!.toISOString()).to.equal("2026-12-31T23:59:59.999Z");
    expect(parseTimestamp(readDateTime("2026-11-20T10:00:00.5+01:00"))!.toISOString()).to.equal("2026-11-20T09:00:00.500Z");
    for (const value of ["2026-11-20T24:00:00", "2026-11-20T10:00", "2026-11-20T10:00:00.", "2026-11-20 10:00:00"]) expect(() => readDateTime(value), value).to.throw();
  });
});
