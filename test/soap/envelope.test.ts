/**
 * The SOAP 1.1 envelope around every operation: what is not a SOAP 1.1 message gets a SOAP Fault
 * (HTTP 500), a well-formed message that breaks the schema gets PAA_SINTASSI_XSD, and routing goes
 * by SOAPAction with the body root as fallback.
 */
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { parseEnvelope } from "../../src/soap/envelope.ts";
import { MIN_SOAP_BODY_BYTES } from "../../src/soap/handler.ts";
import { requestSpecs } from "../../src/soap/messages.ts";
import { readComplex } from "../../src/soap/reader.ts";
import { EC, startApp, type TestApp } from "../support/app.ts";
import { makePosition } from "../support/factories.ts";
import { envelope, expectFault, expectOk, expectSoapFault, getPaymentRequest, header, postRaw, postSoap, verifyRequest } from "../support/soap.ts";
import { OFFICIAL_REFERENCE_DIR, officialSchema, validateSoapBody } from "../support/xmlSchema.ts";
import { createPosition } from "../support/rest.ts";

const SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
const PAFN = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";
const VERIFY_RES = "paVerifyPaymentNoticeRes";
const TEXT_XML = { "content-type": "text/xml; charset=utf-8" };

/** A verify request for a notice of EC written by hand, with the body root's inside given. */
const verifyWith = (root: string, attributes = "", prefix = "pafn") =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP11}" xmlns:pafn="${PAFN}"><soapenv:Body>` +
  `<${prefix ? `${prefix}:` : ""}paVerifyPaymentNoticeReq${attributes}>${root}</${prefix ? `${prefix}:` : ""}paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>`;
const HEADER = `<idPA>${EC}</idPA><idBrokerPA>77777777777</idBrokerPA><idStation>77777777777_01</idStation>`;
/** The header with each child leaving a default namespace declared above it (xmlns=""). */
const UNDECLARED_HEADER = `<idPA xmlns="">${EC}</idPA><idBrokerPA xmlns="">77777777777</idBrokerPA><idStation xmlns="">77777777777_01</idStation>`;
const QR = (nav: string) => `<qrCode><fiscalCode>${EC}</fiscalCode><noticeNumber>${nav}</noticeNumber></qrCode>`;

