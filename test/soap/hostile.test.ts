/**
 * Hostile and malformed input: each gets a SOAP Fault or a schema-valid KO, in bounded time and
 * memory, and writes nothing.
 */
import { expect } from "chai";
import { ADVERSARIAL_SHAPES, filledTo } from "../support/adversarial.ts";
import { MIN_SOAP_BODY_BYTES } from "../../src/soap/handler.ts";
import { ADMIN_KEY, EC, startApp, UNSERVED_EC, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { envelope, faultCodeOf, header, postSoap, receiptRequest, verifyRequest } from "../support/soap.ts";
import { projectSchema, validateSoapBody } from "../support/xmlSchema.ts";
import { KEY_HEADER } from "../support/rest.ts";

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>';
const ENV_OPEN = '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><soapenv:Body>';
const ENV_CLOSE = "</soapenv:Body></soapenv:Envelope>";

describe("hostile and malformed SOAP input", function () {
  this.timeout(60_000);
  let t: TestApp;
  let nav: string;
  let iuv: string;
  let rowsBefore: string;

  // a refused receipt is kept (rejected_receipt, with its event) by design; nothing else may be written
  const rows = async () =>
    JSON.stringify(await (await testDatabase()).query("SELECT (SELECT count(*) FROM receipt) AS r, (SELECT count(*) FROM payment_option WHERE lock_until IS NOT NULL OR status <> 'PO_UNPAID') AS o, (SELECT count(*) FROM outbox WHERE aggregate_type <> 'rejected_receipt') AS e"));

  before(async () => {
    t = await startApp();
    const position = makePosition();
    const res = await t.http.post(`/v1/organizations/${EC}/debtpositions?toPublish=true`).set(KEY_HEADER, ADMIN_KEY).send(position);
    expect(res.status).to.equal(201);
    iuv = position.paymentOption[0]!.iuv;
    nav = `3${iuv}`;
    rowsBefore = await rows();
  });

  afterEach(async () => {
    expect(await rows(), "nothing written").to.equal(rowsBefore);
  });

  async function expectFault(body: string | Buffer, faultCode: string, contentType = "text/xml; charset=utf-8", action = "paSendRT") {
    const started = Date.now();
    const heapBefore = process.memoryUsage().heapUsed;
    const res = await t.http.post("/paForNode").set("content-type", contentType).set("SOAPAction", action).send(body).buffer(true).parse((r, cb) => {
      let data = "";
      r.setEncoding("utf8");
      r.on("data", (c: string) => (data += c));
      r.on("end", () => cb(null, data));
    });
    expect(Date.now() - started, "answered quickly").to.be.below(2000);
    expect(process.memoryUsage().heapUsed - heapBefore, "bounded memory").to.be.below(64 * 1024 * 1024);
    expect(res.status, res.body as string).to.equal(500);
    expect(res.body as string).to.contain(`<faultcode>soapenv:${faultCode}</faultcode>`);
    return res.body as string;
  }

  const receipt = () => receiptRequest({ receiptId: "hostile-1", nav, iuv, amount: "100.00" });
  const withDoctype = (doctype: string) => receipt().replace(HEAD, `${HEAD}${doctype}`);

  it("refuses an external entity (XXE) with a SOAP Fault and reads no file", async () => {
    const body = await expectFault(withDoctype('<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace("Tassa rifiuti 2026", "&xxe;"), "Client");
    expect(body).to.not.contain("root:");
  });

  it("refuses a parameter entity pulling an external DTD", async () => {
    await expectFault(withDoctype('<!DOCTYPE r [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>'), "Client");
  });

  it("refuses entity expansion (billion laughs) without expanding it", async () => {
    const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`)].join("");
    await expectFault(withDoctype(`<!DOCTYPE r [${lol}]>`).replace("Tassa rifiuti 2026", "&lol9;"), "Client");
  });

  it("refuses a plain DTD and processing instructions", async () => {
    await expectFault(withDoctype("<!DOCTYPE Envelope>"), "Client");
    await expectFault(receipt().replace("<soapenv:Body>", '<soapenv:Body><?evil instruction?>'), "Client");
  });

  it("refuses elements nested thousands deep", async () => {
    const deep = `${"<a>".repeat(5000)}x${"</a>".repeat(5000)}`;
    await expectFault(receipt().replace("<description>", `<description>${deep}`), "Client");
  });

  it("answers 413 to a body over the configured limit, without reading it all", async () => {
    const small = await startApp({ BODY_LIMIT_BYTES: "2048" });
    // a new app starts on an emptied database: nothing may be written from here on
    rowsBefore = await rows();
    // the SOAP door takes at least MIN_SOAP_BODY_BYTES, whatever BODY_LIMIT_BYTES says
    const res = await small.http.post("/paForNode").set("content-type", "text/xml").send(receipt().replace("Tassa rifiuti 2026", "x".repeat(MIN_SOAP_BODY_BYTES)));
    expect(res.status).to.equal(413);
  });

  it("refuses a wrong content type and a non-UTF-8 charset", async () => {
    await expectFault(receipt(), "Client", "application/json");
    await expectFault(receipt(), "Client", "text/xml; charset=ISO-8859-1");
  });

  it("answers VersionMismatch to a SOAP 1.2 envelope", async () => {
    const soap12 = receipt().replace("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope");
    await expectFault(soap12, "VersionMismatch");
    await expectFault(receipt(), "VersionMismatch", "application/soap+xml; charset=utf-8");
  });

  it("refuses bytes that are not UTF-8", async () => {
    const latin1 = Buffer.from(receipt().replace("Tassa rifiuti 2026", "Tassa pi\u00f9 alta"), "latin1");
    await expectFault(latin1, "Client");
  });

  it("refuses truncated XML", async () => {
    const text = receipt();
    for (const cut of [20, text.length / 2, text.length - 5]) await expectFault(text.slice(0, Math.floor(cut)), "Client");
  });

  it("refuses an unknown operation, named by SOAPAction or by the body", async () => {
    const unknown = `${HEAD}${ENV_OPEN}<pafn:paDropAllTables><x/></pafn:paDropAllTables>${ENV_CLOSE}`;
    const body = await expectFault(unknown, "Client", "text/xml", "paDropAllTables");
    expect(body).to.contain("Unknown operation");
  });

  describe("bodies of adversarial shapes up to the body limit", () => {
    /**
     * A receipt whose description is replaced by a filler up to exactly the body limit. Its EC is not served
     * here, so a well-formed one is not kept as refused: the time measured is the reading's, not PGlite's
     * storing 1 MiB in this process.
     */
    const atLimit = (fill: (room: number) => string) =>
      filledTo(receiptRequest({ receiptId: "hostile-2", nav, iuv, amount: "100.00", idPA: UNSERVED_EC, fiscalCode: UNSERVED_EC }), "Tassa rifiuti 2026", t.config.bodyLimitBytes, fill);

    /**
     * The least of three answers' costs, each a SOAP Fault or a schema-valid KO. The cost is the CPU time
     * of this process (the app runs in it), not the wall time, so other work on a loaded machine does not
     * count; and the least of three, after a full collection, so earlier tests' garbage does not either.
     * The bound is generous because the whole process counts (its collector's threads, the embedded
     * database): alone an answer costs 20-60 ms, within the whole suite up to 180 ms. What is asserted
     * is linear time: a super-linear reader of 1 MiB costs seconds to minutes on every answer.
     */
    async function leastCpuMs(body: string, action: string): Promise<number> {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        globalThis.gc?.();
        const started = process.cpuUsage();
        const answer = await postSoap(t, body, action);
        const spent = process.cpuUsage(started);
        times.push((spent.user + spent.system) / 1000);
        expect(answer.status === 500 || faultCodeOf(answer) === "PAA_SINTASSI_XSD", answer.text.slice(0, 500)).to.equal(true);
      }
      return Math.min(...times);
    }

    for (const [shape, make] of Object.entries(ADVERSARIAL_SHAPES)) {
      it(`answers ${shape} in well under 500 ms of CPU`, async () => {
        const body = atLimit(make);
        expect(Buffer.byteLength(body)).to.be.within(t.config.bodyLimitBytes - 64, t.config.bodyLimitBytes);
        expect(await leastCpuMs(body, "paSendRT")).to.be.below(500);
      });
    }

    it("answers a base64 element holding a long run of spaces in well under 500 ms of CPU", async () => {
      const transfer = { idTransfer: 1, transferAmount: "100.00", fiscalCodePA: EC, MBDAttachment: "QUJD@!", remittanceInformation: "Bollo", transferCategory: "9/0201133IM/" };
      const request = receiptRequest({ receiptId: "hostile-3", nav, iuv, amount: "100.00", v2: true, transfers: [transfer], idPA: UNSERVED_EC, fiscalCode: UNSERVED_EC });
      const body = request.replace("@", " ".repeat(t.config.bodyLimitBytes - Buffer.byteLength(request)));
      expect(await leastCpuMs(body, "paSendRTV2")).to.be.below(500);
    });
  });

  it("answers KO PAA_SINTASSI_XSD naming the element for oversized fields, valid against the schema", async () => {
    const oversized = [
      receipt().replace("<description>Tassa rifiuti 2026</description>", `<description>${"d".repeat(10_000)}</description>`),
      envelope("paVerifyPaymentNoticeReq", { ...header(), idStation: "s".repeat(200_000), qrCode: { fiscalCode: EC, noticeNumber: nav } }),
      verifyRequest(`${nav}${"9".repeat(1000)}`),
    ];
    for (const [i, xml] of oversized.entries()) {
      const answer = await postSoap(t, xml);
      expect(answer.status).to.equal(200);
      expect(faultCodeOf(answer), answer.text).to.equal("PAA_SINTASSI_XSD");
      expect(answer.body.fault.description).to.match([/description/, /idStation/, /noticeNumber/][i]!);
      expect(validateSoapBody(answer.text, projectSchema())).to.deep.equal([]);
    }
  });
});
