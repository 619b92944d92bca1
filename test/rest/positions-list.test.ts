import { expect } from "chai";
import type { PositionInput } from "../../src/domain/position.ts";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makeOption, makePosition } from "../support/factories.ts";
import { expectProblem, expectValid, payOption } from "./helpers.ts";
import { api, createPosition, positionPath, positionsPath } from "../support/rest.ts";

interface Page {
  payment_position_list: Array<{ iupd: string; status: string; companyName: string }>;
  page_info: { page: number; limit: number; items_found: number; total_pages: number };
}

describe("GET /v1/organizations/{ec}/debtpositions (list positions)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  /** Lists with a query string and returns the page (asserts 200 and the schema). */
  async function list(query = "", ec = EC, prefix = "/v1"): Promise<Page> {
    const res = await api(t).get(`${positionsPath(ec, prefix)}${query ? `?${query}` : ""}`);
    expect(res.status, res.text).to.equal(200);
    expectValid("positions-page", res.body);
    return res.body as Page;
  }
  const iupdsOf = (page: Page) => page.payment_position_list.map((p) => p.iupd);

  /** Creates positions one after the other (so their insertion order is known) and returns their IUPDs. */
  async function seed(inputs: PositionInput[], options: { toPublish?: boolean; ec?: string } = {}): Promise<string[]> {
    for (const input of inputs) await createPosition(t, input, options);
    return inputs.map((p) => p.iupd);
  }

  describe("paging", () => {
    it("answers an empty page with zero items found when the EC has no position", async () => {
      const page = await list();
      expect(page.payment_position_list).to.deep.equal([]);
      expect(page.page_info).to.deep.equal({ page: 0, limit: 10, items_found: 0, total_pages: 0 });
    });

    it("counts every matching position in items_found, not only the page's, and gives total_pages", async () => {
      const iupds = await seed(Array.from({ length: 5 }, () => makePosition()));
      await seed([makePosition(), makePosition()], { ec: OTHER_EC });
      const first = await list("limit=2&page=0");
      expect(first.page_info).to.deep.equal({ page: 0, limit: 2, items_found: 5, total_pages: 3 });
      expect(first.payment_position_list).to.have.length(2);
      const last = await list("limit=2&page=2");
      expect(last.page_info).to.deep.equal({ page: 2, limit: 2, items_found: 5, total_pages: 3 });
      expect(last.payment_position_list).to.have.length(1);
      const seen = [...iupdsOf(first), ...iupdsOf(await list("limit=2&page=1")), ...iupdsOf(last)];
      expect([...seen].sort()).to.deep.equal([...iupds].sort());
    });

    it("answers an empty list past the last page, still with the true total", async () => {
      await seed([makePosition(), makePosition(), makePosition()]);
      const page = await list("limit=2&page=5");
      expect(page.payment_position_list).to.deep.equal([]);
      expect(page.page_info).to.deep.equal({ page: 5, limit: 2, items_found: 3, total_pages: 2 });
    });

    it("lists newest first by default, with full positions valid against position-response", async () => {
      const iupds = await seed([makePosition(), makePosition(), makePosition()]);
      const page = await list();
      expect(iupdsOf(page)).to.deep.equal([...iupds].reverse());
      for (const position of page.payment_position_list) expectValid("position-response", position);
    });

    it("answers under the /gpd/debt-positions-service/v1 prefix too", async () => {
      const iupds = await seed([makePosition()]);
      expect(iupdsOf(await list("", EC, "/gpd/debt-positions-service/v1"))).to.deep.equal(iupds);
    });

    it("lists only the EC's own positions for an EC key", async () => {
      const [mine] = await seed([makePosition()]);
      await seed([makePosition()], { ec: OTHER_EC });
      const res = await api(t, EC_KEY).get(positionsPath(EC));
      expect(res.status).to.equal(200);
      expect(iupdsOf(res.body)).to.deep.equal([mine]);
      expectProblem(await api(t, EC_KEY).get(positionsPath(OTHER_EC)), 403, undefined);
    });
  });

  describe("ordering", () => {
    it("orders by IUPD ascending and descending", async () => {
      const stamp = Date.now();
      await seed([makePosition({ iupd: `B-${stamp}` }), makePosition({ iupd: `C-${stamp}` }), makePosition({ iupd: `A-${stamp}` })]);
      expect(iupdsOf(await list("orderby=IUPD&ordering=ASC"))).to.deep.equal([`A-${stamp}`, `B-${stamp}`, `C-${stamp}`]);
      expect(iupdsOf(await list("orderby=IUPD&ordering=DESC"))).to.deep.equal([`C-${stamp}`, `B-${stamp}`, `A-${stamp}`]);
    });

    it("orders by company name", async () => {
      await seed([makePosition({ companyName: "Beta" }), makePosition({ companyName: "Alfa" }), makePosition({ companyName: "Gamma" })]);
      expect((await list("orderby=COMPANY_NAME&ordering=ASC")).payment_position_list.map((p) => p.companyName)).to.deep.equal(["Alfa", "Beta", "Gamma"]);
    });

    it("orders by status", async () => {
      await seed([makePosition()], { toPublish: true });
      await seed([makePosition()]);
      expect((await list("orderby=STATUS&ordering=ASC")).payment_position_list.map((p) => p.status)).to.deep.equal(["DRAFT", "VALID"]);
      expect((await list("orderby=STATUS&ordering=DESC")).payment_position_list.map((p) => p.status)).to.deep.equal(["VALID", "DRAFT"]);
    });

    it("orders by the status readers see: a published position past its validity date sorts as VALID", async () => {
      await seed([makePosition({ validityDate: "2099-01-01T00:00:00Z", paymentOption: [makeOption({ dueDate: "2099-06-30T00:00:00Z" })] })], { toPublish: true });
      await seed([makePosition({ companyName: "Invalid one" })], { toPublish: true });
      const [invalid] = (await list("orderby=COMPANY_NAME&ordering=ASC")).payment_position_list.filter((p) => p.companyName === "Invalid one");
      expect((await api(t).post(`${positionPath(invalid!.iupd)}/invalidate`)).status).to.equal(200);
      expect((await list("orderby=STATUS&ordering=ASC")).payment_position_list.map((p) => p.status)).to.deep.equal(["INVALID", "PUBLISHED"]);
      await (await testDatabase()).query("UPDATE payment_position SET validity_date = now() - interval '1 day' WHERE status = 'PUBLISHED'");
      // stored PUBLISHED sorts after INVALID; seen as VALID it must sort after it as well, and read as VALID
      expect((await list("orderby=STATUS&ordering=DESC")).payment_position_list.map((p) => p.status)).to.deep.equal(["VALID", "INVALID"]);
    });

    it("orders by insertion date, oldest first with ordering=ASC", async () => {
      const iupds = await seed([makePosition(), makePosition(), makePosition()]);
      expect(iupdsOf(await list("orderby=INSERTED_DATE&ordering=ASC"))).to.deep.equal(iupds);
    });
  });

  describe("filters", () => {
    it("filters by status as readers see it (published ones VALID, expired ones EXPIRED)", async () => {
      const [draft] = await seed([makePosition()]);
      const [valid, published] = await seed([makePosition(), makePosition({ validityDate: "2098-01-01T00:00:00Z" })], { toPublish: true });
      const [expired] = await seed([makePosition({ switchToExpired: true, paymentOption: [makeOption({ dueDate: "2020-01-01T00:00:00Z" })] })], { toPublish: true });
      const [invalid] = await seed([makePosition()], { toPublish: true });
      expect((await api(t).post(`${positionPath(invalid!)}/invalidate`)).status).to.equal(200);
      expect(iupdsOf(await list("status=DRAFT"))).to.deep.equal([draft]);
      expect(iupdsOf(await list("status=VALID"))).to.deep.equal([valid]);
      expect(iupdsOf(await list("status=PUBLISHED"))).to.deep.equal([published]);
      expect(iupdsOf(await list("status=EXPIRED"))).to.deep.equal([expired]);
      expect(iupdsOf(await list("status=INVALID"))).to.deep.equal([invalid]);
      const paid = await list("status=PAID");
      expect(paid.payment_position_list).to.deep.equal([]);
      expect(paid.page_info.items_found).to.equal(0);
      expect((await list("status=VALID&limit=1")).page_info.items_found).to.equal(1);
    });

    it("filters by due date, both bounds inclusive Europe/Rome days", async () => {
      const due = (dueDate: string) => makePosition({ paymentOption: [makeOption({ dueDate })] });
      const [jan, febStart, febEnd, afterFeb] = await seed([
        due("2099-01-31T12:00:00Z"),
        due("2099-02-01T00:00:00+01:00"),
        // 23:30 in Rome on the 28th is still the 28th
        due("2099-02-28T23:30:00+01:00"),
        // 23:30 UTC on the 28th is already March 1st in Rome
        due("2099-02-28T23:30:00Z"),
      ]);
      expect(iupdsOf(await list("due_date_from=2099-02-01&due_date_to=2099-02-28&orderby=INSERTED_DATE&ordering=ASC"))).to.deep.equal([febStart, febEnd]);
      expect(iupdsOf(await list("due_date_from=2099-02-01&orderby=INSERTED_DATE&ordering=ASC"))).to.deep.equal([febStart, febEnd, afterFeb]);
      expect(iupdsOf(await list("due_date_to=2099-01-31"))).to.deep.equal([jan]);
      const counted = await list("due_date_from=2099-02-01&limit=1");
      expect(counted.page_info).to.include({ items_found: 3, total_pages: 3 });
    });

    it("matches a position by any of its options' due dates", async () => {
      const [plan] = await seed([
        makePosition({
          paymentOption: [
            makeOption({ amount: 200, dueDate: "2099-01-15T12:00:00Z" }),
            makeOption({ amount: 100, isPartialPayment: true, dueDate: "2099-01-15T12:00:00Z" }),
            makeOption({ amount: 100, isPartialPayment: true, dueDate: "2099-06-15T12:00:00Z" }),
          ],
        }),
      ]);
      expect(iupdsOf(await list("due_date_from=2099-06-01&due_date_to=2099-06-30"))).to.deep.equal([plan]);
      const page = await list("due_date_from=2099-01-01");
      expect(page.page_info.items_found, "a position counts once however many options match").to.equal(1);
    });

    it("filters by payment date, both bounds inclusive Europe/Rome days", async () => {
      const inputs = [makePosition(), makePosition(), makePosition(), makePosition()];
      const [march9, march10Late, march11Early, unpaid] = await seed(inputs, { toPublish: true });
      const payments: Array<[number, string]> = [
        [0, "2026-03-09T12:00:00"],
        [1, "2026-03-10T23:30:00"],
        [2, "2026-03-11T00:30:00"],
      ];
      for (const [i, when] of payments) {
        const option = inputs[i]!.paymentOption[0]!;
        await payOption(t, { nav: `3${option.iuv}`, iuv: option.iuv, amount: option.amount }, `rcpt-list-${i}`, when);
      }
      expect(iupdsOf(await list("payment_date_from=2026-03-10&payment_date_to=2026-03-10"))).to.deep.equal([march10Late]);
      expect(iupdsOf(await list("payment_date_from=2026-03-10&orderby=INSERTED_DATE&ordering=ASC"))).to.deep.equal([march10Late, march11Early]);
      expect(iupdsOf(await list("payment_date_to=2026-03-10&orderby=INSERTED_DATE&ordering=ASC"))).to.deep.equal([march9, march10Late]);
      expect(iupdsOf(await list("status=VALID"))).to.deep.equal([unpaid]);
      expect((await list("payment_date_from=2026-03-01&limit=2")).page_info).to.include({ items_found: 3, total_pages: 2 });
    });

    it("filters by payment instant with payment_date_time_from and payment_date_time_to (upper bound exclusive)", async () => {
      const inputs = [makePosition(), makePosition()];
      const [early, late] = await seed(inputs, { toPublish: true });
      const times = ["2026-03-10T09:00:00Z", "2026-03-10T15:00:00Z"];
      for (const [i, input] of inputs.entries()) {
        const option = input.paymentOption[0]!;
        await payOption(t, { nav: `3${option.iuv}`, iuv: option.iuv, amount: option.amount }, `rcpt-time-${i}`, times[i]);
      }
      expect(iupdsOf(await list("payment_date_time_from=2026-03-10T12:00:00Z"))).to.deep.equal([late]);
      expect(iupdsOf(await list("payment_date_time_to=2026-03-10T12:00:00%2B01:00"))).to.deep.equal([early]);
      expect(iupdsOf(await list("payment_date_time_from=2026-03-10T09:00:00Z&payment_date_time_to=2026-03-10T15:00:00Z"))).to.deep.equal([early]);
    });
  });

  describe("bad queries answer 400 naming the parameter", () => {
    const cases: Array<[string, string, string]> = [
      ["a due date filter combined with a payment date filter", "due_date_from=2099-01-01&payment_date_to=2026-12-31", "due_date_from"],
      ["a due date upper bound combined with a payment instant", "due_date_to=2099-01-01&payment_date_time_from=2026-01-01T00:00:00Z", "due_date_from"],
      ["a payment date and a payment instant as lower bounds", "payment_date_from=2026-01-01&payment_date_time_from=2026-01-01T00:00:00Z", "payment_date_time_from"],
      ["a payment date and a payment instant as upper bounds", "payment_date_to=2026-01-01&payment_date_time_to=2026-01-01T00:00:00Z", "payment_date_time_to"],
      ["a limit of zero", "limit=0", "limit"],
      ["a limit above 100", "limit=101", "limit"],
      ["a limit that is not a number", "limit=ten", "limit"],
      ["a negative page", "page=-1", "page"],
      ["a page beyond 100000", "page=100001", "page"],
      ["a page too large for any database", "page=1e30", "page"],
      ["a page given twice", "page=1&page=2", "page"],
      ["an unknown status", "status=PENDING", "status"],
      ["an unknown order", "orderby=AMOUNT", "orderby"],
      ["an unknown ordering", "ordering=UP", "ordering"],
      ["a due date that is not YYYY-MM-DD", "due_date_from=01/02/2099", "due_date_from"],
      ["a due date that does not exist", "due_date_to=2099-02-30", "due_date_to"],
      ["a payment date that does not exist", "payment_date_from=2026-13-01", "payment_date_from"],
      ["a payment instant that is not ISO-8601", "payment_date_time_from=yesterday", "payment_date_time_from"],
      ["a payment instant lower bound that does not exist", "payment_date_time_from=2026-02-30T00:00:00Z", "payment_date_time_from"],
      ["a payment instant upper bound that does not exist", "payment_date_time_to=2026-01-01T25:00:00Z", "payment_date_time_to"],
      ["an unknown parameter", "from=2026-01-01", "from"],
    ];
    for (const [what, query, field] of cases) {
      it(`refuses ${what} (field ${field})`, async () => {
        expectProblem(await api(t).get(`${positionsPath()}?${query}`), 400, field);
      });
    }
  });
});
