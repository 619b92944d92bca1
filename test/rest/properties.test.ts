/**
 * Property-based: debt positions generated around the schema's edges. Every answer is 201 or a
 * 4xx problem+json naming a field, never a 5xx, and the database holds exactly the positions that
 * were answered 201, each whole.
 */
import { expect } from "chai";
import fc from "fast-check";
import { ADMIN_KEY, EC, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makeOption, makePosition, makeTransfer, nextNotice } from "../support/factories.ts";

const text = (max: number) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant("ok") }, fc.constant(""), fc.constant("x".repeat(max)), fc.constant("x".repeat(max + 1)), fc.string({ maxLength: max + 3 }), fc.constant(42));
const cents = fc.oneof({ weight: 3, arbitrary: fc.constant(10000) }, fc.constantFrom(0, -1, 1, 99_999_999_999, 100_000_000_000, 1.5, "100"));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });

function positions() {
  const transfer = fc.record({
    idTransfer: fc.constantFrom("1", "2", "6", 1),
    amount: cents,
    iban: maybe(fc.constantFrom("IT60X0542811101000000123456", "IT 60", "")),
    postalIban: maybe(fc.constantFrom("IT60X0760111101000000123456", "")),
    stamp: maybe(fc.constantFrom({ hashDocument: "wHpFSLCGZjIvNSXxqtGbxg7275t446DRTk5ZrsdUQ6E=", stampType: "01", provincialResidence: "RM" }, { hashDocument: "x", stampType: "02", provincialResidence: "rm" })),
    remittanceInformation: text(140),
    transferMetadata: maybe(fc.array(fc.record({ key: fc.constantFrom("a", "b"), value: text(140) }), { maxLength: 11 })),
  }, { requiredKeys: [] });
  const option = fc.record({
    amount: cents,
    description: text(140),
    isPartialPayment: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, fc.constant(true)),
    dueDate: fc.constantFrom("2099-12-31T23:59:59+01:00", "2099-12-31", "2099-02-30T00:00:00Z", "tomorrow", "2000-01-01T00:00:00Z"),
    nav: maybe(fc.constantFrom("300000000000000000", "12", "")),
    transfer: fc.array(transfer, { minLength: 0, maxLength: 6 }),
  }, { requiredKeys: [] });
  const position = fc.record({
    type: fc.constantFrom("F", "G", "X"),
    fullName: text(70),
    fiscalCode: fc.constantFrom("RSSMRA80A01H501U", "A", "x".repeat(17)),
    email: maybe(fc.constantFrom("a@b.it", "no at sign")),
    country: maybe(fc.constantFrom("IT", "ita")),
    validityDate: maybe(fc.constantFrom("2099-01-01T00:00:00Z", "2100-01-01T00:00:00Z", "not a date")),
    paymentOption: fc.array(option, { minLength: 0, maxLength: 4 }),
    unknownProperty: maybe(fc.constant(true)),
  }, { requiredKeys: [] });
  // a share of untouched (valid) positions keeps the count of accepted ones meaningful
  return fc.oneof({ weight: 1, arbitrary: fc.constant({}) }, { weight: 4, arbitrary: position });
}

describe("REST answers to generated positions (property-based)", function () {
  this.timeout(300_000);
  let t: TestApp;
  before(async () => {
    t = await startApp();
  });

  it("answers 201 or a 4xx problem naming a field, and stores exactly the positions it accepted, whole", async () => {
    let created = 0;
    const statuses = new Map<string, number>();
    let options = 0;
    let transfers = 0;
    await fc.assert(
      fc.asyncProperty(positions(), fc.boolean(), async (generated, bulk) => {
        // fresh identifiers for each run, generated values on top
        const base = makePosition();
        const body = {
          ...base,
          ...generated,
          paymentOption: (("paymentOption" in generated ? generated.paymentOption : undefined) ?? base.paymentOption).map((o) => ({
            ...makeOption(),
            ...o,
            iuv: nextNotice().iuv,
            transfer: (o.transfer ?? [makeTransfer()]).map((tr) => ({ ...makeTransfer(), ...tr })),
          })),
        };
        const res = bulk
          ? await t.http.post(`/v2/organizations/${EC}/debtpositions`).set("Ocp-Apim-Subscription-Key", ADMIN_KEY).send({ paymentPositions: [body] })
          : await t.http.post(`/v1/organizations/${EC}/debtpositions`).set("Ocp-Apim-Subscription-Key", ADMIN_KEY).send(body);
        expect(res.status, JSON.stringify(res.body)).to.be.oneOf([201, 400, 409, 422]);
        if (res.status === 201) {
          created += 1;
          options += body.paymentOption.length;
          transfers += body.paymentOption.reduce((n, o) => n + o.transfer.length, 0);
        } else {
          statuses.set(`${res.status} ${res.body.field}`, (statuses.get(`${res.status} ${res.body.field}`) ?? 0) + 1);
          expect(res.headers["content-type"]).to.match(/^application\/problem\+json/);
          expect(res.body.field, JSON.stringify(res.body)).to.be.a("string");
          expect(res.body.detail).to.be.a("string");
        }
      }),
      { numRuns: 300 },
    );
    const db = await testDatabase();
    const [counts] = await db.query<{ p: number; o: number; t: number }>(
      "SELECT (SELECT count(*) FROM payment_position) AS p, (SELECT count(*) FROM payment_option) AS o, (SELECT count(*) FROM transfer) AS t",
    );
    expect(counts).to.deep.equal({ p: created, o: options, t: transfers });
    expect(created, `some generated positions are valid: ${JSON.stringify([...statuses])}`).to.be.greaterThan(0);
  });
});
