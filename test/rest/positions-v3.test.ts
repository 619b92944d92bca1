/**
 * GPD v3 debt positions: create (with toPublish), list, get, update, delete, publish, invalidate, in
 * v3's JSON; validation errors; positions created in v1 read in v3 and the reverse.
 */
import { expect } from "chai";
import { EC, startApp, type TestApp } from "../support/app.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { CO_OBLIGOR, makePositionV3 } from "../support/factoriesV3.ts";
import { expectProblem, expectValid, rowCounts } from "./helpers.ts";
import { api, positionPath, positionsPath } from "../support/rest.ts";
import { expectOk, postSoap, receiptRequest } from "../support/soap.ts";

const V3 = "/v3";
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

describe("GPD v3 debt positions (/v3/organizations/{ec}/debtpositions)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("creates a position of a single payment and two plans, each option with its debtor, and answers v3's JSON", async () => {
    const input = makePositionV3([1, 3, 5]);
    input.paymentOption[2]!.debtor = CO_OBLIGOR;
    input.paymentOption[1]!.validityDate = "2026-01-01T00:00:00Z";
    input.paymentOption[1]!.retentionDate = "2100-01-31T00:00:00Z";
    input.paymentOption[1]!.switchToExpired = true;
    const res = await api(t).post(positionsPath(EC, V3), input);
    expect(res.status, res.text).to.equal(201);
    expectValid("position-response-v3", res.body);
    expect(res.body.status).to.equal("DRAFT");
    expect(res.body.paymentOption.map((o: Body) => o.installments.length)).to.deep.equal([1, 3, 5]);
    expect(res.body.paymentOption[2].debtor).to.deep.equal(CO_OBLIGOR);
    expect(res.body.paymentOption[1]).to.include({ switchToExpired: true, validityDate: "2026-01-01T00:00:00Z", retentionDate: "2100-01-31T00:00:00Z", description: "Piano 1 in 3 rate" });
    const installment = res.body.paymentOption[1].installments[0];
    expect(installment).to.include({ iuv: input.paymentOption[1]!.installments[0]!.iuv, amount: 10000, status: "UNPAID", description: "Rata 1 di 3" });
    expect(installment.transfer[0].iban).to.equal("IT60X0542811101000000123456");
    expect(await rowCounts()).to.deep.equal({ positions: 1, options: 9, transfers: 9 });
  });

  it("publishes at creation with toPublish, and with publish later; lists with v3's status filter", async () => {
    const published = await api(t).post(`${positionsPath(EC, V3)}?toPublish=true`, makePositionV3([1, 2]));
    expect(published.body.status).to.equal("VALID");
    const draft = makePositionV3([1]);
    await api(t).post(positionsPath(EC, V3), draft);
    const listed = await api(t).get(`${positionsPath(EC, V3)}?status=DRAFT`);
    expect(listed.status, listed.text).to.equal(200);
    expectValid("positions-page-v3", listed.body);
    expect(listed.body.payment_position_list.map((p: Body) => p.iupd)).to.deep.equal([draft.iupd]);
    const afterPublish = await api(t).post(`${positionPath(draft.iupd, EC, V3)}/publish`);
    expect(afterPublish.status, afterPublish.text).to.equal(200);
    expect(afterPublish.body.status).to.equal("VALID");
    expect((await api(t).get(`${positionsPath(EC, V3)}?status=VALID`)).body.page_info.items_found).to.equal(2);
  });

  it("reads an invalidated position as UNPAYABLE, finds it by that status, and its installments UNPAYABLE", async () => {
    const input = makePositionV3([1, 2]);
    await api(t).post(`${positionsPath(EC, V3)}?toPublish=true`, input);
    const res = await api(t).post(`${positionPath(input.iupd, EC, V3)}/invalidate`);
    expect(res.status, res.text).to.equal(200);
    expect(res.body.status).to.equal("UNPAYABLE");
    expect(res.body.paymentOption[1].installments.map((i: Body) => i.status)).to.deep.equal(["UNPAYABLE", "UNPAYABLE"]);
    expect((await api(t).get(`${positionsPath(EC, V3)}?status=UNPAYABLE`)).body.payment_position_list).to.have.length(1);
  });

  it("replaces a position (PUT) and deletes it", async () => {
    const input = makePositionV3([1]);
    await api(t).post(positionsPath(EC, V3), input);
    const replacement = makePositionV3([1, 4], { iupd: input.iupd, companyName: "Comune nuovo" });
    const put = await api(t).put(positionPath(input.iupd, EC, V3), replacement);
    expect(put.status, put.text).to.equal(200);
    expect(put.body.companyName).to.equal("Comune nuovo");
    expect(put.body.paymentOption[1].installments).to.have.length(4);
    const removed = await api(t).delete(positionPath(input.iupd, EC, V3));
    expect(removed.status).to.equal(200);
    expectProblem(await api(t).get(positionPath(input.iupd, EC, V3)), 404, undefined);
  });

  it("shows a plan paid in part: the paid installment PAID, the other options' installments UNPAYABLE, the position PARTIALLY_PAID", async () => {
    const input = makePositionV3([1, 2, 2]);
    const created = await api(t).post(`${positionsPath(EC, V3)}?toPublish=true`, input);
    const first = created.body.paymentOption[1].installments[0];
    expectOk(await postSoap(t, receiptRequest({ receiptId: "v3-receipt-1", nav: first.nav, iuv: first.iuv, amount: "100.00" })));
    const res = await api(t).get(positionPath(input.iupd, EC, V3));
    expect(res.body.status).to.equal("PARTIALLY_PAID");
    expect(res.body.paymentOption.map((o: Body) => o.installments.map((i: Body) => i.status))).to.deep.equal([["UNPAYABLE"], ["PAID", "UNPAID"], ["UNPAYABLE", "UNPAYABLE"]]);
  });

  describe("validation", () => {
    const cases: Array<[string, (b: Body) => void, number, string | undefined]> = [
      ["no payment option", (b) => (b.paymentOption = []), 400, "paymentOption"],
      ["an option without installments", (b) => (b.paymentOption[0].installments = []), 400, "paymentOption[0].installments"],
      ["an option without a debtor", (b) => delete b.paymentOption[0].debtor, 400, "paymentOption[0].debtor"],
      ["an option without switchToExpired", (b) => delete b.paymentOption[0].switchToExpired, 400, "paymentOption[0].switchToExpired"],
      ["a debtor of an unknown type", (b) => (b.paymentOption[0].debtor.type = "X"), 400, "paymentOption[0].debtor.type"],
      ["an installment whose transfers do not add up", (b) => (b.paymentOption[1].installments[1].amount = 1), 422, "paymentOption[1].installments[1].amount"],
      ["the same IUV in two options", (b) => (b.paymentOption[1].installments[0].iuv = b.paymentOption[0].installments[0].iuv), 422, "paymentOption[1].installments[0].iuv"],
      ["a retention date before an installment's due date", (b) => (b.paymentOption[1].retentionDate = "2099-01-01T00:00:00Z"), 422, "paymentOption[1].retentionDate"],
      ["a v1 field", (b) => (b.fiscalCode = "RSSMRA80A01H501U"), 400, "fiscalCode"],
    ];
    for (const [name, change, status, field] of cases) {
      it(`refuses ${name} (${status}) and stores nothing`, async () => {
        const body = structuredClone(makePositionV3([1, 2])) as Body;
        change(body);
        expectProblem(await api(t).post(positionsPath(EC, V3), body), status, field);
        expect((await rowCounts()).positions).to.equal(0);
      });
    }

    it("answers 409 for an IUPD or IUV that exists, naming the installment", async () => {
      const input = makePositionV3([1]);
      await api(t).post(positionsPath(EC, V3), input);
      expectProblem(await api(t).post(positionsPath(EC, V3), input), 409, "iupd");
      const clash = makePositionV3([1, 2]);
      clash.paymentOption[1]!.installments[1]!.iuv = input.paymentOption[0]!.installments[0]!.iuv;
      expectProblem(await api(t).post(positionsPath(EC, V3), clash), 409, "paymentOption[1].installments[1].iuv");
    });
  });

  describe("v1 and v3 read each other's positions", () => {
    it("reads a v1 plan in v3: the single payment an option of one installment, the installments one option", async () => {
      const input = makePlan(30000, 3);
      await api(t).post(positionsPath(), input);
      const res = await api(t).get(positionPath(input.iupd, EC, V3));
      expect(res.status, res.text).to.equal(200);
      expectValid("position-response-v3", res.body);
      expect(res.body.paymentOption.map((o: Body) => o.installments.map((i: Body) => i.iuv))).to.deep.equal([
        [input.paymentOption[0]!.iuv],
        input.paymentOption.slice(1).map((o) => o.iuv),
      ]);
      expect(res.body.paymentOption[0].debtor).to.deep.include({ type: "F", fiscalCode: input.fiscalCode, fullName: input.fullName, email: input.email });
    });

    it("reads a v3 position in v1: its installments, isPartialPayment for plans, the first option's debtor", async () => {
      const input = makePositionV3([1, 2]);
      input.paymentOption[0]!.debtor = CO_OBLIGOR;
      await api(t).post(positionsPath(EC, V3), input);
      const res = await api(t).get(positionPath(input.iupd));
      expect(res.status, res.text).to.equal(200);
      expectValid("position-response", res.body);
      expect(res.body.paymentOption.map((o: Body) => [o.iuv, o.isPartialPayment])).to.deep.equal([
        [input.paymentOption[0]!.installments[0]!.iuv, false],
        [input.paymentOption[1]!.installments[0]!.iuv, true],
        [input.paymentOption[1]!.installments[1]!.iuv, true],
      ]);
      expect(res.body.fiscalCode).to.equal(CO_OBLIGOR.fiscalCode);
    });

    it("round-trips a v1 position through v3 (GET v3, PUT v3, GET v1) unchanged", async () => {
      const input = makePosition({ validityDate: undefined });
      const created = await api(t).post(positionsPath(), input);
      const v3 = (await api(t).get(positionPath(input.iupd, EC, V3))).body;
      const body = {
        iupd: v3.iupd, companyName: v3.companyName, officeName: v3.officeName,
        paymentOption: v3.paymentOption.map((o: Body) => ({
          switchToExpired: o.switchToExpired, debtor: o.debtor,
          installments: o.installments.map((i: Body) => ({
            nav: i.nav, iuv: i.iuv, amount: i.amount, description: i.description, dueDate: i.dueDate, installmentMetadata: i.installmentMetadata,
            transfer: i.transfer.map((x: Body) => ({ idTransfer: x.idTransfer, amount: x.amount, organizationFiscalCode: x.organizationFiscalCode, remittanceInformation: x.remittanceInformation, category: x.category, iban: x.iban })),
          })),
        })),
      };
      expect((await api(t).put(positionPath(input.iupd, EC, V3), body)).status).to.equal(200);
      const v1 = (await api(t).get(positionPath(input.iupd))).body;
      const strip = (p: Body) => ({ ...p, lastUpdatedDate: undefined, paymentOption: p.paymentOption.map((o: Body) => ({ ...o, insertedDate: undefined, lastUpdatedDate: undefined, transfer: o.transfer.map((x: Body) => ({ ...x, insertedDate: undefined, lastUpdatedDate: undefined })) })) });
      expect(strip(v1)).to.deep.equal(strip(created.body));
    });
  });

  it("is served under /gpd/debt-positions-service/v3 too and asks for the API key", async () => {
    const input = makePositionV3([1]);
    expect((await api(t).post(positionsPath(EC, "/gpd/debt-positions-service/v3"), input)).status).to.equal(201);
    expect((await t.http.get(positionPath(input.iupd, EC, V3))).status).to.equal(401);
  });
});
