import { expect } from "chai";
import { ADMIN_KEY, EC, EC_KEY, startApp, type TestApp } from "../support/app.ts";
import { makePosition } from "../support/factories.ts";
import { postSoap, receiptRequest, verifyRequest } from "../support/soap.ts";
import { createPosition, KEY_HEADER as KEY } from "../support/rest.ts";


/** The sample lines of one metric, `name{labels} value`. */
const samples = (text: string, name: string) => text.split("\n").filter((line) => line.startsWith(name));

describe("metrics", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("has per-operation SOAP latency histograms labelled by operation, outcome and fault code", async () => {
    const nav = (await createPosition(t, makePosition(), { toPublish: true })).paymentOption[0].nav;
    await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice");
    await postSoap(t, verifyRequest("302000000000000000"), "paVerifyPaymentNotice");
    const text = (await t.http.get("/metrics").set(KEY, ADMIN_KEY)).text;
    expect(samples(text, "stazione_soap_request_duration_seconds_count")).to.include.members([
      'stazione_soap_request_duration_seconds_count{operation="paVerifyPaymentNotice",outcome="OK",fault_code="none"} 1',
      'stazione_soap_request_duration_seconds_count{operation="paVerifyPaymentNotice",outcome="KO",fault_code="PAA_PAGAMENTO_SCONOSCIUTO"} 1',
    ]);
    expect(text).to.contain('stazione_soap_request_duration_seconds_bucket{le="7",operation="paVerifyPaymentNotice",outcome="OK",fault_code="none"} 1');
  });

  it("counts the outbox events waiting for delivery", async () => {
    const option = (await createPosition(t, makePosition(), { toPublish: true })).paymentOption[0];
    await postSoap(t, receiptRequest({ receiptId: "r-metrics-1", nav: option.nav, iuv: option.iuv, amount: "100.00", v2: true }), "paSendRTV2");
    const text = (await t.http.get("/metrics").set(KEY, ADMIN_KEY)).text;
    expect(text).to.match(/^stazione_outbox_pending_events [1-9]\d*$/m);
  });

  it("has REST histograms by route template, and the Node-guard refusal counts", async () => {
    await t.http.get(`/v1/organizations/${EC}/debtpositions/NOPE`).set(KEY, EC_KEY);
    const text = (await t.http.get("/metrics").set("authorization", `Bearer ${ADMIN_KEY}`)).text;
    expect(text).to.contain('stazione_http_request_duration_seconds_count{method="GET",route="/v1/organizations/:organizationfiscalcode/debtpositions/:iupd",status="404"} 1');
    expect(text).to.contain('stazione_node_refusals_total{reason="no_client_certificate"} 0');
    expect(text).to.contain("# TYPE stazione_db_pool_connections gauge");
    expect(text).to.contain("stazione_outbox_pending_events 0");
  });

  it("answers only the admin key", async () => {
    expect((await t.http.get("/metrics")).status).to.equal(401);
    expect((await t.http.get("/metrics").set(KEY, EC_KEY)).status).to.equal(403);
  });
});
