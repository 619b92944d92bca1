/**
 * Property-based: SOAP requests generated around the schema's edges (lengths at and past the
 * facets, odd amounts, special characters, missing and repeated elements, random corruption).
 * Every answer is a schema-valid paForNode answer or a SOAP Fault; nothing crashes; the payment
 * invariants hold afterwards.
 */
import { expect } from "chai";
import fc from "fast-check";
import { ADMIN_KEY, BROKER, EC, STATION, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { envelope, postSoap, type XmlTree } from "../support/soap.ts";
import { projectSchema, validateSoapBody } from "../support/xmlSchema.ts";
import { brokenInvariants, NO_BROKEN_INVARIANTS } from "../reliability/invariants.ts";

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
    const res = await t.http.post(`/v2/organizations/${EC}/debtpositions?toPublish=true`).set("Ocp-Apim-Subscription-Key", ADMIN_KEY).send({ paymentPositions: positions });
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
