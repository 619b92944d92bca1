import { expect } from "chai";
import { ADMIN_KEY, EC, OTHER_EC, OTHER_EC_KEY, UNSERVED_EC, startApp, type TestApp } from "../support/app.ts";
import { passValidityDate, testDatabase } from "../support/db.ts";
import { makeOption, makePlan, makePosition, makeTransfer } from "../support/factories.ts";
import { appOnFailingDatabase, envelope, expectFault, expectOk, getPaymentRequest, header, postSoap, receiptRequest, verifyRequest } from "../support/soap.ts";
import { createPosition, KEY_HEADER, readPosition } from "../support/rest.ts";

const VERIFY = "paVerifyPaymentNotice";
const RES = "paVerifyPaymentNoticeRes";

describe("paVerifyPaymentNotice", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  describe("a payable notice", () => {
    it("answers OK with one EQ option carrying the amount and due date, the description and the EC", async () => {
      const option = makeOption({ amount: 12345, description: "TARI 2026 rata unica", dueDate: "2099-12-31T23:59:59+01:00", transfer: [makeTransfer({ amount: 12345 })] });
      const created = await createPosition(t, makePosition({ companyName: "Comune di Esempio", officeName: "Ufficio Tributi", paymentOption: [option] }), { toPublish: true });
      const nav = created.paymentOption[0].nav;

      const r = await postSoap(t, verifyRequest(nav), VERIFY);
      expectOk(r, RES);
      expect(r.body.paymentList.paymentOptionDescription).to.deep.equal({ amount: "123.45", options: "EQ", dueDate: "2099-12-31", allCCP: "false" });
      expect(r.body.paymentDescription).to.equal("TARI 2026 rata unica");
      expect(r.body.fiscalCodePA).to.equal(EC);
      expect(r.body.companyName).to.equal("Comune di Esempio");
      expect(r.body.officeName).to.equal("Ufficio Tributi");
    });

    it("writes the due date as the Europe/Rome calendar day", async () => {
      // 23:30 UTC on 30 June is already 1 July in Rome (UTC+2 in summer)
      const created = await createPosition(t, makePosition({ paymentOption: [makeOption({ dueDate: "2099-06-30T23:30:00Z" })] }), { toPublish: true });
      const r = await postSoap(t, verifyRequest(created.paymentOption[0].nav), VERIFY);
      expectOk(r, RES);
      expect(r.body.paymentList.paymentOptionDescription.dueDate).to.equal("2099-07-01");
    });

    it("escapes the EC's text in the answer", async () => {
      const option = makeOption({ description: `Canone "acqua" <2026> & fognatura` });
      const created = await createPosition(t, makePosition({ companyName: "Comune di Sant'Angelo & Uniti", paymentOption: [option] }), { toPublish: true });
      const r = await postSoap(t, verifyRequest(created.paymentOption[0].nav), VERIFY);
      expectOk(r, RES);
      expect(r.body.companyName).to.equal("Comune di Sant'Angelo & Uniti");
      expect(r.body.paymentDescription).to.equal(`Canone "acqua" <2026> & fognatura`);
    });

    it("leaves officeName out when the position has none", async () => {
      const input = makePosition();
      delete input.officeName;
      const created = await createPosition(t, input, { toPublish: true });
      const r = await postSoap(t, verifyRequest(created.paymentOption[0].nav), VERIFY);
      expectOk(r, RES);
      expect(r.body).not.to.have.property("officeName");
      expect(r.text).not.to.include("<officeName");
    });

    it("answers allCCP true only when every transfer can be paid to a postal account", async () => {
      const allPostal = makeOption({
        amount: 3000,
        transfer: [
          makeTransfer({ idTransfer: "1", amount: 2000, postalIban: "IT60X0760111101000000123456" }),
          makeTransfer({ idTransfer: "2", amount: 1000, organizationFiscalCode: OTHER_EC, iban: "IT60X0542811101000000654321", postalIban: "IT60X0760111101000000654321" }),
        ],
      });
      const onePostal = makeOption({
        amount: 3000,
        transfer: [
          makeTransfer({ idTransfer: "1", amount: 2000, postalIban: "IT60X0760111101000000123456" }),
          makeTransfer({ idTransfer: "2", amount: 1000, organizationFiscalCode: OTHER_EC, iban: "IT60X0542811101000000654321" }),
        ],
      });
      const yesNav = (await createPosition(t, makePosition({ paymentOption: [allPostal] }), { toPublish: true })).paymentOption[0].nav;
      const noNav = (await createPosition(t, makePosition({ paymentOption: [onePostal] }), { toPublish: true })).paymentOption[0].nav;

      const yes = await postSoap(t, verifyRequest(yesNav), VERIFY);
      expectOk(yes, RES);
      expect(yes.body.paymentList.paymentOptionDescription.allCCP).to.equal("true");
      const no = await postSoap(t, verifyRequest(noNav), VERIFY);
      expectOk(no, RES);
      expect(no.body.paymentList.paymentOptionDescription.allCCP).to.equal("false");
      expect(no.body.paymentList.paymentOptionDescription.amount).to.equal("30.00");
    });

    it("changes nothing: no lock is taken and the position keeps its version", async () => {
      const input = makePosition();
      const created = await createPosition(t, input, { toPublish: true });
      const nav = created.paymentOption[0].nav;
      const before = await readPosition(t, input.iupd);

      for (let i = 0; i < 2; i++) expectOk(await postSoap(t, verifyRequest(nav), VERIFY), RES);

      const after = await readPosition(t, input.iupd);
      expect(after.paymentOption[0].lockedUntil).to.equal(undefined);
      expect(after).to.deep.equal(before);
      const put = await t.http.put(`/v1/organizations/${EC}/debtpositions/${input.iupd}`).set(KEY_HEADER, ADMIN_KEY).send(input);
      expect(put.status, JSON.stringify(put.body)).to.equal(200);
    });

    it("answers the current amount after the EC updates the position", async () => {
      const option = makeOption({ amount: 10000 });
      const input = makePosition({ paymentOption: [option] });
      await createPosition(t, input, { toPublish: true });
      const updated = { ...input, paymentOption: [{ ...option, amount: 12050, transfer: [makeTransfer({ amount: 12050 })] }] };
      const put = await t.http.put(`/v1/organizations/${EC}/debtpositions/${input.iupd}`).set(KEY_HEADER, ADMIN_KEY).send(updated);
      expect(put.status, JSON.stringify(put.body)).to.equal(200);

      const r = await postSoap(t, verifyRequest(put.body.paymentOption[0].nav), VERIFY);
      expectOk(r, RES);
      expect(r.body.paymentList.paymentOptionDescription.amount).to.equal("120.50");
    });

    it("answers the frozen amount while the option is locked by an activation", async () => {
      const created = await createPosition(t, makePosition(), { toPublish: true });
      const nav = created.paymentOption[0].nav;
      expectOk(await postSoap(t, getPaymentRequest(nav), "paGetPayment"), "paGetPaymentRes");
      // the amount changes behind the lock (as a concurrent writer bypassing REST would)
      const db = await testDatabase();
      await db.query("UPDATE payment_option SET amount = 99900 WHERE organization_fiscal_code = $1 AND nav = $2", [EC, nav]);

      const r = await postSoap(t, verifyRequest(nav), VERIFY);
      expectOk(r, RES);
      expect(r.body.paymentList.paymentOptionDescription.amount).to.equal("100.00");
    });

    it("answers OK for a published position once its validity date has come", async () => {
      const created = await createPosition(t, makePosition({ validityDate: "2098-01-01T00:00:00Z" }), { toPublish: true });
      expect(created.status).to.equal("PUBLISHED");
      await passValidityDate(EC, created.iupd);
      expectOk(await postSoap(t, verifyRequest(created.paymentOption[0].nav), VERIFY), RES);
    });

    it("answers an overdue notice OK when the position does not switch to expired", async () => {
      const created = await createPosition(t, makePosition({ switchToExpired: false }), { toPublish: true });
      const nav = created.paymentOption[0].nav;
      const db = await testDatabase();
      await db.query("UPDATE payment_option SET due_date = now() - interval '2 days' WHERE organization_fiscal_code = $1 AND nav = $2", [EC, nav]);
      await db.query("UPDATE payment_position SET max_due_date = now() - interval '2 days' WHERE organization_fiscal_code = $1 AND iupd = $2", [EC, created.iupd]);

      expectOk(await postSoap(t, verifyRequest(nav), VERIFY), RES);
    });

    it("answers a notice of the other EC served by this station under that EC's fiscal code", async () => {
      const res = await t.http.post(`/v1/organizations/${OTHER_EC}/debtpositions?toPublish=true`).set(KEY_HEADER, OTHER_EC_KEY).send(makePosition({ companyName: "Provincia di Esempio" }));
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const r = await postSoap(t, verifyRequest(res.body.paymentOption[0].nav, OTHER_EC), VERIFY);
      expectOk(r, RES);
      expect(r.body.fiscalCodePA).to.equal(OTHER_EC);
      expect(r.body.companyName).to.equal("Provincia di Esempio");
    });

    it("answers each option of a plan that is payable: the single payment and every installment", async () => {
      const created = await createPosition(t, makePlan(30000, 3), { toPublish: true });
      const amounts = [];
      for (const option of created.paymentOption) {
        const r = await postSoap(t, verifyRequest(option.nav), VERIFY);
        expectOk(r, RES);
        amounts.push(r.body.paymentList.paymentOptionDescription.amount);
      }
      expect(amounts).to.deep.equal(["300.00", "100.00", "100.00", "100.00"]);
    });
  });

  describe("faults", () => {
    it("answers PAA_PAGAMENTO_SCONOSCIUTO when the notice is unknown, with the EC as fault id", async () => {
      const fault = expectFault(await postSoap(t, verifyRequest("302000000009999948"), VERIFY), "PAA_PAGAMENTO_SCONOSCIUTO", RES);
      expect(fault.id).to.equal(EC);
      expect(fault.faultString).to.equal("Pagamento in attesa risulta sconosciuto all’Ente Creditore");
      expect(fault.description).to.include("302000000009999948");
    });

    it("answers PAA_PAGAMENTO_SCONOSCIUTO for a DRAFT position", async () => {
      const created = await createPosition(t, makePosition(), { toPublish: false });
      expect(created.status).to.equal("DRAFT");
      expectFault(await postSoap(t, verifyRequest(created.paymentOption[0].nav), VERIFY), "PAA_PAGAMENTO_SCONOSCIUTO", RES);
    });

    it("answers PAA_PAGAMENTO_SCONOSCIUTO for a PUBLISHED position before its validity date", async () => {
      const created = await createPosition(t, makePosition({ validityDate: "2098-01-01T00:00:00Z" }), { toPublish: true });
      expect(created.status).to.equal("PUBLISHED");
      expectFault(await postSoap(t, verifyRequest(created.paymentOption[0].nav), VERIFY), "PAA_PAGAMENTO_SCONOSCIUTO", RES);
    });

    it("answers PAA_PAGAMENTO_SCONOSCIUTO when the qrCode names an EC this station does not serve", async () => {
      const created = await createPosition(t, makePosition(), { toPublish: true });
      const request = envelope("paVerifyPaymentNoticeReq", { ...header(EC), qrCode: { fiscalCode: UNSERVED_EC, noticeNumber: created.paymentOption[0].nav } });
      expectFault(await postSoap(t, request, VERIFY), "PAA_PAGAMENTO_SCONOSCIUTO", RES);
    });

    it("answers PAA_PAGAMENTO_SCONOSCIUTO when the notice number exists only under another EC", async () => {
      const res = await t.http.post(`/v1/organizations/${OTHER_EC}/debtpositions?toPublish=true`).set(KEY_HEADER, ADMIN_KEY).send(makePosition());
      expect(res.status).to.equal(201);
      expectFault(await postSoap(t, verifyRequest(res.body.paymentOption[0].nav, EC), VERIFY), "PAA_PAGAMENTO_SCONOSCIUTO", RES);
    });

    it("answers PAA_PAGAMENTO_DUPLICATO when the option is paid", async () => {
      const created = await createPosition(t, makePosition(), { toPublish: true });
      const { nav, iuv } = created.paymentOption[0];
      expectOk(await postSoap(t, receiptRequest({ receiptId: "r-verify-paid", nav, iuv, amount: "100.00" }), "paSendRT"), "paSendRTRes");
      const fault = expectFault(await postSoap(t, verifyRequest(nav), VERIFY), "PAA_PAGAMENTO_DUPLICATO", RES);
      expect(fault.faultString).to.equal("Pagamento in attesa risulta concluso all’Ente Creditore");
    });

    it("answers PAA_PAGAMENTO_ANNULLATO when the position was invalidated", async () => {
      const input = makePosition();
      const created = await createPosition(t, input, { toPublish: true });
      const inv = await t.http.post(`/v1/organizations/${EC}/debtpositions/${input.iupd}/invalidate`).set(KEY_HEADER, ADMIN_KEY);
      expect(inv.status, JSON.stringify(inv.body)).to.equal(200);
      expectFault(await postSoap(t, verifyRequest(created.paymentOption[0].nav), VERIFY), "PAA_PAGAMENTO_ANNULLATO", RES);
    });

    it("answers PAA_PAGAMENTO_SCADUTO when the due date has passed and the position switches to expired", async () => {
      const created = await createPosition(t, makePosition({ switchToExpired: true }), { toPublish: true });
      const nav = created.paymentOption[0].nav;
      const db = await testDatabase();
      await db.query("UPDATE payment_option SET due_date = now() - interval '2 days' WHERE organization_fiscal_code = $1 AND nav = $2", [EC, nav]);
      await db.query("UPDATE payment_position SET max_due_date = now() - interval '2 days' WHERE organization_fiscal_code = $1 AND iupd = $2", [EC, created.iupd]);
      expectFault(await postSoap(t, verifyRequest(nav), VERIFY), "PAA_PAGAMENTO_SCADUTO", RES);
    });

    it("answers PAA_PAGAMENTO_SCADUTO for an installment past its own due date while the plan runs on", async () => {
      const created = await createPosition(t, makePlan(30000, 3, { switchToExpired: true }), { toPublish: true });
      const first = created.paymentOption[1].nav;
      const db = await testDatabase();
      await db.query("UPDATE payment_option SET due_date = now() - interval '2 days' WHERE organization_fiscal_code = $1 AND nav = $2", [EC, first]);
      expectFault(await postSoap(t, verifyRequest(first), VERIFY), "PAA_PAGAMENTO_SCADUTO", RES);
      expectOk(await postSoap(t, verifyRequest(created.paymentOption[2].nav), VERIFY), RES);
    });

    it("answers PAA_PAGAMENTO_IN_CORSO when another option of the plan is being paid", async () => {
      const created = await createPosition(t, makePlan(30000, 3), { toPublish: true });
      expectOk(await postSoap(t, getPaymentRequest(created.paymentOption[1].nav), "paGetPayment"), "paGetPaymentRes");
      const fault = expectFault(await postSoap(t, verifyRequest(created.paymentOption[0].nav), VERIFY), "PAA_PAGAMENTO_IN_CORSO", RES);
      expect(fault.faultString).to.equal("Pagamento in attesa risulta in corso all’Ente Creditore");
    });

    it("answers PAA_SINTASSI_XSD naming the element when the noticeNumber is not 18 digits", async () => {
      const fault = expectFault(await postSoap(t, verifyRequest("30200000000123455"), VERIFY), "PAA_SINTASSI_XSD", RES);
      expect(fault.description).to.include("qrCode.noticeNumber");
    });

    it("answers PAA_SINTASSI_XSD when the qrCode fiscal code is not 11 digits", async () => {
      const request = envelope("paVerifyPaymentNoticeReq", { ...header(EC), qrCode: { fiscalCode: "7777777777A", noticeNumber: "302000000001234559" } });
      const fault = expectFault(await postSoap(t, request, VERIFY), "PAA_SINTASSI_XSD", RES);
      expect(fault.description).to.include("qrCode.fiscalCode");
    });

    it("answers PAA_SYSTEM_ERROR with a correlation id and no internals when the database fails", async () => {
      const broken = appOnFailingDatabase(new Error('relation "secret_table" does not exist'));
      const r = await postSoap(broken, verifyRequest("302000000001234559"), VERIFY);
      const fault = expectFault(r, "PAA_SYSTEM_ERROR", RES);
      expect(fault.id).to.equal(EC);
      expect(fault.description).to.match(/correlation id [0-9a-f-]{36}/);
      expect(r.text).not.to.include("secret_table");
    });

    it("answers PAA_SYSTEM_ERROR when the database cannot be reached", async () => {
      const broken = appOnFailingDatabase(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }));
      const r = await postSoap(broken, verifyRequest("302000000001234559"), VERIFY);
      expectFault(r, "PAA_SYSTEM_ERROR", RES);
      expect(r.text).not.to.include("5432");
    });

    it("answers the Stand-In probe PAA_PAGAMENTO_SCONOSCIUTO without querying the database", async () => {
      const broken = appOnFailingDatabase(new Error("the probe must not reach the database"));
      expectFault(await postSoap(broken, verifyRequest("000000000000000000"), VERIFY), "PAA_PAGAMENTO_SCONOSCIUTO", RES);
    });
  });
});
