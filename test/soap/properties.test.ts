/**
 * Property-based: every text the station can send is echoed back in a receipt that is accepted and
 * stored as it was; and SOAP requests generated around the schema's edges (lengths at and past the
 * facets, odd amounts, special characters, missing and repeated elements, random corruption).
 * Every answer is a schema-valid paForNode answer or a SOAP Fault; nothing crashes; the payment
 * invariants hold afterwards.
 */
import { expect } from "chai";
import fc from "fast-check";
import { ADMIN_KEY, BROKER, EC, STATION, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makeOption, makePosition, makeTransfer } from "../support/factories.ts";
import { envelope, expectOk, getPaymentRequest, header, postSoap, type XmlTree } from "../support/soap.ts";
import { officialSchema, projectSchema, validateSoapBody } from "../support/xmlSchema.ts";
import { brokenInvariants, NO_BROKEN_INVARIANTS } from "../reliability/invariants.ts";
import { createPosition, KEY_HEADER, readReceipt } from "../support/rest.ts";

const OPERATIONS = [
  ["paVerifyPaymentNotice", "paVerifyPaymentNoticeReq"],
  ["paGetPayment", "paGetPaymentReq"],
  ["paGetPaymentV2", "paGetPaymentV2Request"],
  ["paSendRT", "paSendRTReq"],
  ["paSendRTV2", "paSendRTV2Request"],
  ["paDemandPaymentNotice", "paDemandPaymentNoticeRequest"],
] as const;

/** The request generator; notices that exist are only known once the test has loaded them. */
function requests(navs: readonly string[]) {
/** A text value at or around the edges a facet draws. */
const edgy = (good: fc.Arbitrary<string>, max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: good },
    fc.constant(""),
    fc.constant("x".repeat(max)),
    fc.constant("x".repeat(max + 1)),
    fc.string({ maxLength: max + 5 }),
    fc.constantFrom("<&>\"'", "àèìòù€", "  ", "\u0000", "]]>", "-1", "0", "1e3", "NaN"),
  );