describe("the SOAP envelope", () => {
  let t: TestApp;
  let nav: string;
  beforeEach(async () => {
    t = await startApp();
    nav = (await createPosition(t, makePosition(), { toPublish: true })).paymentOption[0].nav;
  });

  describe("what is not a SOAP 1.1 message", () => {
    it("answers a body that is not XML with a Client SOAP Fault and HTTP 500", async () => {
      for (const body of ["hello", '{"idPA":"77777777777"}', "<soapenv:Envelope", `<a><b></a></b>`]) {
        const r = await postRaw(t, body, { ...TEXT_XML, SOAPAction: "paVerifyPaymentNotice" });
        expectSoapFault(r, "Client");
      }
    });

    it("answers an empty body with a Client SOAP Fault", async () => {
      expectSoapFault(await postRaw(t, "", { ...TEXT_XML, SOAPAction: "paVerifyPaymentNotice" }), "Client");
    });

    it("answers a SOAP 1.2 envelope with a VersionMismatch SOAP Fault", async () => {
      const soap12 = verifyRequest(nav).replace(SOAP11, SOAP12);
      const fault = expectSoapFault(await postSoap(t, soap12, "paVerifyPaymentNotice"), "VersionMismatch");
      expect(fault).to.include("1.1");
    });

    it("answers the SOAP 1.2 content type with a VersionMismatch SOAP Fault", async () => {
      const r = await postRaw(t, verifyRequest(nav), { "content-type": 'application/soap+xml; charset=utf-8; action="paVerifyPaymentNotice"' });
      expectSoapFault(r, "VersionMismatch");
    });

    it("answers an XML document that is not an Envelope with a Client SOAP Fault", async () => {
      const bare = `<pafn:paVerifyPaymentNoticeReq xmlns:pafn="${PAFN}">${HEADER}${QR(nav)}</pafn:paVerifyPaymentNoticeReq>`;
      expectSoapFault(await postSoap(t, bare, "paVerifyPaymentNotice"), "Client");
    });

    it("answers an Envelope without a Body, or with two elements in it, with a Client SOAP Fault", async () => {
      const noBody = `<soapenv:Envelope xmlns:soapenv="${SOAP11}"><soapenv:Header/></soapenv:Envelope>`;
      expectSoapFault(await postSoap(t, noBody, "paVerifyPaymentNotice"), "Client");
      const request = verifyRequest(nav);
      const inner = request.slice(request.indexOf("<pafn:paVerifyPaymentNoticeReq>"), request.indexOf("</soapenv:Body>"));
      const twice = request.replace("</soapenv:Body>", `${inner}</soapenv:Body>`);
      expectSoapFault(await postSoap(t, twice, "paVerifyPaymentNotice"), "Client");
    });

    it("answers an unknown operation with a Client SOAP Fault", async () => {
      const unknown = envelope("paUnknownOperationReq", { ...header(EC) });
      expectSoapFault(await postSoap(t, unknown), "Client");
      expectSoapFault(await postSoap(t, unknown, "paUnknownOperation"), "Client");
      const nodeForPsp = envelope("verifyPaymentNoticeReq", { ...header(EC) });
      expectSoapFault(await postSoap(t, nodeForPsp, "verifyPaymentNotice"), "Client");
    });

    it("answers a DTD or an entity declaration with a Client SOAP Fault, without expanding it", async () => {
      const request = verifyRequest(nav);
      const xxe = request.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace(`<idPA>${EC}</idPA>`, "<idPA>&xxe;</idPA>");
      const r = await postSoap(t, xxe, "paVerifyPaymentNotice");
      expectSoapFault(r, "Client");
      expect(r.text).not.to.include("root:");
      const laughs = request.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
      );
      expectSoapFault(await postSoap(t, laughs, "paVerifyPaymentNotice"), "Client");
      const doctypeOnly = request.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE soapenv:Envelope>');
      expectSoapFault(await postSoap(t, doctypeOnly, "paVerifyPaymentNotice"), "Client");
    });

    it("answers an undefined entity with a Client SOAP Fault naming it", async () => {
      const request = verifyWith(`${HEADER.replace("77777777777_01", "&station;")}${QR(nav)}`);
      expect(expectSoapFault(await postSoap(t, request, "paVerifyPaymentNotice"), "Client")).to.include("&station;");
    });

    it("answers a processing instruction with a Client SOAP Fault", async () => {
      const pi = verifyRequest(nav).replace("<soapenv:Body>", '<?xml-stylesheet href="x.xsl"?><soapenv:Body>');
      expectSoapFault(await postSoap(t, pi, "paVerifyPaymentNotice"), "Client");
    });

    it("answers a body that is not UTF-8 with a Client SOAP Fault", async () => {
      const latin1 = Buffer.from(verifyRequest(nav).replace("UTF-8", "ISO-8859-1").replace("</idPA>", "</idPA><!-- caff\u00e8 -->"), "latin1");
      expectSoapFault(await postRaw(t, latin1, { "content-type": "text/xml; charset=iso-8859-1", SOAPAction: "paVerifyPaymentNotice" }), "Client");
      const invalidBytes = Buffer.concat([Buffer.from(verifyRequest(nav).replace("</soapenv:Body>", "")), Buffer.from([0xff, 0xfe]), Buffer.from("</soapenv:Body></soapenv:Envelope>")]);
      expectSoapFault(await postRaw(t, invalidBytes, { ...TEXT_XML, SOAPAction: "paVerifyPaymentNotice" }), "Client");
    });

    it("answers elements nested absurdly deep with a Client SOAP Fault", async () => {
      const deep = verifyRequest(nav).replace("</qrCode>", `</qrCode>${"<x>".repeat(200)}${"</x>".repeat(200)}`);
      expectSoapFault(await postSoap(t, deep, "paVerifyPaymentNotice"), "Client");
    });

    it("answers a body over the limit (BODY_LIMIT_BYTES, at least 1 MiB on the SOAP door) with HTTP 413 and a Client SOAP Fault", async () => {
      const small = await startApp({ BODY_LIMIT_BYTES: "2048" });
      const padded = (bytes: number) => verifyRequest(nav).replace("</qrCode>", `</qrCode><padding>${"x".repeat(bytes)}</padding>`);
      // over BODY_LIMIT_BYTES but under the SOAP door's floor: read and answered (the new app's database is empty)
      expectFault(await postSoap(small, padded(4096), "paVerifyPaymentNotice"), "PAA_PAGAMENTO_SCONOSCIUTO");
      const r = await postSoap(small, padded(MIN_SOAP_BODY_BYTES), "paVerifyPaymentNotice");
      expect(r.status).to.equal(413);
      expect(r.body.faultcode).to.equal("soapenv:Client");
    });
  });

  describe("what breaks the schema", () => {
    it("answers PAA_SINTASSI_XSD for a date that is not a calendar day (xs:date refuses 2026-02-30)", async () => {
      const request = envelope("paGetPaymentReq", { ...header(), qrCode: { fiscalCode: EC, noticeNumber: nav }, dueDate: "2026-02-30" });
      const fault = expectFault(await postSoap(t, request, "paGetPayment"), "PAA_SINTASSI_XSD", "paGetPaymentRes");
      expect(fault.description).to.include("dueDate");
    });

    it("answers PAA_SINTASSI_XSD naming the element when children are namespace-qualified with a prefix", async () => {
      const qualified = verifyWith(`<pafn:idPA>${EC}</pafn:idPA><pafn:idBrokerPA>77777777777</pafn:idBrokerPA><pafn:idStation>77777777777_01</pafn:idStation>${QR(nav)}`);
      const fault = expectFault(await postSoap(t, qualified, "paVerifyPaymentNotice"), "PAA_SINTASSI_XSD", VERIFY_RES);
      expect(fault.description).to.include("idPA");
    });

    it("answers PAA_SINTASSI_XSD naming the first child when a default namespace on the body root qualifies its children", async () => {
      const qualified = verifyWith(`${HEADER}${QR(nav)}`, ` xmlns="${PAFN}"`, "");
      const fault = expectFault(await postSoap(t, qualified, "paVerifyPaymentNotice"), "PAA_SINTASSI_XSD", VERIFY_RES);
      expect(fault.description).to.include("idPA").and.include("unqualified").and.include(PAFN);
      const grandchild = verifyWith(`${UNDECLARED_HEADER}<qrCode xmlns=""><fiscalCode xmlns="${PAFN}">${EC}</fiscalCode><noticeNumber>${nav}</noticeNumber></qrCode>`, ` xmlns="${PAFN}"`, "");
      expect(expectFault(await postSoap(t, grandchild, "paVerifyPaymentNotice"), "PAA_SINTASSI_XSD", VERIFY_RES).description).to.include("qrCode.fiscalCode");
    });

    it("answers PAA_SINTASSI_XSD naming the element when one child declares the paForNode namespace itself", async () => {
      const qualified = verifyWith(`<idPA xmlns="${PAFN}">${EC}</idPA><idBrokerPA>77777777777</idBrokerPA><idStation>77777777777_01</idStation>${QR(nav)}`);
      const fault = expectFault(await postSoap(t, qualified, "paVerifyPaymentNotice"), "PAA_SINTASSI_XSD", VERIFY_RES);
      expect(fault.description).to.include("idPA");
    });

    it("answers PAA_SINTASSI_XSD naming the namespace when the body root is in another namespace", async () => {
      const wrong = verifyRequest(nav).replace(`xmlns:pafn="${PAFN}"`, 'xmlns:pafn="http://pagopa-api.pagopa.gov.it/node/nodeForPsp.xsd"');
      for (const action of ["paVerifyPaymentNotice", undefined]) {
        const fault = expectFault(await postSoap(t, wrong, action), "PAA_SINTASSI_XSD", VERIFY_RES);
        expect(fault.description).to.include(PAFN);
      }
      const none = verifyWith(`${HEADER}${QR(nav)}`, "", "");
      expectFault(await postSoap(t, none, "paVerifyPaymentNotice"), "PAA_SINTASSI_XSD", VERIFY_RES);
    });

    it("answers PAA_SINTASSI_XSD naming a missing required element", async () => {
      const noStation = verifyWith(`<idPA>${EC}</idPA><idBrokerPA>77777777777</idBrokerPA>${QR(nav)}`);
      const fault = expectFault(await postSoap(t, noStation, "paVerifyPaymentNotice"), "PAA_SINTASSI_XSD", VERIFY_RES);
      expect(fault.description).to.include("idStation").and.include("missing");
      const noNotice = verifyWith(`${HEADER}<qrCode><fiscalCode>${EC}</fiscalCode></qrCode>`);
      expect(expectFault(await postSoap(t, noNotice, "paVerifyPaymentNotice"), "PAA_SINTASSI_XSD", VERIFY_RES).description).to.include("qrCode.noticeNumber");
      const empty = verifyWith("");
      expect(expectFault(await postSoap(t, empty, "paVerifyPaymentNotice"), "PAA_SINTASSI_XSD", VERIFY_RES).description).to.include("idPA");
    });

    it("answers PAA_SINTASSI_XSD for an element repeated where the schema allows one", async () => {
      const twice = verifyWith(`${HEADER}<idStation>77777777777_01</idStation>${QR(nav)}`);
      expect(expectFault(await postSoap(t, twice, "paVerifyPaymentNotice"), "PAA_SINTASSI_XSD", VERIFY_RES).description).to.include("idStation");
    });

    it("answers PAA_SINTASSI_XSD for a simple element that has children", async () => {
      const nested = verifyWith(`<idPA><value>${EC}</value></idPA><idBrokerPA>77777777777</idBrokerPA><idStation>77777777777_01</idStation>${QR(nav)}`);
      expect(expectFault(await postSoap(t, nested, "paVerifyPaymentNotice"), "PAA_SINTASSI_XSD", VERIFY_RES).description).to.include("idPA");
    });

    it("answers PAA_SINTASSI_XSD for an amount without exactly two decimals", async () => {
      for (const amount of ["30", "30.0", "30.000", "30,00", "3e1"]) {
        const fault = expectFault(await postSoap(t, getPaymentRequest(nav, { amount }), "paGetPayment"), "PAA_SINTASSI_XSD", "paGetPaymentRes");
        expect(fault.description).to.include("amount");
      }
      expectOk(await postSoap(t, getPaymentRequest(nav, { amount: "30.00" }), "paGetPayment"), "paGetPaymentRes");
    });
  });

  describe("routing", () => {
    it("routes by the SOAPAction header, bare or quoted or as a URI", async () => {
      for (const action of ["paVerifyPaymentNotice", '"paVerifyPaymentNotice"', '"http://pagopa-api.pagopa.gov.it/paForNode/paVerifyPaymentNotice"', "urn:paForNode#paVerifyPaymentNotice"]) {
        expectOk(await postSoap(t, verifyRequest(nav), action), VERIFY_RES);
      }
    });

    it("routes by the body root when SOAPAction is absent or empty", async () => {
      expectOk(await postSoap(t, verifyRequest(nav)), VERIFY_RES);
      expectOk(await postRaw(t, verifyRequest(nav), { ...TEXT_XML, SOAPAction: '""' }), VERIFY_RES);
      expectOk(await postSoap(t, getPaymentRequest(nav, { v2: true })), "paGetPaymentV2Response");
    });

    it("answers PAA_SINTASSI_XSD in the SOAPAction's response when the body is another operation's request", async () => {
      const fault = expectFault(await postSoap(t, verifyRequest(nav), "paGetPayment"), "PAA_SINTASSI_XSD", "paGetPaymentRes");
      expect(fault.description).to.include("paVerifyPaymentNoticeReq").and.include("paGetPayment");
      expectFault(await postSoap(t, getPaymentRequest(nav), "paGetPaymentV2"), "PAA_SINTASSI_XSD", "paGetPaymentV2Response");
    });

    it("answers the request's operation when the SOAPAction names no operation of ours", async () => {
      expectOk(await postSoap(t, verifyRequest(nav), "someOtherAction"), VERIFY_RES);
    });

    it("answers on the SOAP path with a query string too", async () => {
      const res = await t.http.post(`${t.config.soapPath}?x=1`).set("content-type", "text/xml").set("SOAPAction", "paVerifyPaymentNotice").send(verifyRequest(nav));
      expect(res.status).to.equal(200);
      expect(res.headers["content-type"]).to.equal("text/xml; charset=utf-8");
      expect(res.text).to.include("<outcome>OK</outcome>");
    });
  });

  describe("what is read leniently", () => {
    it("reads a pretty-printed request with a SOAP Header, comments, CDATA and other prefixes", async () => {
      const request =
        `<?xml version="1.0" encoding="UTF-8"?>\n<S:Envelope xmlns:S="${SOAP11}">\n  <S:Header><x:trace xmlns:x="urn:trace">abc</x:trace></S:Header>\n  <S:Body>\n` +
        `    <ns2:paVerifyPaymentNoticeReq xmlns:ns2="${PAFN}">\n      <!-- a comment -->\n      <idPA>${EC}</idPA>\n      <idBrokerPA><![CDATA[77777777777]]></idBrokerPA>\n` +
        `      <idStation>77777777777_01</idStation>\n      <qrCode>\n        <fiscalCode>${EC}</fiscalCode>\n        <noticeNumber>${nav}</noticeNumber>\n      </qrCode>\n` +
        `    </ns2:paVerifyPaymentNoticeReq>\n  </S:Body>\n</S:Envelope>\n`;
      expectOk(await postSoap(t, request, "paVerifyPaymentNotice"), VERIFY_RES);
    });

    it("reads a request that starts with a UTF-8 byte order mark", async () => {
      const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(verifyRequest(nav), "utf8")]);
      expectOk(await postRaw(t, withBom, { ...TEXT_XML, SOAPAction: "paVerifyPaymentNotice" }), VERIFY_RES);
    });

    it("reads a body root in the default namespace whose children undeclare it (xmlns=\"\"), as pagoPA's own tests send", async () => {
      const request = verifyWith(`${UNDECLARED_HEADER}<qrCode xmlns=""><fiscalCode>${EC}</fiscalCode><noticeNumber>${nav}</noticeNumber></qrCode>`, ` xmlns="${PAFN}"`, "");
      expectOk(await postSoap(t, request, "paVerifyPaymentNotice"), VERIFY_RES);
    });

    it("reads a child that undeclares the default namespace (xmlns=\"\") as unqualified", async () => {
      const request = verifyWith(`<idPA xmlns="">${EC}</idPA><idBrokerPA>77777777777</idBrokerPA><idStation>77777777777_01</idStation>${QR(nav)}`);
      expectOk(await postSoap(t, request, "paVerifyPaymentNotice"), VERIFY_RES);
    });

    it("decodes character references anywhere, even in a notice number", async () => {
      const request = verifyWith(`<idPA>&#x37;7777777777</idPA><idBrokerPA>77777777777</idBrokerPA><idStation>77777777777_01</idStation>${QR(`&#51;${nav.slice(1)}`)}`);
      expectOk(await postSoap(t, request, "paVerifyPaymentNotice"), VERIFY_RES);
    });

    it("answers the Stand-In probe 000000000000000000 with PAA_PAGAMENTO_SCONOSCIUTO", async () => {
      const fault = expectFault(await postSoap(t, verifyRequest("000000000000000000"), "paVerifyPaymentNotice"), "PAA_PAGAMENTO_SCONOSCIUTO", VERIFY_RES);
      expect(fault.id).to.equal(EC);
    });

    it("escapes the request's text when it echoes it in a fault description", async () => {
      const r = await postSoap(t, envelope("paVerifyPaymentNoticeReq", { ...header(EC), idStation: "<&>\"'", qrCode: { fiscalCode: EC, noticeNumber: nav } }), "paVerifyPaymentNotice");
      const fault = expectFault(r, "PAA_STAZIONE_INT_ERRATA", VERIFY_RES);
      expect(fault.description).to.include(`idStation <&>"'`);
    });
  });
});

