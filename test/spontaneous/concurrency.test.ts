import { expect } from "chai";
import { EC, EC_KEY, startApp } from "../support/app.ts";
import { skipUnlessPostgres, testDatabase } from "../support/db.ts";
import { api } from "../support/rest.ts";
import { demandBody, loadCatalogue } from "./support.ts";
import { envelope, header, postSoap } from "../support/soap.ts";

const NS = "http://PuntoAccessoPSP.spcoop.gov.it/GeneralService";
const RACERS = 16;

describe("spontaneous payments: identical demands at once (PostgreSQL)", function () {
  before(function () {
    skipUnlessPostgres(this, "PGlite has one connection and runs transactions one after another: no race to test");
  });

  it("create one notice, answered to every demand, whichever door they come from", async () => {
    const t = await startApp({ DB_POOL_SIZE: "8" });
    await loadCatalogue(t);
    const data = Buffer.from(`<service xmlns="${NS}"><certificateType>residenza</certificateType></service>`).toString("base64");
    const soapDemand = envelope("paDemandPaymentNoticeRequest", { ...header(EC), idServizio: "CERT1", idSoggettoServizio: "00001", datiSpecificiServizioRequest: data });
    const [rest, soap] = await Promise.all([
      Promise.all(Array.from({ length: RACERS }, () => api(t, EC_KEY).post(`/v1/organizations/${EC}/spontaneouspayments`, demandBody()))),
      Promise.all(Array.from({ length: RACERS }, () => postSoap(t, soapDemand, "paDemandPaymentNotice"))),
    ]);
    const restNavs = new Set(rest.map((r) => (expect(r.status, r.text).to.equal(201), r.body.paymentOption[0].nav)));
    const soapNavs = new Set(soap.map((r) => (expect(r.body.outcome, r.text).to.equal("OK"), r.body.qrCode.noticeNumber)));
    expect(restNavs.size).to.equal(1);
    expect(soapNavs.size).to.equal(1);
    // two debtors (the REST one and SOAP's anonymous one): two notices, no more
    const [count] = await (await testDatabase()).query<{ n: number }>("SELECT count(*)::int AS n FROM payment_position WHERE spontaneous");
    expect(count!.n).to.equal(2);
  });
});