const amount = fc.oneof(
  fc.integer({ min: 1, max: 99_999_999_999 }).map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, "0")}`),
  fc.constantFrom("0.00", "30", "30.0", "30.000", "-1.00", "1000000000.00", "999999999.99", " 30.00 ", "3O.00", "1e2"),
);
const nav = () => edgy(fc.constantFrom(...navs, "000000000000000000", "302000000009999999"), 18);
const ec = edgy(fc.constantFrom(EC, "88888888888", "99999999999"), 11);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 4 });

const transfer = fc.record({
  idTransfer: fc.oneof(fc.constantFrom("1", "2", "5", "6", "0", " +2 ", "x")),
  transferAmount: amount,
  fiscalCodePA: ec,
  IBAN: maybe(edgy(fc.constant("IT60X0542811101000000123456"), 35)),
  MBDAttachment: maybe(fc.constantFrom("QUJDRA==", "not base64!")),
  remittanceInformation: edgy(fc.constant("causale"), 140),
  transferCategory: edgy(fc.constant("0101100IM"), 140),
});
const receipt = fc.record({
  receiptId: fc.oneof(fc.uuid(), fc.constant("fixed-receipt")),
  noticeNumber: nav(),
  fiscalCode: ec,
  outcome: fc.constantFrom("OK", "KO", "ok"),
  creditorReferenceId: edgy(fc.constant("02000000001234559"), 35),
  paymentAmount: amount,
  description: edgy(fc.constant("Tassa"), 140),
  companyName: edgy(fc.constant("Comune"), 140),
  debtor: fc.record({
    uniqueIdentifier: fc.record({ entityUniqueIdentifierType: fc.constantFrom("F", "G", "X"), entityUniqueIdentifierValue: edgy(fc.constant("RSSMRA80A01H501U"), 16) }),
    fullName: edgy(fc.constant("Mario Rossi"), 70),
    "e-mail": maybe(fc.constantFrom("a@b.it", "not-an-email")),
  }),
  transferList: fc.record({ transfer: fc.array(transfer, { minLength: 0, maxLength: 7 }) }),
  idPSP: edgy(fc.constant("ABCDITMMXXX"), 35),
  PSPCompanyName: edgy(fc.constant("PSP"), 70),
  idChannel: edgy(fc.constant("99999999999_01"), 35),
  channelDescription: edgy(fc.constant("app"), 35),
  paymentDateTime: maybe(fc.constantFrom("2026-11-20T10:00:00", "2026-13-01T00:00:00", "yesterday")),
  standIn: maybe(fc.constantFrom("true", "false", "1", "maybe")),
  unknownFutureElement: maybe(fc.constant("ignored")),
});
const request = fc.record({
  op: fc.constantFrom(...OPERATIONS),
  idPA: ec,
  idBrokerPA: edgy(fc.constant(BROKER), 35),
  idStation: edgy(fc.constant(STATION), 35),
  qrCode: fc.record({ fiscalCode: ec, noticeNumber: nav() }),
  amount: maybe(amount),
  transferType: maybe(fc.constantFrom("POSTAL", "PAGOPA", "BANK")),
  receipt,
  idServizio: edgy(fc.constant("00001"), 5),
  idSoggettoServizio: edgy(fc.constant("00001"), 5),
  datiSpecificiServizioRequest: fc.constantFrom("PHg+PC94Pg==", "%%%"),
  drop: fc.constantFrom("", "idPA", "qrCode", "receipt", "idStation"),
  corrupt: fc.option(fc.tuple(fc.nat(), fc.constantFrom("<", ">", "&", "</x>", "\u0000", "\"")), { freq: 5 }),
});

  return request;
}

describe("SOAP answers to generated requests (property-based)", function () {
  this.timeout(300_000);
  let t: TestApp;
  let navs: string[];

  before(async () => {
    t = await startApp();
    const positions = Array.from({ length: 3 }, () => makePosition());
    const res = await t.http.post(`/v2/organizations/${EC}/debtpositions?toPublish=true`).set(KEY_HEADER, ADMIN_KEY).send({ paymentPositions: positions });
    expect(res.status).to.equal(201);
    navs = positions.map((p) => `3${p.paymentOption[0]!.iuv}`);
  });

  type Generated = ReturnType<typeof requests> extends fc.Arbitrary<infer T> ? T : never;

  function toXml(r: Generated): { xml: string; action: string } {
    const [action, root]: readonly [string, string] = r.op;
    const fields: XmlTree = { idPA: r.idPA, idBrokerPA: r.idBrokerPA, idStation: r.idStation };
    if (action.startsWith("paSendRT")) fields.receipt = r.receipt as unknown as XmlTree;
    else if (action === "paDemandPaymentNotice") Object.assign(fields, { idServizio: r.idServizio, idSoggettoServizio: r.idSoggettoServizio, datiSpecificiServizioRequest: r.datiSpecificiServizioRequest });
    else Object.assign(fields, { qrCode: r.qrCode, ...(action.startsWith("paGetPayment") ? { amount: r.amount, transferType: r.transferType } : {}) });
    if (r.drop) delete fields[r.drop];
    let xml = envelope(root, fields);
    if (r.corrupt) {
      const at = r.corrupt[0] % xml.length;
      xml = xml.slice(0, at) + r.corrupt[1] + xml.slice(at);
    }
    return { xml, action };
  }

  it("answers every generated request with a valid paForNode answer or a SOAP Fault, never a crash", async () => {
    await fc.assert(
      fc.asyncProperty(requests(navs), async (r) => {
        const { xml, action } = toXml(r);
        const answer = await postSoap(t, xml, action);
        if (answer.status === 500) {
          expect(answer.text).to.contain("<soapenv:Fault><faultcode>soapenv:");
          return;
        }
        expect(answer.status).to.equal(200);
        expect(answer.body.outcome).to.be.oneOf(["OK", "KO"]);
        expect(answer.body.fault === undefined, answer.text).to.equal(answer.body.outcome === "OK");
        expect(answer.body.fault?.faultCode ?? "PAA_X", answer.text).to.not.equal("PAA_SYSTEM_ERROR");
        expect(validateSoapBody(answer.text, projectSchema()), answer.text).to.deep.equal([]);
      }),
      { numRuns: 400 },
    );
    expect(await brokenInvariants(await testDatabase())).to.deep.equal(NO_BROKEN_INVARIANTS);
  });
});

/** Any character XML 1.0 can carry. (The REST API takes some it cannot: control characters, lone surrogates.) */
const XML_CHARS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const textUnit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(" ", "\t", "\n", "\r", "\r\n", "&", "<", ">", '"', "'", "]]>", "&amp;", "&#51;", "\u00a0", "\u2028", "\u{1F600}", "\u{10FFFF}", "\uFFFD", "à", "€", "x") },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) => XML_CHARS.test(c)) },
);
/** Text of 1 to max characters (code points) the REST API accepts, edges included. */
const anyText = (max: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.array(textUnit, { minLength: 1, maxLength: Math.min(max, 40) }).map((units) => [...units.join("")].slice(0, max).join("")) },
    fc.constantFrom(" ".repeat(max), "\u{1F600}".repeat(max), `${" ".repeat(max - 1)}x`, " "),
  );
const stationTexts = fc.record({
  description: anyText(140),
  companyName: anyText(140),
  officeName: anyText(140),
  fullName: anyText(70),
  streetName: anyText(70),
  civicNumber: anyText(16),
  postalCode: anyText(16),
  city: anyText(35),
  province: anyText(35),
  remittanceInformation: anyText(140),
  category: anyText(140),
  transferCompanyName: anyText(140),
  transferMetadata: fc.record({ key: anyText(140), value: anyText(140) }),
  optionMetadata: fc.record({ key: anyText(140), value: anyText(140) }),
  v2: fc.boolean(),
});
type StationTexts = typeof stationTexts extends fc.Arbitrary<infer T> ? T : never;

/** The first <name>…</name> of an answer, as written. */
function element(xml: string, name: string): string {
  const from = xml.indexOf(`<${name}>`);
  const to = xml.indexOf(`</${name}>`, from);
  expect(from, `<${name}> in ${xml}`).to.be.at.least(0);
  return xml.slice(from, to + name.length + 3);
}

/** The receipt the Node builds from an activation's answer: the station's own elements echoed back. */
function echoedReceipt(answer: string, receiptId: string, nav: string, v2: boolean): string {
  const data = answer.slice(answer.indexOf("<data>"), answer.indexOf("</data>"));
  const echoed = ["creditorReferenceId", "paymentAmount", "description", "companyName", "officeName", "debtor", "transferList"].map((name) => element(data, name)).join("");
  const receipt =
    `<receipt><receiptId>${receiptId}</receiptId><noticeNumber>${nav}</noticeNumber><fiscalCode>${EC}</fiscalCode><outcome>OK</outcome>${echoed}` +
    "<idPSP>ABCDITMMXXX</idPSP><PSPCompanyName>PSP</PSPCompanyName><idChannel>99999999999_01</idChannel><channelDescription>app</channelDescription>" +
    `<paymentDateTime>2026-11-20T10:00:00.250+01:00</paymentDateTime>${element(data.slice(data.indexOf("</transferList>")), "metadata")}</receipt>`;
  const root = v2 ? "paSendRTV2Request" : "paSendRTReq";
  return envelope(root, header()).replace(`</pafn:${root}>`, `${receipt}</pafn:${root}>`);
}

describe("the station's own text echoed in a receipt (property-based)", function () {
  this.timeout(300_000);
  let t: TestApp;
  before(async () => {
    t = await startApp();
  });

  let receipts = 0;
  async function echoIsStored(f: StationTexts): Promise<void> {
    const position = makePosition({
      fullName: f.fullName,
      streetName: f.streetName,
      civicNumber: f.civicNumber,
      postalCode: f.postalCode,
      city: f.city,
      province: f.province,
      companyName: f.companyName,
      officeName: f.officeName,
      paymentOption: [
        makeOption({
          description: f.description,
          paymentOptionMetadata: [f.optionMetadata],
          transfer: [makeTransfer({ remittanceInformation: f.remittanceInformation, category: f.category, companyName: f.transferCompanyName, transferMetadata: [f.transferMetadata] })],
        }),
      ],
    });
    const nav: string = (await createPosition(t, position, { toPublish: true })).paymentOption[0].nav;
    const activation = await postSoap(t, getPaymentRequest(nav, { v2: f.v2 }), f.v2 ? "paGetPaymentV2" : "paGetPayment");
    expectOk(activation);
    const receiptId = `echo-${++receipts}`;
    const receipt = echoedReceipt(activation.text, receiptId, nav, f.v2);
    const official = officialSchema();
    if (official) expect(validateSoapBody(receipt, official), "the echo is valid under the official XSD").to.deep.equal([]);
    expectOk(await postSoap(t, receipt, f.v2 ? "paSendRTV2" : "paSendRT"));
    const stored = (await readReceipt(t, receiptId))!;
    expect(stored.paymentDateTime).to.equal("2026-11-20T09:00:00.250Z");
    const r = stored.receipt;
    const transfer = r.transferList.transfer[0];
    expect({
      description: r.description,
      companyName: r.companyName,
      officeName: r.officeName,
      fullName: r.debtor.fullName,
      streetName: r.debtor.streetName,
      civicNumber: r.debtor.civicNumber,
      postalCode: r.debtor.postalCode,
      city: r.debtor.city,
      province: r.debtor.stateProvinceRegion,
      remittanceInformation: transfer.remittanceInformation,
      category: transfer.transferCategory,
      transferCompanyName: f.v2 ? transfer.companyName : f.transferCompanyName,
      transferMetadata: transfer.metadata.mapEntry[0],
      optionMetadata: r.metadata.mapEntry[0],
      v2: f.v2,
    }).to.deep.equal(f);
    expect((await readReceipt(t, receiptId))!.flags).to.not.include("UNKNOWN_NOTICE");
  }

  it("stores a blank office name that paGetPayment answered, as sent", async () => {
    await echoIsStored({ ...fc.sample(stationTexts, { numRuns: 1, seed: 1 })[0]!, officeName: " ", description: " Tassa  rifiuti ", v2: false });
  });

  it("stores every text the REST API accepts and paGetPayment(V2) answers, echoed in a receipt, exactly as it was", async () => {
    await fc.assert(fc.asyncProperty(stationTexts, echoIsStored), { numRuns: 60 });
  });
});
