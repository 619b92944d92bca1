import { expect } from "chai";
import { ADMIN_KEY, EC, startApp, type TestApp } from "../support/app.ts";
import { makePosition } from "../support/factories.ts";
import { faultCodeOf, getPaymentRequest, postSoap, receiptRequest, verifyRequest } from "../support/soap.ts";
import { projectSchema, validateSoapBody, officialSchema } from "../support/xmlSchema.ts";
import { KEY_HEADER } from "../support/rest.ts";

function expectSchemaValid(text: string) {
  expect(validateSoapBody(text, projectSchema()), "project XSD").to.deep.equal([]);
  const official = officialSchema();
  if (official) expect(validateSoapBody(text, official), "official XSD").to.deep.equal([]);
}

describe("the life of a notice", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("goes from REST load through verify, activation and receipt to a paid position with its receipt", async () => {
    const input = makePosition();
    const created = await t.http.post(`/v1/organizations/${EC}/debtpositions?toPublish=true`).set(KEY_HEADER, ADMIN_KEY).send(input);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.status).to.equal("VALID");
    const { nav, iuv } = created.body.paymentOption[0];

    const verify = await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice");
    expect(verify.status).to.equal(200);
    expect(verify.body.outcome, verify.text).to.equal("OK");
    expect(verify.body.paymentList.paymentOptionDescription.amount).to.equal("100.00");
    expectSchemaValid(verify.text);

    const activation = await postSoap(t, getPaymentRequest(nav, { v2: true }), "paGetPaymentV2");
    expect(activation.body.outcome, activation.text).to.equal("OK");
    expect(activation.body.data.creditorReferenceId).to.equal(iuv);
    expectSchemaValid(activation.text);

    const locked = await t.http.get(`/v1/organizations/${EC}/debtpositions/${input.iupd}`).set(KEY_HEADER, ADMIN_KEY);
    expect(locked.body.paymentOption[0].lockedUntil).to.be.a("string");

    const receipt = await postSoap(t, receiptRequest({ receiptId: "rcpt-1", nav, iuv, amount: "100.00", v2: true }), "paSendRTV2");
    expect(receipt.body.outcome, receipt.text).to.equal("OK");
    expectSchemaValid(receipt.text);

    const again = await postSoap(t, receiptRequest({ receiptId: "rcpt-1", nav, iuv, amount: "100.00", v2: true }), "paSendRTV2");
    expect(faultCodeOf(again)).to.equal("PAA_RECEIPT_DUPLICATA");
    expectSchemaValid(again.text);

    const paid = await t.http.get(`/v1/organizations/${EC}/debtpositions/${input.iupd}`).set(KEY_HEADER, ADMIN_KEY);
    expect(paid.body.status).to.equal("PAID");
    expect(paid.body.paymentOption[0].status).to.equal("PO_PAID");
    expect(paid.body.paymentOption[0].idReceipt).to.equal("rcpt-1");
    expect(paid.body.paymentOption[0].lockedUntil).to.equal(undefined);

    const receipts = await t.http.get(`/v1/organizations/${EC}/debtpositions/${input.iupd}/receipts`).set(KEY_HEADER, ADMIN_KEY);
    expect(receipts.body).to.have.length(1);
    expect(receipts.body[0].receiptId).to.equal("rcpt-1");
    expect(receipts.body[0].flags).to.deep.equal([]);

    const verifyPaid = await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice");
    expect(faultCodeOf(verifyPaid)).to.equal("PAA_PAGAMENTO_DUPLICATO");
  });
});