describe("namespace spellings of the official examples", () => {
  const dir = path.join(OFFICIAL_REFERENCE_DIR, "examples", "constructed");
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith("-req.xml")).sort() : [];
  const DECLARED = ` xmlns:pafn="${PAFN}"`;

  /** The request as the station reads it, or the schema violation it reports. */
  function read(xml: string): unknown {
    const parsed = parseEnvelope(xml);
    if (parsed.rootProblem) return parsed.rootProblem;
    try {
      return readComplex(requestSpecs[parsed.operation!], parsed.body, "");
    } catch (error) {
      return (error as { detail: string }).detail;
    }
  }

  /** The example with each direct child of the body root given this attribute. */
  function onEachChild(xml: string, root: string, attribute: string): string {
    const start = xml.indexOf(`<${root}`);
    const names = parseEnvelope(xml).body.children.map((c) => c.name);
    let out = xml;
    let from = start;
    for (const name of names) {
      const at = out.indexOf(`<${name}>`, from);
      out = `${out.slice(0, at)}<${name}${attribute}>${out.slice(at + name.length + 2)}`;
      from = at;
    }
    return out;
  }

  /** Every namespace-correct way of writing the same request. */
  function spellings(xml: string, root: string): Record<string, string> {
    const bare = xml.replace(DECLARED, "");
    const unprefixed = bare.replace(`<pafn:${root}>`, `<${root} xmlns="${PAFN}">`).replace(`</pafn:${root}>`, `</${root}>`);
    return {
      "the prefix declared on the Envelope": xml,
      "the prefix declared on the Body": bare.replace("<soapenv:Body>", `<soapenv:Body${DECLARED}>`),
      "the prefix declared on the body root": bare.replace(`<pafn:${root}>`, `<pafn:${root}${DECLARED}>`),
      "other prefixes": xml.replaceAll("pafn:", "ns2:").replace("xmlns:pafn=", "xmlns:ns2=").replaceAll("soapenv:", "S:").replace("xmlns:soapenv=", "xmlns:S="),
      'a default namespace on the body root, undeclared (xmlns="") by its children': onEachChild(unprefixed, root, ' xmlns=""'),
      'a default namespace on the Envelope, undeclared (xmlns="") by the children of the root': onEachChild(
        bare.replace("<soapenv:Envelope ", `<soapenv:Envelope xmlns="${PAFN}" `).replace(`<pafn:${root}>`, `<${root}>`).replace(`</pafn:${root}>`, `</${root}>`),
        root,
        ' xmlns=""',
      ),
    };
  }

  it("are found next to this checkout (or these tests are skipped)", function () {
    if (files.length === 0) this.skip();
    expect(files).to.have.length(6);
  });

  for (const file of files) {
    const xml = fs.readFileSync(path.join(dir, file), "utf8");
    const root = /<pafn:(\w+)>/.exec(xml)![1]!;

    it(`reads ${file} alike in every namespace-correct spelling, each valid under the official XSD`, () => {
      const expected = read(xml);
      expect(expected).to.be.an("object");
      for (const [name, spelled] of Object.entries(spellings(xml, root))) {
        expect(spelled !== xml, `${name} is a new spelling`).to.equal(name !== "the prefix declared on the Envelope");
        const official = officialSchema();
        if (official) expect(validateSoapBody(spelled, official), name).to.deep.equal([]);
        expect(read(spelled), name).to.deep.equal(expected);
      }
    });

    it(`refuses ${file} when a child of the root declares the paForNode namespace as its default`, () => {
      const qualified = onEachChild(xml, `pafn:${root}`, ` xmlns="${PAFN}"`);
      const official = officialSchema();
      if (official) expect(validateSoapBody(qualified, official)).to.not.deep.equal([]);
      expect(read(qualified)).to.be.a("string").and.include("must be unqualified");
    });
  }
});
