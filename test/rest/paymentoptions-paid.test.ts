import { expect } from "chai";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { faultCodeOf, postSoap, verifyRequest } from "../support/soap.ts";
import { expectProblem, expectValid, lockOption, payOption } from "./helpers.ts";
import { api, createPosition, positionPath } from "../support/rest.ts";

describe("POST /v1/organizations/{ec}/paymentoptions/paids/{nav} (mark a notice paid outside pagoPA)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  const paidPath = (id: string, ec = EC, prefix = "/v1") => `${prefix}/organizations/${ec}/paymentoptions/paids/${id}`;

  it("marks the option paid on the given date, answers it as GPD does, and the position is PAID", async () => {
    const input = makePosition();
    const created = await createPosition(t, input, { toPublish: true });
    const { nav } = created.paymentOption[0];
    const res = await api(t).post(paidPath(nav), { paymentDate: "2026-11-20T10:00:00" });
    expect(res.status, res.text).to.equal(200);
    expectValid("payment-option-response", res.body);
    expect(res.body).to.include({ nav, status: "PO_PAID", paymentDate: "2026-11-20T09:00:00Z", idReceipt: "CLOSED_AS_ALREADY_PAID_BY_EC", pspCompany: "CLOSED_AS_ALREADY_PAID_BY_EC" });
    const position = (await api(t).get(positionPath(input.iupd))).body;
    expect(position.status).to.equal("PAID");
    expect(position.paymentDate).to.equal("2026-11-20T09:00:00Z");
  });

  it("takes an IUV as well, an empty body or null fields, paid now", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const before = Date.now();
    const res = await api(t).post(paidPath(created.paymentOption[0].iuv), { paymentDate: null });
    expect(res.status, res.text).to.equal(200);
    expect(new Date(res.body.paymentDate).getTime()).to.be.within(before - 1000, Date.now() + 1000);
    const other = await createPosition(t, makePosition(), { toPublish: true });
    expect((await api(t).post(paidPath(other.paymentOption[0].nav), {})).status).to.equal(200);
  });

  it("makes the notice answer PAA_PAGAMENTO_DUPLICATO to the Node afterwards", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const { nav } = created.paymentOption[0];
    await api(t).post(paidPath(nav), {});
    expect(faultCodeOf(await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice"))).to.equal("PAA_PAGAMENTO_DUPLICATO");
  });

  it("pays one installment of a plan: the position is PARTIALLY_PAID, then PAID with the last", async () => {
    const input = makePlan(20000, 2);
    const created = await createPosition(t, input, { toPublish: true });
    await api(t).post(paidPath(created.paymentOption[1].nav), {});
    expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("PARTIALLY_PAID");
    expectProblem(await api(t).post(paidPath(created.paymentOption[0].nav), {}), 409, undefined);
    await api(t).post(paidPath(created.paymentOption[2].nav), {});
    expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("PAID");
  });

  it("answers 409 for an option already paid (by a receipt or by the EC), and changes nothing", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const option = created.paymentOption[0];
    await payOption(t, option, "rcpt-before-mark");
    const res = await api(t).post(paidPath(option.nav), {});
    expectProblem(res, 409, undefined);
    expect((await api(t).get(`/v1/organizations/${EC}/paymentoptions/${option.nav}`)).body.idReceipt).to.equal("rcpt-before-mark");
    const other = await createPosition(t, makePosition(), { toPublish: true });
    await api(t).post(paidPath(other.paymentOption[0].nav), {});
    expectProblem(await api(t).post(paidPath(other.paymentOption[0].nav), {}), 409, undefined);
  });

  it("answers 409 while a payment holds the option (paGetPayment lock)", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    await lockOption(t, created.paymentOption[0].nav);
    const res = await api(t).post(paidPath(created.paymentOption[0].nav), {});
    expectProblem(res, 409, undefined);
    expect(res.body.code).to.equal("locked");
  });

  it("answers 422 for a draft or an invalidated position", async () => {
    const draft = await createPosition(t, makePosition());
    expectProblem(await api(t).post(paidPath(draft.paymentOption[0].nav), {}), 422, undefined);
    const invalid = makePosition();
    const created = await createPosition(t, invalid, { toPublish: true });
    await api(t).post(`${positionPath(invalid.iupd)}/invalidate`);
    expectProblem(await api(t).post(paidPath(created.paymentOption[0].nav), {}), 422, undefined);
  });

  it("answers 404 for an unknown notice and another EC's notice, 400 for a malformed one or date", async () => {
    expectProblem(await api(t).post(paidPath("302000000001234559"), {}), 404, undefined);
    const other = await createPosition(t, makePosition(), { ec: OTHER_EC, toPublish: true });
    expectProblem(await api(t).post(paidPath(other.paymentOption[0].nav), {}), 404, undefined);
    expectProblem(await api(t).post(paidPath("12"), {}), 400, "nav");
    const created = await createPosition(t, makePosition(), { toPublish: true });
    expectProblem(await api(t).post(paidPath(created.paymentOption[0].nav), { paymentDate: "yesterday" }), 400, "paymentDate");
    expectProblem(await api(t).post(paidPath(created.paymentOption[0].nav), { paymentDate: "2026-02-30T10:00:00" }), 400, "paymentDate");
    expectProblem(await api(t, EC_KEY).post(paidPath(other.paymentOption[0].nav, OTHER_EC), {}), 403, undefined);
  });

  it("limits the change to segregationCodes: 403 outside them", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const { nav } = created.paymentOption[0];
    expectProblem(await api(t).post(`${paidPath(nav)}?segregationCodes=47`, {}), 403, undefined);
    expect((await api(t).post(`${paidPath(nav)}?segregationCodes=02`, {})).status).to.equal(200);
  });

  it("answers under the /gpd/debt-positions-service/v1 prefix too", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    expect((await api(t).post(paidPath(created.paymentOption[0].nav, EC, "/gpd/debt-positions-service/v1"), {})).status).to.equal(200);
  });
});
