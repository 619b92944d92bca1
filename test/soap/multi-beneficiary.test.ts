/**
 * A multi-beneficiary notice: five transfers to four ECs, two of them served by this station. The
 * Node sends the receipt to every beneficiary; the copy sent to a secondary beneficiary is stored
 * under that EC and flagged, and never changes the primary EC's option.
 */
import { expect } from "chai";
import type { PaymentOptionInput } from "../../src/domain/position.ts";
import { ADMIN_KEY, EC, OTHER_EC, OTHER_EC_KEY, startApp, type TestApp } from "../support/app.ts";
import { makePosition, nextNotice } from "../support/factories.ts";
import { asArray, expectFault, expectOk, getPaymentRequest, postSoap, receiptRequest, verifyRequest, type XmlTree } from "../support/soap.ts";
import { createPosition, KEY_HEADER, readPosition, readReceipt } from "../support/rest.ts";

const REGION = "11111111111";
const UNION = "22222222222";
const BENEFICIARIES = [
  { id: "1", ec: EC, amount: 4000, iban: "IT60X0542811101000000123456", company: "Comune di Esempio" },
  { id: "2", ec: OTHER_EC, amount: 2500, iban: "IT60X0542811101000000654321", company: "Provincia di Esempio" },
  { id: "3", ec: REGION, amount: 1500, iban: "IT60X0542811101000000111111", company: "Regione di Esempio" },
  { id: "4", ec: UNION, amount: 1000, iban: "IT60X0542811101000000222222", company: "Unione dei Comuni" },
  { id: "5", ec: EC, amount: 1000, iban: "IT60X0542811101000000999999", company: "Comune di Esempio" },
];

function fiveTransferOption(iuv = nextNotice().iuv): PaymentOptionInput {
  return {
    iuv,
    amount: 10000,
    description: "Tributo con cinque beneficiari",
    isPartialPayment: false,
    dueDate: "2099-12-31T23:59:59+01:00",
    transfer: BENEFICIARIES.map((b) => ({
      idTransfer: b.id,
      amount: b.amount,
      // the primary EC's transfers leave the beneficiary to default to the position's EC
      ...(b.ec === EC ? {} : { organizationFiscalCode: b.ec }),
      iban: b.iban,
      companyName: b.company,
      remittanceInformation: `Quota ${b.company}`,
      category: "0101100IM",
      transferMetadata: [{ key: "quota", value: b.id }],
    })),
  };
}

const receiptTransfers = (v2: boolean): XmlTree[] =>
  BENEFICIARIES.map((b) => ({
    idTransfer: b.id,
    transferAmount: (b.amount / 100).toFixed(2),
    fiscalCodePA: b.ec,
    ...(v2 ? { companyName: b.company } : {}),
    IBAN: b.iban,
    remittanceInformation: `Quota ${b.company}`,
    transferCategory: "0101100IM",
  }));

