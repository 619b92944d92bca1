/**
 * The two lists of stored receipts: GET /v1/organizations/{ec}/receipts (every receipt, with flags)
 * and gpd-payments' GET /payments/{ec}/receipts (paid receipts, GPD's page shape), plus
 * gpd-payments' GET /payments/{ec}/receipts/{iuv} (the receipt as received). Both lists share one
 * store query; these tests pin each one's filters, paging and total.
 */
import { expect } from "chai";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makePosition, nextNotice } from "../support/factories.ts";
import { postSoap, receiptRequest, type XmlTree } from "../support/soap.ts";
import { expectProblem, expectValid, payOption } from "./helpers.ts";
import { api, createPosition } from "../support/rest.ts";

const listPath = (query = "", ec = EC) => `/v1/organizations/${ec}/receipts${query}`;
const paymentsPath = (query = "", ec = EC) => `/payments/${ec}/receipts${query}`;

/** Sends a receipt for a notice the station does not know (stored, flagged UNKNOWN_NOTICE). */
async function sendUnknown(t: TestApp, receiptId: string, options: { debtor?: string; paymentDateTime?: string; outcome?: "KO"; ec?: string } = {}) {
  const { nav, iuv } = nextNotice();
  const extra: XmlTree = {};
  if (options.debtor) extra.debtor = { uniqueIdentifier: { entityUniqueIdentifierType: "F", entityUniqueIdentifierValue: options.debtor }, fullName: "Anna Bianchi" };
  if (options.paymentDateTime) extra.paymentDateTime = options.paymentDateTime;
  if (options.outcome) extra.outcome = options.outcome;
  const res = await postSoap(t, receiptRequest({ receiptId, nav, iuv, amount: "12.34", v2: true, fiscalCode: options.ec, extra }), "paSendRTV2");
  expect(res.body.outcome, res.text).to.equal("OK");
  return { nav, iuv };
}

async function setReceivedAt(receiptId: string, at: string): Promise<void> {
  const db = await testDatabase();
  await db.query("UPDATE receipt SET received_at = $2 WHERE receipt_id = $1", [receiptId, at]);
}

