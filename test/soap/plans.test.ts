/**
 * Plan exclusivity over SOAP, end to end: a v3 position of a single payment and plans A and B, paid
 * through paGetPaymentV2 and paSendRTV2 as the Node pays; the notices answer as the payment rules say
 * and paVerifyPaymentOptions shows the plan begun.
 */
import { expect } from "chai";
import { BROKER, EC, STATION, startApp, type TestApp } from "../support/app.ts";
import { makePositionV3 } from "../support/factoriesV3.ts";
import { testDatabase } from "../support/db.ts";
import { api, positionsPath } from "../support/rest.ts";
import { expectFault, expectOk, getPaymentRequest, postSoap, receiptRequest, verifyRequest } from "../support/soap.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

describe("payment plans over SOAP (v3 position: single payment, plan A of 2, plan B of 3)", () => {
  let t: TestApp;
  let single: Body;
  let a: Body[];
  let b: Body[];

  beforeEach(async () => {
    t = await startApp();
    const res = await api(t).post(`${positionsPath(EC, "/v3")}?toPublish=true`, makePositionV3([1, 2, 3], {}, 30000));
    expect(res.status, res.text).to.equal(201);
    [[single], a, b] = res.body.paymentOption.map((o: Body) => o.installments);
  });

  const pay = async (i: Body, receiptId: string) => {
    expectOk(await postSoap(t, getPaymentRequest(i.nav, { v2: true })));
    expectOk(await postSoap(t, receiptRequest({ v2: true, receiptId, nav: i.nav, iuv: i.iuv, amount: (i.amount / 100).toFixed(2) })));
  };

  it("offers every notice while nothing is paid", async () => {
    for (const i of [single, ...a, ...b]) expectOk(await postSoap(t, verifyRequest(i.nav)));
  });

  it("after installment 1 of plan A: the single payment and plan B are refused, installment 2 of plan A is payable, and payment options show plan A PO_PARTIALLY_PAID", async () => {
    await pay(a[0]!, "plan-a-1");
    expectFault(await postSoap(t, verifyRequest(single.nav)), "PAA_PAGAMENTO_DUPLICATO");
    expectFault(await postSoap(t, getPaymentRequest(single.nav, { v2: true })), "PAA_PAGAMENTO_DUPLICATO");
    for (const i of b) {
      expectFault(await postSoap(t, verifyRequest(i.nav)), "PAA_PAGAMENTO_DUPLICATO");
      expectFault(await postSoap(t, getPaymentRequest(i.nav, { v2: true })), "PAA_PAGAMENTO_DUPLICATO");
    }
    expectOk(await postSoap(t, verifyRequest(a[1]!.nav)));
    expectOk(await postSoap(t, getPaymentRequest(a[1]!.nav, { v2: true })));
    const options = await t.http.get(`/payment-options/organizations/${EC}/notices/${a[1]!.nav}?idPA=${EC}&idBrokerPA=${BROKER}&idStation=${STATION}`);
    expect(options.status, options.text).to.equal(200);
    expect(options.body.paymentOptions.map((o: Body) => o.status)).to.deep.equal(["PO_INVALID", "PO_PARTIALLY_PAID", "PO_INVALID"]);
  });

  it("while installment 1 of plan A is being paid, the single payment and plan B answer PAA_PAGAMENTO_IN_CORSO", async () => {
    expectOk(await postSoap(t, getPaymentRequest(a[0]!.nav, { v2: true })));
    expectFault(await postSoap(t, getPaymentRequest(single.nav, { v2: true })), "PAA_PAGAMENTO_IN_CORSO");
    expectFault(await postSoap(t, verifyRequest(b[2]!.nav)), "PAA_PAGAMENTO_IN_CORSO");
    expectOk(await postSoap(t, getPaymentRequest(a[1]!.nav, { v2: true })));
  });

  it("paying all of plan A pays the position; then every notice answers PAA_PAGAMENTO_DUPLICATO", async () => {
    await pay(a[0]!, "plan-a-1");
    await pay(a[1]!, "plan-a-2");
    const position = await api(t).get(`${positionsPath(EC, "/v3")}/${encodeURIComponent((await api(t).get(positionsPath(EC, "/v3"))).body.payment_position_list[0].iupd)}`);
    expect(position.body.status).to.equal("PAID");
    for (const i of [single, ...a, ...b]) expectFault(await postSoap(t, verifyRequest(i.nav)), "PAA_PAGAMENTO_DUPLICATO");
  });
});

describe("a plan valid only from a later date (v3: each payment option has its own validity date)", () => {
  let t: TestApp;
  let single: Body;
  let later: Body[];

  beforeEach(async () => {
    t = await startApp();
    const input = makePositionV3([1, 2], {}, 30000);
    input.paymentOption[1]!.validityDate = "2098-01-01T00:00:00Z";
    const res = await api(t).post(`${positionsPath(EC, "/v3")}?toPublish=true`, input);
    expect(res.status, res.text).to.equal(201);
    expect(res.body.status).to.equal("VALID");
    [[single], later] = res.body.paymentOption.map((o: Body) => o.installments);
  });

  it("answers PAA_PAGAMENTO_SCONOSCIUTO for its installments before that date, as GPD finds no valid installment, while the single payment is payable", async () => {
    expectOk(await postSoap(t, verifyRequest(single.nav)));
    for (const i of later) {
      expectFault(await postSoap(t, verifyRequest(i.nav)), "PAA_PAGAMENTO_SCONOSCIUTO");
      expectFault(await postSoap(t, getPaymentRequest(i.nav, { v2: true })), "PAA_PAGAMENTO_SCONOSCIUTO");
    }
    expectOk(await postSoap(t, getPaymentRequest(single.nav, { v2: true })));
  });

  it("still records a receipt for such an installment, flagged PAID_BEFORE_VALIDITY", async () => {
    const i = later[0]!;
    expectOk(await postSoap(t, receiptRequest({ v2: true, receiptId: "early-plan", nav: i.nav, iuv: i.iuv, amount: (i.amount / 100).toFixed(2) })));
    const [row] = await (await testDatabase()).query<{ flags: string[] }>("SELECT flags FROM receipt WHERE receipt_id = $1", ["early-plan"]);
    expect(row?.flags).to.deep.equal(["PAID_BEFORE_VALIDITY"]);
  });
});
