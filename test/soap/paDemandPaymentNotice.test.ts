import { expect } from "chai";
import { EC, UNSERVED_EC, startApp, type TestApp } from "../support/app.ts";
import { envelope, expectFault, header, postSoap, type XmlTree } from "../support/soap.ts";

const ACTION = "paDemandPaymentNotice";
const RES = "paDemandPaymentNoticeResponse";
const SERVICE_DATA = Buffer.from('<service xmlns="http://PuntoAccessoPSP.spcoop.gov.it/GeneralService"><amount>100</amount></service>').toString("base64");

const demand = (fields: XmlTree = {}) =>
  envelope("paDemandPaymentNoticeRequest", { ...header(EC), idServizio: "00009", idSoggettoServizio: "00035", datiSpecificiServizioRequest: SERVICE_DATA, ...fields });

describe("paDemandPaymentNotice", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("is routed by SOAPAction and answers a schema-valid paDemandPaymentNoticeResponse", async () => {
    const r = await postSoap(t, demand(), ACTION);
    expectFault(r, "PAA_SEMANTICA", RES);
  });

  it("is routed by its body root when there is no SOAPAction", async () => {
    expectFault(await postSoap(t, demand()), "PAA_SEMANTICA", RES);
  });

  it("answers PAA_SEMANTICA naming a service not in the catalogue", async () => {
    const fault = expectFault(await postSoap(t, demand(), ACTION), "PAA_SEMANTICA", RES);
    expect(fault.id).to.equal(EC);
    expect(fault.faultString).to.equal("Errore semantico");
    expect(fault.description).to.include("00009");
  });

  it("answers PAA_SINTASSI_XSD naming idServizio when it is not 5 characters", async () => {
    for (const idServizio of ["0009", "000099", ""]) {
      const fault = expectFault(await postSoap(t, demand({ idServizio }), ACTION), "PAA_SINTASSI_XSD", RES);
      expect(fault.description).to.include("idServizio");
    }
  });

  it("answers PAA_SINTASSI_XSD naming idSoggettoServizio when it is missing", async () => {
    const fault = expectFault(await postSoap(t, demand({ idSoggettoServizio: undefined }), ACTION), "PAA_SINTASSI_XSD", RES);
    expect(fault.description).to.include("idSoggettoServizio");
  });

  it("answers PAA_SINTASSI_XSD when the service data is not base64", async () => {
    const fault = expectFault(await postSoap(t, demand({ datiSpecificiServizioRequest: "<amount>100</amount> not base64!" }), ACTION), "PAA_SINTASSI_XSD", RES);
    expect(fault.description).to.include("datiSpecificiServizioRequest");
  });

  it("applies the station checks", async () => {
    expectFault(await postSoap(t, demand({ idPA: UNSERVED_EC }), ACTION), "PAA_ID_DOMINIO_ERRATO", RES);
    expectFault(await postSoap(t, demand({ idBrokerPA: "11111111111" }), ACTION), "PAA_ID_INTERMEDIARIO_ERRATO", RES);
    expectFault(await postSoap(t, demand({ idStation: "77777777777_99" }), ACTION), "PAA_STAZIONE_INT_ERRATA", RES);
  });
});