describe("receipt lists", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  describe("GET /v1/organizations/{ec}/receipts", () => {
    it("lists every receipt, linked to a notice or not, most recently received first, valid against receipts-page", async () => {
      const created = await createPosition(t, makePosition(), { toPublish: true });
      await payOption(t, created.paymentOption[0], "rcpt-linked");
      await sendUnknown(t, "rcpt-unlinked");
      const res = await api(t).get(listPath());
      expect(res.status, res.text).to.equal(200);
      expectValid("receipts-page", res.body);
      expect(res.body.receipt_list.map((r: { receiptId: string }) => r.receiptId)).to.deep.equal(["rcpt-unlinked", "rcpt-linked"]);
      expect(res.body.receipt_list[0].flags).to.include("UNKNOWN_NOTICE");
      expect(res.body.page_info).to.deep.equal({ page: 0, limit: 20, items_found: 2, total_pages: 1 });
      expect(res.body.receipt_list[1]).to.deep.equal((await api(t).get(`/v1/organizations/${EC}/receipts/rcpt-linked`)).body);
    });

    it("pages with a true total", async () => {
      for (let i = 0; i < 5; i++) {
        await sendUnknown(t, `rcpt-page-${i}`);
        await setReceivedAt(`rcpt-page-${i}`, `2026-11-0${i + 1}T10:00:00Z`);
      }
      const first = (await api(t).get(listPath("?limit=2"))).body;
      expect(first.page_info).to.deep.equal({ page: 0, limit: 2, items_found: 5, total_pages: 3 });
      expect(first.receipt_list.map((r: { receiptId: string }) => r.receiptId)).to.deep.equal(["rcpt-page-4", "rcpt-page-3"]);
      const last = (await api(t).get(listPath("?limit=2&page=2"))).body;
      expect(last.receipt_list.map((r: { receiptId: string }) => r.receiptId)).to.deep.equal(["rcpt-page-0"]);
      expect(last.page_info.items_found).to.equal(5);
      expect((await api(t).get(listPath("?limit=2&page=9"))).body.receipt_list).to.deep.equal([]);
    });

    it("filters by flag, notice number, received and payment dates (a date alone spans its day)", async () => {
      const created = await createPosition(t, makePosition(), { toPublish: true });
      await payOption(t, created.paymentOption[0], "rcpt-a", "2026-11-20T10:00:00");
      await payOption(t, created.paymentOption[0], "rcpt-b", "2026-11-22T23:30:00");
      const { nav } = await sendUnknown(t, "rcpt-c", { paymentDateTime: "2026-11-25T10:00:00" });
      await setReceivedAt("rcpt-a", "2026-11-20T10:00:00Z");
      await setReceivedAt("rcpt-b", "2026-11-23T10:00:00Z");
      await setReceivedAt("rcpt-c", "2026-11-25T10:00:00Z");
      const ids = async (query: string) => (await api(t).get(listPath(query))).body.receipt_list.map((r: { receiptId: string }) => r.receiptId);
      expect(await ids("?flag=DOUBLE_PAYMENT")).to.deep.equal(["rcpt-b"]);
      expect(await ids("?flag=UNKNOWN_NOTICE")).to.deep.equal(["rcpt-c"]);
      expect(await ids(`?noticeNumber=${nav}`)).to.deep.equal(["rcpt-c"]);
      expect(await ids(`?noticeNumber=${created.paymentOption[0].nav}`)).to.deep.equal(["rcpt-b", "rcpt-a"]);
      expect(await ids("?receivedFrom=2026-11-21&receivedTo=2026-11-24")).to.deep.equal(["rcpt-b"]);
      expect(await ids("?receivedTo=2026-11-20")).to.deep.equal(["rcpt-a"]);
      expect(await ids("?receivedFrom=2026-11-23T11:00:00Z")).to.deep.equal(["rcpt-c"]);
      // 23:30 in Rome on the 22nd is still the 22nd
      expect(await ids("?paymentDateFrom=2026-11-22&paymentDateTo=2026-11-22")).to.deep.equal(["rcpt-b"]);
      expect(await ids("?paymentDateFrom=2026-11-21")).to.deep.equal(["rcpt-c", "rcpt-b"]);
    });

    it("shows only the EC's own receipts", async () => {
      await sendUnknown(t, "rcpt-other", { ec: OTHER_EC });
      expect((await api(t).get(listPath())).body.page_info.items_found).to.equal(0);
      expect((await api(t).get(listPath("", OTHER_EC))).body.page_info.items_found).to.equal(1);
      expectProblem(await api(t, EC_KEY).get(listPath("", OTHER_EC)), 403, undefined);
    });

    for (const [query, field] of [
      ["?limit=0", "limit"], ["?limit=101", "limit"], ["?page=-1", "page"], ["?page=100001", "page"], ["?page=1e30", "page"],
      ["?noticeNumber=12", "noticeNumber"], ["?receivedFrom=yesterday", "receivedFrom"], ["?paymentDateTo=2026-02-30", "paymentDateTo"],
      ["?flag=double", "flag"], ["?unknown=1", "unknown"],
    ] as const) {
      it(`refuses ${query} with 400 naming ${field}`, async () => {
        expectProblem(await api(t).get(listPath(query)), 400, field);
      });
    }
  });

  describe("gpd-payments: GET /payments/{ec}/receipts", () => {
    it("lists paid receipts in gpd-payments' page shape, without KO outcomes", async () => {
      const created = await createPosition(t, makePosition(), { toPublish: true });
      await payOption(t, created.paymentOption[0], "rcpt-paid", "2026-11-20T10:00:00");
      await sendUnknown(t, "rcpt-ko", { outcome: "KO" });
      const res = await api(t).get(paymentsPath("?pageNum=0&pageSize=20"));
      expect(res.status, res.text).to.equal(200);
      expectValid("payments-receipts-page", res.body);
      expect(res.body).to.deep.equal({
        currentPageNumber: 0,
        length: 1,
        totalPages: 1,
        results: [{ organizationFiscalCode: EC, iuv: created.paymentOption[0].iuv, debtor: "RSSMRA80A01H501U", paymentDateTime: "2026-11-20T09:00:00Z", status: "PAID" }],
      });
    });

    it("filters by debtor, service (IUV prefix), debtorOrIuv, segregationCodes and payment dates", async () => {
      const a = await sendUnknown(t, "rcpt-a", { debtor: "BNCNNA80A41H501X", paymentDateTime: "2026-11-20T10:00:00" });
      const b = await sendUnknown(t, "rcpt-b", { paymentDateTime: "2026-11-25T10:00:00" });
      const iuvs = async (query: string) => (await api(t).get(paymentsPath(query))).body.results.map((r: { iuv: string }) => r.iuv).sort();
      expect(await iuvs("?debtor=BNCNNA80A41H501X")).to.deep.equal([a.iuv]);
      expect(await iuvs(`?service=${b.iuv.slice(0, 12)}`)).to.deep.equal([b.iuv]);
      expect(await iuvs(`?debtorOrIuv=${a.iuv.slice(0, 14)}`)).to.deep.equal([a.iuv]);
      expect(await iuvs("?debtorOrIuv=BNC")).to.deep.equal([a.iuv]);
      expect(await iuvs("?segregationCodes=02")).to.deep.equal([a.iuv, b.iuv].sort());
      expect(await iuvs("?segregationCodes=47")).to.deep.equal([]);
      expect(await iuvs("?from=2026-11-21")).to.deep.equal([b.iuv]);
      expect(await iuvs("?to=2026-11-20")).to.deep.equal([a.iuv]);
      expect(await iuvs("?from=2026-11-20T00:00:00&to=2026-11-30T00:00:00")).to.deep.equal([a.iuv, b.iuv].sort());
    });

    it("pages with pageNum and pageSize and a true totalPages", async () => {
      for (let i = 0; i < 3; i++) await sendUnknown(t, `rcpt-p-${i}`);
      const page = (await api(t).get(paymentsPath("?pageNum=1&pageSize=2"))).body;
      expect(page).to.include({ currentPageNumber: 1, length: 1, totalPages: 2 });
      expectProblem(await api(t).get(paymentsPath("?pageSize=101")), 400, "pageSize");
      expectProblem(await api(t).get(paymentsPath("?pageNum=-1")), 400, "pageNum");
    });

    it("asks for a key that reaches the EC", async () => {
      expectProblem(await t.http.get(paymentsPath()), 401, undefined);
      expectProblem(await api(t, EC_KEY).get(paymentsPath("", OTHER_EC)), 403, undefined);
    });
  });

  describe("gpd-payments: GET /payments/{ec}/receipts/{iuv}", () => {
    it("answers the receipt as the Node sent it, as XML", async () => {
      const created = await createPosition(t, makePosition(), { toPublish: true });
      const option = created.paymentOption[0];
      await payOption(t, option, "rcpt-doc");
      const res = await api(t).get(`${paymentsPath()}/${option.iuv}`);
      expect(res.status, res.text).to.equal(200);
      expect(res.headers["content-type"]).to.match(/^application\/xml/);
      expect(res.text).to.include("<receiptId>rcpt-doc</receiptId>");
      expect(res.text).to.include(option.iuv);
      expect((await api(t).get(`${paymentsPath()}/${option.iuv}?segregationCodes=02`)).status).to.equal(200);
    });

    it("answers 404 for an IUV without a paid receipt, 403 outside the segregation codes", async () => {
      const { iuv } = await sendUnknown(t, "rcpt-ko-doc", { outcome: "KO" });
      expectProblem(await api(t).get(`${paymentsPath()}/${iuv}`), 404, undefined);
      expectProblem(await api(t).get(`${paymentsPath()}/02000000001234559`), 404, undefined);
      expectProblem(await api(t).get(`${paymentsPath()}/02000000001234559?segregationCodes=47`), 403, undefined);
    });
  });
});