describe("a multi-beneficiary notice with five transfers", () => {
  let t: TestApp;
  let iupd: string;
  let nav: string;
  let iuv: string;
  beforeEach(async () => {
    t = await startApp();
    const input = makePosition({ paymentOption: [fiveTransferOption()] });
    const created = await createPosition(t, input, { toPublish: true });
    iupd = input.iupd;
    ({ nav, iuv } = created.paymentOption[0]);
  });
  /** The receipt the Node sends to `to` for this notice (issued by EC). */
  const receipt = (to: string, receiptId: string, v2 = false) =>
    postSoap(t, receiptRequest({ receiptId, nav, iuv, amount: "100.00", v2, idPA: to, fiscalCode: EC, transfers: receiptTransfers(v2) }), v2 ? "paSendRTV2" : "paSendRT");

  it("verifies with the total of the five transfers", async () => {
    const r = await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice");
    expectOk(r, "paVerifyPaymentNoticeRes");
    expect(r.body.paymentList.paymentOptionDescription.amount).to.equal("100.00");
    expect(r.body.paymentList.paymentOptionDescription.allCCP).to.equal("false");
  });

  for (const v2 of [false, true]) {
    it(`lists the five transfers in order with their beneficiaries, amounts, accounts and metadata on ${v2 ? "paGetPaymentV2" : "paGetPayment"}`, async () => {
      const r = await postSoap(t, getPaymentRequest(nav, { v2 }), v2 ? "paGetPaymentV2" : "paGetPayment");
      expectOk(r, v2 ? "paGetPaymentV2Response" : "paGetPaymentRes");
      const transfers = asArray(r.body.data.transferList.transfer);
      expect(transfers).to.have.length(5);
      expect(transfers.map((x) => [x.idTransfer, x.fiscalCodePA, x.transferAmount, x.IBAN])).to.deep.equal(
        BENEFICIARIES.map((b) => [b.id, b.ec, (b.amount / 100).toFixed(2), b.iban]),
      );
      expect(transfers.map((x) => x.companyName)).to.deep.equal(v2 ? BENEFICIARIES.map((b) => b.company) : BENEFICIARIES.map(() => undefined));
      expect(transfers.map((x) => x.metadata.mapEntry.value)).to.deep.equal(["1", "2", "3", "4", "5"]);
      const total = transfers.reduce((sum, x) => sum + Math.round(Number(x.transferAmount) * 100), 0);
      expect((total / 100).toFixed(2)).to.equal(r.body.data.paymentAmount);
    });
  }

  it("stores the receipt sent to a secondary beneficiary under that EC, flagged SECONDARY_BENEFICIARY, leaving the primary's option locked and unpaid", async () => {
    expectOk(await postSoap(t, getPaymentRequest(nav, { v2: true }), "paGetPaymentV2"));
    const before = await readPosition(t, iupd);

    expectOk(await receipt(OTHER_EC, "rcpt-multi"), "paSendRTRes");

    const stored = await readReceipt(t, "rcpt-multi", OTHER_EC);
    expect(stored).to.include({ organizationFiscalCode: OTHER_EC, noticeFiscalCode: EC, noticeNumber: nav, paymentAmount: 10000 });
    expect(stored!.flags).to.deep.equal(["SECONDARY_BENEFICIARY"]);
    expect(asArray((stored!.receipt.transferList as { transfer: unknown[] }).transfer)).to.have.length(5);
    expect(await readReceipt(t, "rcpt-multi", EC)).to.equal(undefined);
    const after = await readPosition(t, iupd);
    expect(after).to.deep.equal(before);
    expect(after.status).to.equal("VALID");
    expect(after.paymentOption[0].status).to.equal("PO_UNPAID");
    expect(after.paymentOption[0].lockedUntil).to.be.a("string");
    const listed = await t.http.get(`/v1/organizations/${EC}/debtpositions/${iupd}/receipts`).set(KEY_HEADER, ADMIN_KEY);
    expect(listed.body).to.deep.equal([]);
  });

  it("lets the secondary EC read its copy with its own key", async () => {
    expectOk(await receipt(OTHER_EC, "rcpt-own-key", true), "paSendRTV2Response");
    const res = await t.http.get(`/v1/organizations/${OTHER_EC}/receipts/rcpt-own-key`).set(KEY_HEADER, OTHER_EC_KEY);
    expect(res.status).to.equal(200);
    expect(res.body.flags).to.deep.equal(["SECONDARY_BENEFICIARY"]);
    expect(res.body.primitiveVersion).to.equal(2);
  });

  it("accepts the same receiptId for the primary EC, which pays the notice, whatever order the copies arrive in", async () => {
    expectOk(await postSoap(t, getPaymentRequest(nav), "paGetPayment"));
    expectOk(await receipt(OTHER_EC, "rcpt-both"), "paSendRTRes");
    expectOk(await receipt(EC, "rcpt-both"), "paSendRTRes");
    const paid = await readPosition(t, iupd);
    expect(paid.status).to.equal("PAID");
    expect(paid.paymentOption[0]).to.include({ status: "PO_PAID", idReceipt: "rcpt-both" });
    expect(paid.paymentOption[0].lockedUntil).to.equal(undefined);
    expect((await readReceipt(t, "rcpt-both", EC))!.flags).to.deep.equal([]);
    expect((await readReceipt(t, "rcpt-both", OTHER_EC))!.flags).to.deep.equal(["SECONDARY_BENEFICIARY"]);
  });

  it("leaves the primary's paid option as it is when the secondary's copy arrives after it", async () => {
    expectOk(await receipt(EC, "rcpt-late", true), "paSendRTV2Response");
    const paid = await readPosition(t, iupd);
    expectOk(await receipt(OTHER_EC, "rcpt-late", true), "paSendRTV2Response");
    expect(await readPosition(t, iupd)).to.deep.equal(paid);
    expect((await readReceipt(t, "rcpt-late", OTHER_EC))!.flags).to.deep.equal(["SECONDARY_BENEFICIARY"]);
  });

  it("answers PAA_RECEIPT_DUPLICATA to the secondary EC for a copy it already has", async () => {
    expectOk(await receipt(OTHER_EC, "rcpt-twice"));
    expectFault(await receipt(OTHER_EC, "rcpt-twice"), "PAA_RECEIPT_DUPLICATA", "paSendRTRes");
    expect((await readPosition(t, iupd)).paymentOption[0].status).to.equal("PO_UNPAID");
  });

  it("never pays the secondary EC's own notice that happens to have the same notice number", async () => {
    const own = makePosition({ companyName: "Provincia di Esempio", paymentOption: [{ ...fiveTransferOption(iuv), transfer: [{ idTransfer: "1", amount: 10000, iban: "IT60X0542811101000000654321", remittanceInformation: "Tributo provinciale", category: "0101100IM" }] }] });
    const res = await t.http.post(`/v1/organizations/${OTHER_EC}/debtpositions?toPublish=true`).set(KEY_HEADER, OTHER_EC_KEY).send(own);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.paymentOption[0].nav).to.equal(nav);

    expectOk(await receipt(OTHER_EC, "rcpt-same-nav"));
    const ownAfter = await readPosition(t, own.iupd, OTHER_EC);
    expect(ownAfter.status).to.equal("VALID");
    expect(ownAfter.paymentOption[0].status).to.equal("PO_UNPAID");
    expect((await readReceipt(t, "rcpt-same-nav", OTHER_EC))!.flags).to.deep.equal(["SECONDARY_BENEFICIARY"]);
  });

  it("answers PAA_ID_DOMINIO_ERRATO for a copy addressed to a beneficiary this station does not serve", async () => {
    const fault = expectFault(await receipt(REGION, "rcpt-region"), "PAA_ID_DOMINIO_ERRATO", "paSendRTRes");
    expect(fault.id).to.equal(REGION);
  });
});
