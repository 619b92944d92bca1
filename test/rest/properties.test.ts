/**
 * Property-based: debt positions generated around the schema's edges. Every answer is 201 or a
 * 4xx problem+json naming a field, never a 5xx, and the database holds exactly the positions that
 * were answered 201, each whole.
 */
import { expect } from "chai";
import fc from "fast-check";
import { ADMIN_KEY, EC, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makeOption, makePosition, makeTransfer, nextNotice } from "../support/factories.ts";
import { KEY_HEADER } from "../support/rest.ts";

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
          ? await t.http.post(`/v2/organizations/${EC}/debtpositions`).set(KEY_HEADER, ADMIN_KEY).send({ paymentPositions: [body] })
          : await t.http.post(`/v1/organizations/${EC}/debtpositions`).set(KEY_HEADER, ADMIN_KEY).send(body);
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

/** Any bytes, percent-encoded: invalid UTF-8, NUL, encoded lone surrogates, slashes, "%". */
const urlPart = fc.oneof(
  fc.uint8Array({ maxLength: 24 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")),
  fc.constantFrom("302000000001234559", "02000000001234559", "IUPD-1", "%ED%A0%80", "%00", "%", "%zz", "..", "x".repeat(300), "1e30", "-1"),
);

/** Strings with any UTF-16 unit, lone surrogates and NUL included. */
const anyText = fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 }).map((units) => String.fromCharCode(...units)));

/** Query strings built from the API's parameter names and hostile values. */
const queryString = fc
  .array(
    fc.tuple(
      fc.constantFrom("page", "limit", "pageNum", "pageSize", "toPublish", "segregationCodes", "status", "orderby", "ordering", "due_date_from", "payment_date_time_to", "flag", "noticeNumber", "receivedFrom", "paymentDateTo", "oldIban", "debtor", "service", "from", "to", "debtorOrIuv", "x"),
      urlPart,
    ),
    { maxLength: 4 },
  )
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}` : ""));

/** Bodies: JSON of any shape (null, nesting, huge numbers, any text) or text that is barely JSON. */
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.record({ iupd: anyText, paymentOption: fc.constantFrom(null, [], [null], [{ transfer: null }], "x") }).map((v) => JSON.stringify(v)),
  fc.record({ paymentPositions: fc.constantFrom(null, [null], [{}], "x"), paymentPositionIUPDs: fc.array(anyText, { maxLength: 3 }), newIban: anyText, paymentDate: anyText }).map((v) => JSON.stringify(v)),
  anyText.map((v) => JSON.stringify({ fullName: v, companyName: v })),
  fc.constantFrom("", '""', "null", "{", "[".repeat(5000) + "]".repeat(5000), `{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`, "1e999", '{"__proto__":{"x":1}}', "\ud800"),
);

describe("REST answers to any request (property-based)", function () {
  this.timeout(300_000);
  let t: TestApp;
  before(async () => {
    t = await startApp();
  });

  it("answers every operation, whatever its path parameters, query and body, with no 5xx and a problem for every 4xx", async () => {
    const operations = t.app.operations;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat(operations.length - 1), fc.array(urlPart, { minLength: 3, maxLength: 3 }), fc.constantFrom(EC, OTHER_EC), queryString, body, async (index, parts, ec, query, text) => {
        const operation = operations[index]!;
        let i = 0;
        const url = operation.path.replace("{organizationfiscalcode}", ec).replace(/\{\w+\}/g, () => parts[i++]!) + query;
        const res = await t.http[operation.method](url).set(KEY_HEADER, ADMIN_KEY).set("content-type", "application/json").send(text);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `${operation.method.toUpperCase()} ${url} ${text.slice(0, 200)}: ${res.text.slice(0, 300)}`).to.be.below(500);
        if (res.status >= 400) expect(res.headers["content-type"], res.text).to.match(/^application\/problem\+json/);
      }),
      { numRuns: 400 },
    );
    console.log(`      statuses: ${JSON.stringify([...statuses].sort())}`);
    // the generated requests reach past validation too, not only 400s
    expect([...statuses.keys()].some((s) => s !== 400), JSON.stringify([...statuses])).to.equal(true);
  });
});
