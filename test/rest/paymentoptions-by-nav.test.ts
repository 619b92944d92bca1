import { expect } from "chai";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { expectProblem, expectValid, lockOption, payOption } from "./helpers.ts";
import { passValidityDate } from "../support/db.ts";
import { makePositionV3 } from "../support/factoriesV3.ts";
import { api, createPosition, positionsPath } from "../support/rest.ts";

describe("GET /v1/organizations/{ec}/paymentoptions/{nav} (a payment option by notice number or IUV)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  const optionPath = (nav: string, ec = EC, prefix = "/v1") => `${prefix}/organizations/${ec}/paymentoptions/${nav}`;

  it("answers the option with its position's IUPD, status (debtPositionStatus) and debtor, as GPD's PaymentOptionWithDebtorInfoModelResponse", async () => {
    const input = makePosition({ streetName: "Via Roma", phone: "+39061234567" });
    const created = await createPosition(t, input, { toPublish: true });
    const nav = created.paymentOption[0].nav;
    const res = await api(t).get(optionPath(nav));
    expect(res.status, res.text).to.equal(200);
    expect(res.headers["content-type"]).to.match(/^application\/json/);
    expectValid("payment-option-with-position-response", res.body);
    const { iupd, debtPositionStatus, type, fiscalCode, fullName, streetName, city, country, email, phone, companyName, officeName, payStandIn, ...option } = res.body;
    expect({ iupd, debtPositionStatus, type, fiscalCode, fullName, streetName, city, country, email, phone, companyName, officeName, payStandIn }).to.deep.equal({
      iupd: input.iupd, debtPositionStatus: "VALID", type: "F", fiscalCode: input.fiscalCode, fullName: input.fullName, streetName: "Via Roma", city: input.city,
      country: input.country, email: input.email, phone: "+39061234567", companyName: input.companyName, officeName: input.officeName, payStandIn: true,
    });
    expect(res.body).not.to.have.property("positionStatus");
    expect(option).to.deep.equal(created.paymentOption[0]);
  });

  it("finds the option by its IUV too, as GPD does", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const { iuv, nav } = created.paymentOption[0];
    const res = await api(t).get(optionPath(iuv));
    expect(res.status, res.text).to.equal(200);
    expect(res.body.nav).to.equal(nav);
    expect(res.body.debtPositionStatus).to.equal("VALID");
  });

  it("limits the lookup to segregationCodes: 403 outside them, 400 for a malformed list", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const { nav, iuv } = created.paymentOption[0];
    expect((await api(t).get(`${optionPath(nav)}?segregationCodes=47,${iuv.slice(0, 2)}`)).status).to.equal(200);
    expectProblem(await api(t).get(`${optionPath(nav)}?segregationCodes=47`), 403, undefined);
    expectProblem(await api(t).get(`${optionPath(iuv)}?segregationCodes=47,48`), 403, undefined);
    expectProblem(await api(t).get(`${optionPath(nav)}?segregationCodes=4`), 400, "segregationCodes");
  });

  it("finds an installment of a plan by its own notice number", async () => {
    const input = makePlan(30000, 3);
    const created = await createPosition(t, input);
    const res = await api(t).get(optionPath(created.paymentOption[2].nav));
    expect(res.status, res.text).to.equal(200);
    expect(res.body.isPartialPayment).to.equal(true);
    expect(res.body.amount).to.equal(10000);
    expect(res.body.debtPositionStatus).to.equal("DRAFT");
  });

  it("shows the lock of a payment in progress", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const nav = created.paymentOption[0].nav;
    expect((await api(t).get(optionPath(nav))).body.lockedUntil).to.equal(undefined);
    await lockOption(t, nav);
    const res = await api(t).get(optionPath(nav));
    expectValid("payment-option-with-position-response", res.body);
    expect(new Date(res.body.lockedUntil).getTime()).to.be.greaterThan(Date.now());
  });

  it("shows the payment once the receipt arrived", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const option = created.paymentOption[0];
    await payOption(t, option, "rcpt-by-nav", "2026-11-20T10:00:00Z");
    const res = await api(t).get(optionPath(option.nav));
    expect(res.status).to.equal(200);
    expectValid("payment-option-with-position-response", res.body);
    expect(res.body).to.include({ status: "PO_PAID", debtPositionStatus: "PAID", idReceipt: "rcpt-by-nav", paymentDate: "2026-11-20T10:00:00Z", pspCompany: "PSP di Esempio", paymentMethod: "creditCard" });
  });

  it("answers under the /gpd/debt-positions-service/v1 prefix too, with an EC key", async () => {
    const created = await createPosition(t, makePosition());
    const res = await api(t, EC_KEY).get(optionPath(created.paymentOption[0].nav, EC, "/gpd/debt-positions-service/v1"));
    expect(res.status, res.text).to.equal(200);
    expectValid("payment-option-with-position-response", res.body);
  });

  it("answers requests that arrive together each with its own option, and 404 for the unknown one among them", async () => {
    const created = await Promise.all([1, 2, 3].map(() => createPosition(t, makePosition(), { toPublish: true })));
    const navs = created.map((p) => p.paymentOption[0].nav as string);
    const asked = [...navs, "302999999999999999", ...[...navs].reverse()];
    const answers = await Promise.all(asked.map((nav) => api(t).get(optionPath(nav))));
    expect(answers.map((r) => r.status)).to.deep.equal([200, 200, 200, 404, 200, 200, 200]);
    expect(answers.map((r, i) => (r.status === 200 ? r.body.nav : asked[i]))).to.deep.equal(asked);
  });

  it("answers 404 before the validity date of the option, as GPD finds no valid installment then, and the option from that date", async () => {
    const input = makePositionV3([1, 2]);
    input.paymentOption[1]!.validityDate = "2098-01-01T00:00:00Z";
    const created = await api(t).post(`${positionsPath(EC, "/v3")}?toPublish=true`, input);
    expect(created.status, created.text).to.equal(201);
    const [[single], later] = created.body.paymentOption.map((o: { installments: Array<{ nav: string }> }) => o.installments);
    expect((await api(t).get(optionPath(single.nav))).status).to.equal(200);
    const res = await api(t).get(optionPath(later[0].nav));
    expectProblem(res, 404, undefined);
    expect(res.body.code).to.equal("optionNotFound");
    expect(res.body.detail).to.equal(`Payment option ${later[0].nav} of organization ${EC} is valid only from 2098-01-01T00:00:00Z`);
    await passValidityDate(EC, input.iupd);
    expect((await api(t).get(optionPath(later[0].nav))).status).to.equal(200);
  });

  it("answers 404 for a notice number the EC does not have", async () => {
    const res = await api(t).get(optionPath("302000000001234559"));
    expectProblem(res, 404, undefined);
    expect(res.body.code).to.equal("optionNotFound");
    expect(res.body.detail).to.include("302000000001234559");
  });

  it("answers 400 naming nav for something neither a notice number nor an IUV", async () => {
    expectProblem(await api(t).get(optionPath("123")), 400, "nav");
    expectProblem(await api(t).get(optionPath("3020000000012345590")), 400, "nav");
    expectProblem(await api(t).get(optionPath("30200000000123455X")), 400, "nav");
  });

  it("does not find another EC's option under this EC", async () => {
    const created = await createPosition(t, makePosition(), { ec: OTHER_EC });
    const nav = created.paymentOption[0].nav;
    expectProblem(await api(t).get(optionPath(nav, EC)), 404, undefined);
    expect((await api(t).get(optionPath(nav, OTHER_EC))).status).to.equal(200);
  });

  it("refuses an EC key on another EC with 403", async () => {
    const created = await createPosition(t, makePosition(), { ec: OTHER_EC });
    expectProblem(await api(t, EC_KEY).get(optionPath(created.paymentOption[0].nav, OTHER_EC)), 403, undefined);
  });
});
