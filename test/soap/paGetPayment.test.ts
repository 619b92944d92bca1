import { expect } from "chai";
import type { Test } from "supertest";
import { ADMIN_KEY, EC, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { expireNotice, testDatabase } from "../support/db.ts";
import { makeOption, makePlan, makePosition, makeTransfer } from "../support/factories.ts";
import { appOnFailingDatabase, asArray, expectFault, expectOk, getPaymentRequest, postSoap, receiptRequest, verifyRequest } from "../support/soap.ts";
import { createPosition, KEY_HEADER, readPosition } from "../support/rest.ts";

const VERSIONS = [
  { name: "paGetPayment (V1)", v2: false, action: "paGetPayment", res: "paGetPaymentRes" },
  { name: "paGetPaymentV2", v2: true, action: "paGetPaymentV2", res: "paGetPaymentV2Response" },
] as const;

const BANK_IBAN = "IT60X0542811101000000123456";
const POSTAL_IBAN = "IT60X0760111101000000123456";
const OTHER_BANK_IBAN = "IT60X0542811101000000654321";
const STAMP = { hashDocument: "wHpFSLCGZjIvNSXxqtGbxg7275t446DRTk5ZrsdUQ6E=", stampType: "01", provincialResidence: "RM" };

const admin = (r: Test) => r.set(KEY_HEADER, ADMIN_KEY);

async function lockedUntil(t: TestApp, nav: string, ec = EC): Promise<string | undefined> {
  const res = await t.http.get(`/v1/organizations/${ec}/paymentoptions/${nav}`).set(KEY_HEADER, ADMIN_KEY);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body.lockedUntil;
}

/** Moves the option's lock so that it ends `seconds` from now (negative: already expired). */
async function moveLock(nav: string, seconds: number): Promise<void> {
  const db = await testDatabase();
  await db.query("UPDATE payment_option SET lock_until = now() + make_interval(secs => $3) WHERE organization_fiscal_code = $1 AND nav = $2", [EC, nav, seconds]);
}


for (const version of VERSIONS) {
  describe(version.name, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startApp();
    });
    const activate = (nav: string, options: { transferType?: string; amount?: string } = {}) =>
      postSoap(t, getPaymentRequest(nav, { v2: version.v2, ...options }), version.action);

    describe("a payable notice", () => {
      it("answers OK with the IUV, the amount, the due date, the description, the EC names, the debtor and the transfers", async () => {
        const input = makePosition({
          type: "F",
          fiscalCode: "RSSMRA80A01H501U",
          fullName: "Mario Rossi",
          streetName: "Via Roma",
          civicNumber: "1",
          postalCode: "00100",
          city: "Roma",
          province: "RM",
          country: "IT",
          email: "mario.rossi@example.org",
          companyName: "Comune di Esempio",
          officeName: "Ufficio Tributi",
          paymentOption: [makeOption({ amount: 4550, description: "TARI 2026", dueDate: "2099-12-31T23:59:59+01:00", transfer: [makeTransfer({ amount: 4550, remittanceInformation: "TARI 2026 saldo", category: "0101100IM" })] })],
        });
        const created = await createPosition(t, input, { toPublish: true });
        const { nav, iuv } = created.paymentOption[0];

        const r = await activate(nav);
        expectOk(r, version.res);
        const data = r.body.data;
        expect(data.creditorReferenceId).to.equal(iuv);
        expect(data.paymentAmount).to.equal("45.50");
        expect(data.dueDate).to.equal("2099-12-31");
        expect(data.description).to.equal("TARI 2026");
        expect(data.companyName).to.equal("Comune di Esempio");
        expect(data.officeName).to.equal("Ufficio Tributi");
        expect(data.debtor).to.deep.equal({
          uniqueIdentifier: { entityUniqueIdentifierType: "F", entityUniqueIdentifierValue: "RSSMRA80A01H501U" },
          fullName: "Mario Rossi",
          streetName: "Via Roma",
          civicNumber: "1",
          postalCode: "00100",
          city: "Roma",
          stateProvinceRegion: "RM",
          country: "IT",
          "e-mail": "mario.rossi@example.org",
        });
        expect(data.transferList.transfer).to.deep.equal({
          idTransfer: "1",
          transferAmount: "45.50",
          fiscalCodePA: EC,
          IBAN: BANK_IBAN,
          remittanceInformation: "TARI 2026 saldo",
          transferCategory: "0101100IM",
        });
      });

      it("answers the EC's current amount whatever amount the request carries", async () => {
        const created = await createPosition(t, makePosition(), { toPublish: true });
        const r = await activate(created.paymentOption[0].nav, { amount: "30.00" });
        expectOk(r, version.res);
        expect(r.body.data.paymentAmount).to.equal("100.00");
      });

      it("locks the option for the configured time", async () => {
        const created = await createPosition(t, makePosition(), { toPublish: true });
        const nav = created.paymentOption[0].nav;
        expect(await lockedUntil(t, nav)).to.equal(undefined);
        expectOk(await activate(nav), version.res);
        const until = Date.parse((await lockedUntil(t, nav))!);
        expect(until - Date.now()).to.be.within((t.config.lockTtlSeconds - 60) * 1000, (t.config.lockTtlSeconds + 60) * 1000);
      });

      it("answers a repeated activation with the same data and the frozen amount, and refreshes the lock", async () => {
        const created = await createPosition(t, makePosition(), { toPublish: true });
        const nav = created.paymentOption[0].nav;
        const first = await activate(nav);
        expectOk(first, version.res);
        // the amount changes behind the lock, and the lock is about to end
        const db = await testDatabase();
        await db.query("UPDATE payment_option SET amount = 99900 WHERE organization_fiscal_code = $1 AND nav = $2", [EC, nav]);
        await moveLock(nav, 10);

        const again = await activate(nav);
        expectOk(again, version.res);
        expect(again.body.data).to.deep.equal(first.body.data);
        expect(again.body.data.paymentAmount).to.equal("100.00");
        const until = Date.parse((await lockedUntil(t, nav))!);
        expect(until - Date.now()).to.be.above((t.config.lockTtlSeconds - 60) * 1000);
      });

      it("answers the new amount once the lock has expired and the EC has updated the position", async () => {
        const option = makeOption({ amount: 10000 });
        const input = makePosition({ paymentOption: [option] });
        const created = await createPosition(t, input, { toPublish: true });
        const nav = created.paymentOption[0].nav;
        expectOk(await activate(nav), version.res);
        await moveLock(nav, -1);
        expect(await lockedUntil(t, nav)).to.equal(undefined);
        const updated = { ...input, paymentOption: [{ ...option, amount: 7500, transfer: [makeTransfer({ amount: 7500 })] }] };
        const put = await admin(t.http.put(`/v1/organizations/${EC}/debtpositions/${input.iupd}`)).send(updated);
        expect(put.status, JSON.stringify(put.body)).to.equal(200);

        const r = await activate(nav);
        expectOk(r, version.res);
        expect(r.body.data.paymentAmount).to.equal("75.00");
        expect(r.body.data.transferList.transfer.transferAmount).to.equal("75.00");
      });

      it("makes REST update, delete and invalidation answer 409 while the option is locked, and allows them after", async () => {
        const input = makePosition();
        const created = await createPosition(t, input, { toPublish: true });
        const nav = created.paymentOption[0].nav;
        expectOk(await activate(nav), version.res);
        const path = `/v1/organizations/${EC}/debtpositions/${input.iupd}`;

        const put = await admin(t.http.put(path)).send(input);
        expect(put.status, JSON.stringify(put.body)).to.equal(409);
        expect(put.body.code).to.equal("locked");
        const del = await admin(t.http.delete(path));
        expect(del.status, JSON.stringify(del.body)).to.equal(409);
        expect(del.body.code).to.equal("locked");
        const inv = await admin(t.http.post(`${path}/invalidate`));
        expect(inv.status, JSON.stringify(inv.body)).to.equal(409);
        expect(inv.body.code).to.equal("locked");
        expect((await readPosition(t, input.iupd)).status).to.equal("VALID");

        await moveLock(nav, -1);
        const putAfter = await admin(t.http.put(path)).send(input);
        expect(putAfter.status, JSON.stringify(putAfter.body)).to.equal(200);
      });

      it("answers the bank account when no transferType is asked", async () => {
        const created = await createPosition(t, makePosition({ paymentOption: [makeOption({ transfer: [makeTransfer({ postalIban: POSTAL_IBAN })] })] }), { toPublish: true });
        const r = await activate(created.paymentOption[0].nav);
        expectOk(r, version.res);
        expect(r.body.data.transferList.transfer.IBAN).to.equal(BANK_IBAN);
        expect(r.body.data.transferList.transfer).not.to.have.property("metadata");
      });

      it("answers the postal account of each transfer that has one when transferType is POSTAL", async () => {
        const option = makeOption({
          amount: 3000,
          transfer: [
            makeTransfer({ idTransfer: "1", amount: 2000, postalIban: POSTAL_IBAN }),
            makeTransfer({ idTransfer: "2", amount: 1000, organizationFiscalCode: OTHER_EC, iban: OTHER_BANK_IBAN }),
          ],
        });
        const created = await createPosition(t, makePosition({ paymentOption: [option] }), { toPublish: true });
        const r = await activate(created.paymentOption[0].nav, { transferType: "POSTAL" });
        expectOk(r, version.res);
        const transfers = asArray(r.body.data.transferList.transfer);
        expect(transfers.map((x) => x.idTransfer)).to.deep.equal(["1", "2"]);
        expect(transfers[0].IBAN).to.equal(POSTAL_IBAN);
        expect(transfers[1].IBAN).to.equal(OTHER_BANK_IBAN);
        expect(r.text).not.to.include("IBANAPPOGGIO");
      });

      it("answers the bank account with the postal one as IBANAPPOGGIO metadata when transferType is PAGOPA", async () => {
        const option = makeOption({
          transfer: [makeTransfer({ postalIban: POSTAL_IBAN, transferMetadata: [{ key: "capitolo", value: "1234" }] })],
        });
        const created = await createPosition(t, makePosition({ paymentOption: [option] }), { toPublish: true });
        const r = await activate(created.paymentOption[0].nav, { transferType: "PAGOPA" });
        expectOk(r, version.res);
        const transfer = r.body.data.transferList.transfer;
        expect(transfer.IBAN).to.equal(BANK_IBAN);
        expect(asArray(transfer.metadata.mapEntry)).to.deep.equal([
          { key: "capitolo", value: "1234" },
          { key: "IBANAPPOGGIO", value: POSTAL_IBAN },
        ]);
      });

      it("does not repeat an IBANAPPOGGIO the EC already put in the transfer metadata", async () => {
        const option = makeOption({ transfer: [makeTransfer({ postalIban: POSTAL_IBAN, transferMetadata: [{ key: "IBANAPPOGGIO", value: POSTAL_IBAN }] })] });
        const created = await createPosition(t, makePosition({ paymentOption: [option] }), { toPublish: true });
        const r = await activate(created.paymentOption[0].nav, { transferType: "PAGOPA" });
        expectOk(r, version.res);
        expect(asArray(r.body.data.transferList.transfer.metadata.mapEntry)).to.deep.equal([{ key: "IBANAPPOGGIO", value: POSTAL_IBAN }]);
      });

      it("answers the option metadata, the transfer metadata and the retention date", async () => {
        const option = makeOption({
          retentionDate: "2100-06-30T12:00:00Z",
          paymentOptionMetadata: [{ key: "anno", value: "2026" }],
          transfer: [makeTransfer({ transferMetadata: [{ key: "capitolo", value: "1234" }, { key: "articolo", value: "5" }] })],
        });
        const created = await createPosition(t, makePosition({ paymentOption: [option] }), { toPublish: true });
        const r = await activate(created.paymentOption[0].nav);
        expectOk(r, version.res);
        expect(r.body.data.retentionDate).to.equal("2100-06-30T12:00:00Z");
        expect(r.body.data.metadata.mapEntry).to.deep.equal({ key: "anno", value: "2026" });
        expect(r.body.data.transferList.transfer.metadata.mapEntry).to.deep.equal([
          { key: "capitolo", value: "1234" },
          { key: "articolo", value: "5" },
        ]);
      });

      if (version.v2) {
        it("answers each transfer's companyName", async () => {
          const option = makeOption({
            amount: 3000,
            transfer: [
              makeTransfer({ idTransfer: "1", amount: 2000, companyName: "Comune di Esempio" }),
              makeTransfer({ idTransfer: "2", amount: 1000, organizationFiscalCode: OTHER_EC, iban: OTHER_BANK_IBAN, companyName: "Provincia di Esempio" }),
            ],
          });
          const created = await createPosition(t, makePosition({ paymentOption: [option] }), { toPublish: true });
          const r = await activate(created.paymentOption[0].nav);
          expectOk(r, version.res);
          expect(asArray(r.body.data.transferList.transfer).map((x) => x.companyName)).to.deep.equal(["Comune di Esempio", "Provincia di Esempio"]);
        });

        it("answers an @e.bollo transfer as richiestaMarcaDaBollo instead of an IBAN", async () => {
          const option = makeOption({
            amount: 3200,
            transfer: [
              makeTransfer({ idTransfer: "1", amount: 1600 }),
              makeTransfer({ idTransfer: "2", amount: 1600, iban: undefined, stamp: STAMP, remittanceInformation: "Marca da bollo digitale", category: "0115103TS" }),
            ],
          });
          const created = await createPosition(t, makePosition({ paymentOption: [option] }), { toPublish: true });
          const r = await activate(created.paymentOption[0].nav);
          expectOk(r, version.res);
          const [, stamp] = asArray(r.body.data.transferList.transfer);
          expect(stamp).not.to.have.property("IBAN");
          expect(stamp.richiestaMarcaDaBollo).to.deep.equal({ hashDocumento: STAMP.hashDocument, tipoBollo: "01", provinciaResidenza: "RM" });
          expect(stamp.transferAmount).to.equal("16.00");
          expect(stamp.transferCategory).to.equal("0115103TS");
        });
      } else {
        it("never answers a transfer companyName", async () => {
          const created = await createPosition(t, makePosition({ paymentOption: [makeOption({ transfer: [makeTransfer({ companyName: "Comune di Esempio" })] })] }), { toPublish: true });
          const r = await activate(created.paymentOption[0].nav);
          expectOk(r, version.res);
          expect(r.body.data.transferList.transfer).not.to.have.property("companyName");
        });

        it("answers PAA_SEMANTICA for a notice with an @e.bollo transfer, and leaves it unlocked", async () => {
          const option = makeOption({ amount: 1600, transfer: [makeTransfer({ amount: 1600, iban: undefined, stamp: STAMP })] });
          const created = await createPosition(t, makePosition({ paymentOption: [option] }), { toPublish: true });
          const nav = created.paymentOption[0].nav;
          const fault = expectFault(await activate(nav), "PAA_SEMANTICA", version.res);
          expect(fault.faultString).to.equal("Errore semantico");
          expect(fault.description).to.include(nav);
          expect(await lockedUntil(t, nav), "a refused activation must not lock the option").to.equal(undefined);
        });
      }
    });

    describe("faults", () => {
      it("answers PAA_PAGAMENTO_SCONOSCIUTO when the notice is unknown, and for a DRAFT position", async () => {
        expectFault(await activate("302000000009999948"), "PAA_PAGAMENTO_SCONOSCIUTO", version.res);
        const draft = await createPosition(t, makePosition(), { toPublish: false });
        expectFault(await activate(draft.paymentOption[0].nav), "PAA_PAGAMENTO_SCONOSCIUTO", version.res);
        expect(await lockedUntil(t, draft.paymentOption[0].nav)).to.equal(undefined);
      });

      it("answers PAA_PAGAMENTO_DUPLICATO when the option is paid", async () => {
        const created = await createPosition(t, makePosition(), { toPublish: true });
        const { nav, iuv } = created.paymentOption[0];
        expectOk(await activate(nav), version.res);
        expectOk(await postSoap(t, receiptRequest({ receiptId: "r-get-paid", nav, iuv, amount: "100.00", v2: version.v2 }), version.v2 ? "paSendRTV2" : "paSendRT"));
        const fault = expectFault(await activate(nav), "PAA_PAGAMENTO_DUPLICATO", version.res);
        expect(fault.id).to.equal(EC);
        expect(await lockedUntil(t, nav)).to.equal(undefined);
      });

      it("answers PAA_PAGAMENTO_ANNULLATO when the position was invalidated", async () => {
        const input = makePosition();
        const created = await createPosition(t, input, { toPublish: true });
        const inv = await admin(t.http.post(`/v1/organizations/${EC}/debtpositions/${input.iupd}/invalidate`));
        expect(inv.status).to.equal(200);
        expectFault(await activate(created.paymentOption[0].nav), "PAA_PAGAMENTO_ANNULLATO", version.res);
      });

      it("answers PAA_PAGAMENTO_SCADUTO when the due date has passed and the position switches to expired", async () => {
        const input = makePosition({ switchToExpired: true });
        const created = await createPosition(t, input, { toPublish: true });
        const nav = created.paymentOption[0].nav;
        await expireNotice(EC, nav, input.iupd);
        expectFault(await activate(nav), "PAA_PAGAMENTO_SCADUTO", version.res);
        expect(await lockedUntil(t, nav)).to.equal(undefined);
      });

      it("answers PAA_PAGAMENTO_IN_CORSO for the single payment while an installment is locked, and OK once the lock ends", async () => {
        const created = await createPosition(t, makePlan(30000, 2), { toPublish: true });
        const [single, first] = created.paymentOption;
        expectOk(await activate(first.nav), version.res);
        expectFault(await activate(single.nav), "PAA_PAGAMENTO_IN_CORSO", version.res);
        expect(await lockedUntil(t, single.nav)).to.equal(undefined);
        await moveLock(first.nav, -1);
        expectOk(await activate(single.nav), version.res);
      });

      it("answers PAA_SINTASSI_XSD when the amount does not have two decimals", async () => {
        const created = await createPosition(t, makePosition(), { toPublish: true });
        for (const amount of ["30", "30.0", "30.000", "-1.00", "abc"]) {
          const fault = expectFault(await activate(created.paymentOption[0].nav, { amount }), "PAA_SINTASSI_XSD", version.res);
          expect(fault.description).to.include("amount");
        }
        expect(await lockedUntil(t, created.paymentOption[0].nav)).to.equal(undefined);
      });

      it("answers PAA_SINTASSI_XSD when the transferType is not POSTAL or PAGOPA", async () => {
        const created = await createPosition(t, makePosition(), { toPublish: true });
        const fault = expectFault(await activate(created.paymentOption[0].nav, { transferType: "BANK" }), "PAA_SINTASSI_XSD", version.res);
        expect(fault.description).to.include("transferType");
      });

      it("answers PAA_SYSTEM_ERROR when the database fails", async () => {
        const broken = appOnFailingDatabase(new Error("boom"));
        const r = await postSoap(broken, getPaymentRequest("302000000001234559", { v2: version.v2 }), version.action);
        expectFault(r, "PAA_SYSTEM_ERROR", version.res);
        expect(r.text).not.to.include("boom");
      });
    });
  });
}

describe("paGetPayment and paGetPaymentV2 together", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("answers a V2 activation after a V1 one with the same frozen data", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const nav = created.paymentOption[0].nav;
    const v1 = await postSoap(t, getPaymentRequest(nav), "paGetPayment");
    expectOk(v1, "paGetPaymentRes");
    const db = await testDatabase();
    await db.query("UPDATE payment_option SET amount = 99900 WHERE organization_fiscal_code = $1 AND nav = $2", [EC, nav]);
    const v2 = await postSoap(t, getPaymentRequest(nav, { v2: true }), "paGetPaymentV2");
    expectOk(v2, "paGetPaymentV2Response");
    expect(v2.body.data).to.deep.equal(v1.body.data);
  });

  it("keeps the verify answer OK for the locked option itself", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const nav = created.paymentOption[0].nav;
    expectOk(await postSoap(t, getPaymentRequest(nav, { v2: true }), "paGetPaymentV2"));
    expectOk(await postSoap(t, verifyRequest(nav), "paVerifyPaymentNotice"), "paVerifyPaymentNoticeRes");
  });
});
