import { expect } from "chai";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { postSoap, receiptRequest } from "../support/soap.ts";
import { expectProblem, expectValid, payOption } from "./helpers.ts";
import { api, createPosition, positionPath } from "../support/rest.ts";

describe("receipts (GET .../debtpositions/{iupd}/receipts and GET .../receipts/{receiptId})", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  const receiptsOf = (iupd: string, ec = EC, prefix = "/v1", key?: string) => api(t, key).get(`${positionPath(iupd, ec, prefix)}/receipts`);
  const receiptPath = (receiptId: string, ec = EC, prefix = "/v1") => `${prefix}/organizations/${ec}/receipts/${encodeURIComponent(receiptId)}`;

  describe("the receipts of a position", () => {
    it("lists the receipt that paid the position, valid against receipt-response, amounts in cents", async () => {
      const input = makePosition();
      const created = await createPosition(t, input, { toPublish: true });
      const option = created.paymentOption[0];
      await payOption(t, option, "rcpt-list-1", "2026-11-20T10:00:00");
      const res = await receiptsOf(input.iupd);
      expect(res.status, res.text).to.equal(200);
      expect(res.headers["content-type"]).to.match(/^application\/json/);
      expect(res.body).to.have.length(1);
      const [receipt] = res.body;
      expectValid("receipt-response", receipt);
      expect(receipt).to.include({
        organizationFiscalCode: EC,
        receiptId: "rcpt-list-1",
        noticeNumber: option.nav,
        noticeFiscalCode: EC,
        primitiveVersion: 2,
        paymentAmount: 10000,
        paymentDateTime: "2026-11-20T09:00:00Z",
      });
      expect(receipt.flags).to.deep.equal([]);
      expect(receipt.receivedAt).to.match(/Z$/);
      expect(receipt.receipt).to.be.an("object");
    });

    it("answers an empty list for a position nobody paid", async () => {
      const input = makePosition();
      await createPosition(t, input, { toPublish: true });
      const res = await receiptsOf(input.iupd);
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal([]);
    });

    it("lists the receipts of every installment, oldest first", async () => {
      const input = makePlan(30000, 2);
      const created = await createPosition(t, input, { toPublish: true });
      await payOption(t, created.paymentOption[2], "rcpt-inst-2");
      await payOption(t, created.paymentOption[1], "rcpt-inst-1");
      const res = await receiptsOf(input.iupd);
      expect(res.body.map((r: { receiptId: string }) => r.receiptId)).to.deep.equal(["rcpt-inst-2", "rcpt-inst-1"]);
      expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("PAID");
    });

    it("lists a second receipt for a paid notice too, flagged DOUBLE_PAYMENT", async () => {
      const input = makePosition();
      const created = await createPosition(t, input, { toPublish: true });
      await payOption(t, created.paymentOption[0], "rcpt-first");
      await payOption(t, created.paymentOption[0], "rcpt-second");
      const res = await receiptsOf(input.iupd);
      expect(res.body.map((r: { receiptId: string; flags: string[] }) => [r.receiptId, r.flags])).to.deep.equal([
        ["rcpt-first", []],
        ["rcpt-second", ["DOUBLE_PAYMENT"]],
      ]);
      for (const receipt of res.body) expectValid("receipt-response", receipt);
    });

    it("lists a V1 receipt (paSendRT) with primitiveVersion 1", async () => {
      const input = makePosition();
      const created = await createPosition(t, input, { toPublish: true });
      const option = created.paymentOption[0];
      const sent = await postSoap(t, receiptRequest({ receiptId: "rcpt-v1", nav: option.nav, iuv: option.iuv, amount: "100.00" }), "paSendRT");
      expect(sent.body.outcome, sent.text).to.equal("OK");
      const [receipt] = (await receiptsOf(input.iupd)).body;
      expectValid("receipt-response", receipt);
      expect(receipt.primitiveVersion).to.equal(1);
    });

    it("answers under the /gpd/debt-positions-service/v1 prefix too, with an EC key", async () => {
      const input = makePosition();
      const created = await createPosition(t, input, { toPublish: true });
      await payOption(t, created.paymentOption[0], "rcpt-gpd");
      const res = await receiptsOf(input.iupd, EC, "/gpd/debt-positions-service/v1", EC_KEY);
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.have.length(1);
    });

    it("answers 404 for a position the EC does not have", async () => {
      const res = await receiptsOf("NO-SUCH-IUPD");
      expectProblem(res, 404, undefined);
      expect(res.body.code).to.equal("positionNotFound");
    });

    it("refuses an EC key on another EC with 403", async () => {
      const input = makePosition();
      await createPosition(t, input, { ec: OTHER_EC });
      expectProblem(await receiptsOf(input.iupd, OTHER_EC, "/v1", EC_KEY), 403, undefined);
    });
  });

  describe("one receipt by its id", () => {
    it("answers the receipt, valid against receipt-response", async () => {
      const created = await createPosition(t, makePosition(), { toPublish: true });
      await payOption(t, created.paymentOption[0], "rcpt-get-1");
      const res = await api(t).get(receiptPath("rcpt-get-1"));
      expect(res.status, res.text).to.equal(200);
      expectValid("receipt-response", res.body);
      expect(res.body).to.include({ receiptId: "rcpt-get-1", noticeNumber: created.paymentOption[0].nav, paymentAmount: 10000 });
    });

    it("answers a receipt for a notice this EC does not know, flagged UNKNOWN_NOTICE", async () => {
      const sent = await postSoap(t, receiptRequest({ receiptId: "rcpt-unknown", nav: "302000000001234559", iuv: "02000000001234559", amount: "12.34", v2: true }), "paSendRTV2");
      expect(sent.body.outcome, sent.text).to.equal("OK");
      const res = await api(t).get(receiptPath("rcpt-unknown"));
      expect(res.status, res.text).to.equal(200);
      expectValid("receipt-response", res.body);
      expect(res.body.flags).to.include("UNKNOWN_NOTICE");
      expect(res.body.paymentAmount).to.equal(1234);
    });

    it("answers under the /gpd/debt-positions-service/v1 prefix too", async () => {
      const created = await createPosition(t, makePosition(), { toPublish: true });
      await payOption(t, created.paymentOption[0], "rcpt-get-gpd");
      expect((await api(t).get(receiptPath("rcpt-get-gpd", EC, "/gpd/debt-positions-service/v1"))).status).to.equal(200);
    });

    it("answers 404 for a receipt id the EC does not have", async () => {
      const res = await api(t).get(receiptPath("rcpt-none"));
      expectProblem(res, 404, undefined);
      expect(res.body.code).to.equal("receiptNotFound");
      expect(res.body.detail).to.include("rcpt-none");
    });

    it("does not show another EC's receipt under this EC", async () => {
      const created = await createPosition(t, makePosition(), { toPublish: true, ec: OTHER_EC });
      const option = created.paymentOption[0];
      const sent = await postSoap(t, receiptRequest({ receiptId: "rcpt-other", nav: option.nav, iuv: option.iuv, amount: "100.00", v2: true, fiscalCode: OTHER_EC }), "paSendRTV2");
      expect(sent.body.outcome, sent.text).to.equal("OK");
      expectProblem(await api(t).get(receiptPath("rcpt-other", EC)), 404, undefined);
      expect((await api(t).get(receiptPath("rcpt-other", OTHER_EC))).status).to.equal(200);
      expectProblem(await api(t, EC_KEY).get(receiptPath("rcpt-other", OTHER_EC)), 403, undefined);
    });
  });
});
