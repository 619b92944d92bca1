import { expect } from "chai";
import { ADMIN_KEY, EC, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { envelope, expectFault, expectOk, faultCodeOf, getPaymentRequest, header, postSoap, receiptRequest, verifyRequest } from "../support/soap.ts";
import { testDatabase } from "../support/db.ts";
import { api } from "../support/rest.ts";
import { certificateService, enrolment, loadCatalogue, SERVICE_ID } from "./support.ts";

const NS = "http://PuntoAccessoPSP.spcoop.gov.it/GeneralService";
const serviceData = (xml: string) => Buffer.from(xml).toString("base64");
const residenza = serviceData(`<?xml version="1.0" encoding="UTF-8"?><service xmlns="${NS}"><certificateType>residenza</certificateType><copies>2</copies></service>`);

const demand = (data = residenza, ec = EC, idServizio = SERVICE_ID) =>
  envelope("paDemandPaymentNoticeRequest", { ...header(ec), idServizio, idSoggettoServizio: "00001", datiSpecificiServizioRequest: data });

describe("spontaneous payments: paDemandPaymentNotice", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
    await loadCatalogue(t);
  });

  it("demand -> verify -> activate -> receipt: the spontaneous notice is paid like any other", async () => {
    const demanded = await postSoap(t, demand(), "paDemandPaymentNotice");
    expectOk(demanded, "paDemandPaymentNoticeResponse");
    const { qrCode } = demanded.body;
    expect(qrCode.fiscalCode).to.equal(EC);
    expect(qrCode.noticeNumber).to.match(/^347\d{15}$/);
    expect(demanded.body.paymentList.paymentOptionDescription.amount).to.equal("0.52");
    expect(demanded.body).to.include({ paymentDescription: "Certificato anagrafico", fiscalCodePA: EC, companyName: "Comune di Prova" });

    const nav = qrCode.noticeNumber as string;
    const iuv = nav.slice(1);
    expectOk(await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice"));
    const activation = await postSoap(t, getPaymentRequest(nav, { v2: true }), "paGetPaymentV2");
    expectOk(activation);
    expect(activation.body.data.creditorReferenceId).to.equal(iuv);
    expectOk(await postSoap(t, receiptRequest({ receiptId: "spont-rcpt-1", nav, iuv, amount: "0.52", v2: true }), "paSendRTV2"));

    const [row] = await (await testDatabase()).query<{ status: string; spontaneous: boolean }>("SELECT status, spontaneous FROM payment_position WHERE organization_fiscal_code = $1", [EC]);
    expect(row).to.deep.equal({ status: "PAID", spontaneous: true });
    // paid: the same demand is a new debt now
    const after = await postSoap(t, demand(), "paDemandPaymentNotice");
    expectOk(after);
    expect(after.body.qrCode.noticeNumber).not.to.equal(nav);
  });

  it("answers the same notice to the same demand", async () => {
    const first = await postSoap(t, demand(), "paDemandPaymentNotice");
    const again = await postSoap(t, demand(serviceData(`<s:service xmlns:s="${NS}"><s:copies> 2 </s:copies><s:certificateType>residenza</s:certificateType></s:service>`)), "paDemandPaymentNotice");
    expectOk(again);
    expect(again.body.qrCode.noticeNumber).to.equal(first.body.qrCode.noticeNumber);
  });

  it("answers PAA_SEMANTICA naming the cause: unknown or disabled service, EC not enrolled", async () => {
    expect(expectFault(await postSoap(t, demand(residenza, EC, "NOONE"), "paDemandPaymentNotice"), "PAA_SEMANTICA").description).to.include("NOONE");
    expect(expectFault(await postSoap(t, demand(residenza, OTHER_EC), "paDemandPaymentNotice"), "PAA_SEMANTICA").description).to.include("not enrolled");
    await api(t, ADMIN_KEY).put(`/v1/services/${SERVICE_ID}`, { ...certificateService({ status: "DISABLED" }), id: undefined });
    expect(expectFault(await postSoap(t, demand(), "paDemandPaymentNotice"), "PAA_SEMANTICA").description).to.include("disabled");
  });

  it("answers PAA_SEMANTICA naming a missing, unknown or non-numeric property", async () => {
    const cases: Array<[string, string]> = [
      [`<service xmlns="${NS}"><copies>1</copies></service>`, "certificateType"],
      [`<service xmlns="${NS}"><certificateType>residenza</certificateType><colour>red</colour></service>`, "datiSpecificiServizioRequest/colour"],
      [`<service xmlns="${NS}"><certificateType>residenza</certificateType><copies>two</copies></service>`, "datiSpecificiServizioRequest/copies"],
    ];
    for (const [xml, words] of cases) expect(expectFault(await postSoap(t, demand(serviceData(xml)), "paDemandPaymentNotice"), "PAA_SEMANTICA").description).to.include(words);
  });

  it("answers PAA_SINTASSI_XSD to hostile or malformed service data, creating nothing", async () => {
    const hostile = [
      `<!DOCTYPE service [<!ENTITY x "${"a".repeat(100)}">]><service xmlns="${NS}"><certificateType>&x;</certificateType></service>`,
      `<service xmlns="${NS}"><certificateType>residenza</certificateType>`,
      `<service><certificateType>residenza</certificateType></service>`,
      `<other xmlns="${NS}"><certificateType>residenza</certificateType></other>`,
      `<service xmlns="${NS}"/>`,
      `<service xmlns="${NS}"><certificateType><nested>x</nested></certificateType></service>`,
      `<service xmlns="${NS}">${"<p>1</p>".repeat(60)}</service>`,
      `<service xmlns="${NS}"><certificateType>${"r".repeat(9000)}</certificateType></service>`,
    ];
    for (const xml of hostile) {
      const fault = expectFault(await postSoap(t, demand(serviceData(xml)), "paDemandPaymentNotice"), "PAA_SINTASSI_XSD");
      expect(fault.description).to.include("datiSpecificiServizioRequest");
    }
    const notUtf8 = Buffer.concat([Buffer.from(`<service xmlns="${NS}"><certificateType>`), Buffer.from([0xff, 0xfe]), Buffer.from("</certificateType></service>")]).toString("base64");
    expectFault(await postSoap(t, demand(notUtf8), "paDemandPaymentNotice"), "PAA_SINTASSI_XSD");
    expect(faultCodeOf(await postSoap(t, demand("not base64!"), "paDemandPaymentNotice"))).to.equal("PAA_SINTASSI_XSD");
    const [count] = await (await testDatabase()).query<{ n: number }>("SELECT count(*)::int AS n FROM payment_position");
    expect(count!.n).to.equal(0);
  });

  it("reads the official sample's shape: any element names, the GeneralService namespace", async () => {
    await api(t, ADMIN_KEY).post("/v1/services", certificateService({ id: "ANY01", properties: [{ name: "AnyElementYouLike" }, { name: "ciao" }], tariff: undefined, amount: 300 }));
    await api(t, ADMIN_KEY).post(`/v1/organizations/${EC}/services/ANY01`, enrolment());
    const sample = `<service xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${NS} schema.xsd"><AnyElementYouLike>Some Data</AnyElementYouLike><ciao>x</ciao></service>`;
    const res = await postSoap(t, demand(serviceData(sample), EC, "ANY01"), "paDemandPaymentNotice");
    expectOk(res);
    expect(res.body.paymentList.paymentOptionDescription.amount).to.equal("3.00");
  });
});
