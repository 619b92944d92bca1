import { expect } from "chai";
import type { Test } from "supertest";
import { ADMIN_KEY, EC, OTHER_EC, UNSERVED_EC, startApp, type TestApp } from "../support/app.ts";
import { expireNotice, testDatabase } from "../support/db.ts";
import { makeOption, makePlan, makePosition, makeTransfer } from "../support/factories.ts";
import { appOnFailingDatabase, expectFault, expectOk, getPaymentRequest, postSoap, receiptRequest, type ReceiptOptions } from "../support/soap.ts";
import { createPosition, KEY_HEADER, readPosition, readReceipt } from "../support/rest.ts";
import { MIN_SOAP_BODY_BYTES } from "../../src/soap/handler.ts";

const VERSIONS = [
  { name: "paSendRT (V1)", v2: false, action: "paSendRT", res: "paSendRTRes", version: 1, get: "paGetPayment" },
  { name: "paSendRTV2", v2: true, action: "paSendRTV2", res: "paSendRTV2Response", version: 2, get: "paGetPaymentV2" },
] as const;

/** The base64 of a (dummy) marcaDaBollo document, as a PSP returns it. */
const MBD = Buffer.from('<marcaDaBollo xmlns="http://www.agenziaentrate.gov.it/2014/MarcaDaBollo"><IUBD>012345678901234</IUBD></marcaDaBollo>').toString("base64");

const admin = (r: Test) => r.set(KEY_HEADER, ADMIN_KEY);

interface Snapshot {
  positions: unknown[];
  options: unknown[];
  receipts: unknown[];
  outbox: unknown[];
}

/** Everything a receipt can change, for "nothing changes" checks. */
async function snapshot(): Promise<Snapshot> {
  const db = await testDatabase();
  return {
    positions: await db.query("SELECT * FROM payment_position ORDER BY id"),
    options: await db.query("SELECT * FROM payment_option ORDER BY id"),
    receipts: await db.query("SELECT id, organization_fiscal_code, receipt_id, flags, payment_amount, receipt, raw_body FROM receipt ORDER BY id"),
    outbox: await db.query("SELECT id, event_type, aggregate_id, payload FROM outbox ORDER BY id"),
  };
}

async function rawBodyOf(receiptId: string, ec = EC): Promise<string | undefined> {
  const db = await testDatabase();
  const rows = await db.query<{ raw_body: string }>("SELECT raw_body FROM receipt WHERE organization_fiscal_code = $1 AND receipt_id = $2", [ec, receiptId]);
  return rows[0]?.raw_body;
}


for (const v of VERSIONS) {
  describe(v.name, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startApp();
    });
    const send = (o: Omit<ReceiptOptions, "v2">) => postSoap(t, receiptRequest({ ...o, v2: v.v2 }), v.action);
    /** A published position of 100.00, activated with this version's paGetPayment. */
    async function activated(input = makePosition()) {
      const created = await createPosition(t, input, { toPublish: true });
      const { nav, iuv } = created.paymentOption[0];
      expectOk(await postSoap(t, getPaymentRequest(nav, { v2: v.v2 }), v.get));
      return { iupd: input.iupd, nav: nav as string, iuv: iuv as string };
    }

    describe("a receipt of an activated notice", () => {
      it("stores the receipt, pays the option and the position, releases the lock and answers OK", async () => {
        const { iupd, nav, iuv } = await activated();
        const r = await send({ receiptId: "rcpt-ok", nav, iuv, amount: "100.00" });
        expectOk(r, v.res);
        expect(r.text).not.to.include("<fault>");

        const position = await readPosition(t, iupd);
        expect(position.status).to.equal("PAID");
        expect(position.paymentDate).to.equal("2026-11-20T09:00:00Z");
        const option = position.paymentOption[0];
        expect(option.status).to.equal("PO_PAID");
        expect(option.idReceipt).to.equal("rcpt-ok");
        expect(option.paymentMethod).to.equal("creditCard");
        expect(option.pspCompany).to.equal("PSP di Esempio");
        expect(option.fee).to.equal(100);
        expect(option.lockedUntil).to.equal(undefined);

        const stored = await readReceipt(t, "rcpt-ok");
        expect(stored).to.include({ receiptId: "rcpt-ok", noticeNumber: nav, noticeFiscalCode: EC, organizationFiscalCode: EC, primitiveVersion: v.version, paymentAmount: 10000 });
        expect(stored!.paymentDateTime).to.equal("2026-11-20T09:00:00Z");
        expect(stored!.flags).to.deep.equal([]);
        expect(stored!.receipt).to.include({ receiptId: "rcpt-ok", creditorReferenceId: iuv, paymentAmount: 10000, idPSP: "ABCDITMMXXX", fee: 100 });
        expect(stored!.receipt.debtor).to.deep.equal({ uniqueIdentifier: { entityUniqueIdentifierType: "F", entityUniqueIdentifierValue: "RSSMRA80A01H501U" }, fullName: "Mario Rossi" });

        const listed = await admin(t.http.get(`/v1/organizations/${EC}/debtpositions/${iupd}/receipts`));
        expect(listed.body.map((x: { receiptId: string }) => x.receiptId)).to.deep.equal(["rcpt-ok"]);

        const db = await testDatabase();
        const events = await db.query<{ event_type: string; aggregate_id: string; payload: Record<string, unknown> }>("SELECT event_type, aggregate_id, payload FROM outbox WHERE aggregate_type = 'receipt'");
        expect(events).to.have.length(1);
        expect(events[0]).to.deep.include({ event_type: "RECEIPT_STORED", aggregate_id: "rcpt-ok" });
        expect(events[0]!.payload).to.deep.include({ receiptId: "rcpt-ok", noticeNumber: nav, iupd, positionStatus: "PAID", flags: [] });
      });

      it("stores the raw SOAP body exactly as received", async () => {
        const { nav, iuv } = await activated();
        const body = receiptRequest({ receiptId: "rcpt-raw", nav, iuv, amount: "100.00", v2: v.v2 }).replace("<receipt>", "\n      <receipt>\n        ");
        expectOk(await postSoap(t, body, v.action), v.res);
        expect(await rawBodyOf("rcpt-raw")).to.equal(body);
      });

      it("stores text exactly as sent: spaces kept, character and entity references decoded", async () => {
        const { nav, iuv } = await activated();
        const body = receiptRequest({ receiptId: "rcpt-text", nav, iuv, amount: "100.00", v2: v.v2 })
          .replace("<description>Tassa rifiuti 2026</description>", "<description> Tassa&#x20;&#x1F600; &lt;rifiuti&gt; &amp; &quot;co&apos;  </description>")
          .replace("<fullName>Mario Rossi</fullName>", "<fullName>\n\tMario&#13;Rossi </fullName>")
          .replace(`<noticeNumber>${nav}</noticeNumber>`, `<noticeNumber>&#51;${nav.slice(1)}</noticeNumber>`);
        expectOk(await postSoap(t, body, v.action), v.res);
        const stored = (await readReceipt(t, "rcpt-text"))!;
        expect(stored.receipt).to.include({ description: ' Tassa \u{1F600} <rifiuti> & "co\'  ', noticeNumber: nav });
        expect(stored.receipt.debtor.fullName).to.equal("\n\tMario\rRossi ");
        expect(stored.flags).to.deep.equal([]);
      });

      it("stores a paymentDateTime with fractional seconds as that instant", async () => {
        const { nav, iuv } = await activated();
        expectOk(await send({ receiptId: "rcpt-frac", nav, iuv, amount: "100.00", extra: { paymentDateTime: " 2026-11-20T10:00:00.123456789012+01:00 " } }), v.res);
        expect((await readReceipt(t, "rcpt-frac"))!.paymentDateTime).to.equal("2026-11-20T09:00:00.123Z");
      });

      it("answers by its body a receipt whose SOAPAction names the other receipt operation", async () => {
        const { iupd, nav, iuv } = await activated();
        const other = v.v2 ? "paSendRT" : "paSendRTV2";
        expectOk(await postSoap(t, receiptRequest({ receiptId: "rcpt-action", nav, iuv, amount: "100.00", v2: v.v2 }), other), v.res);
        expect((await readReceipt(t, "rcpt-action"))!.primitiveVersion).to.equal(v.version);
        expect((await readPosition(t, iupd)).status).to.equal("PAID");
      });

      it("pays a notice that was never activated", async () => {
        const input = makePosition();
        const created = await createPosition(t, input, { toPublish: true });
        const { nav, iuv } = created.paymentOption[0];
        expectOk(await send({ receiptId: "rcpt-direct", nav, iuv, amount: "100.00" }), v.res);
        expect((await readPosition(t, input.iupd)).status).to.equal("PAID");
        expect((await readReceipt(t, "rcpt-direct"))!.flags).to.deep.equal([]);
      });

      it("pays a notice of the other EC served here when the receipt is sent to that EC", async () => {
        const input = makePosition();
        const res = await admin(t.http.post(`/v1/organizations/${OTHER_EC}/debtpositions?toPublish=true`)).send(input);
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        const { nav, iuv } = res.body.paymentOption[0];
        expectOk(await send({ receiptId: "rcpt-other-ec", nav, iuv, amount: "100.00", fiscalCode: OTHER_EC }), v.res);
        expect((await readPosition(t, input.iupd, OTHER_EC)).status).to.equal("PAID");
        expect((await readReceipt(t, "rcpt-other-ec", OTHER_EC))!.flags).to.deep.equal([]);
        expect(await readReceipt(t, "rcpt-other-ec", EC)).to.equal(undefined);
      });

      it(`works after the other version's activation (${v.v2 ? "V1 activation, V2 receipt" : "V2 activation, V1 receipt"})`, async () => {
        const input = makePosition();
        const created = await createPosition(t, input, { toPublish: true });
        const { nav, iuv } = created.paymentOption[0];
        expectOk(await postSoap(t, getPaymentRequest(nav, { v2: !v.v2 }), v.v2 ? "paGetPayment" : "paGetPaymentV2"));
        expectOk(await send({ receiptId: "rcpt-cross", nav, iuv, amount: "100.00" }), v.res);
        const position = await readPosition(t, input.iupd);
        expect(position.status).to.equal("PAID");
        expect(position.paymentOption[0].lockedUntil).to.equal(undefined);
        const stored = await readReceipt(t, "rcpt-cross");
        expect(stored!.primitiveVersion).to.equal(v.version);
        expect(stored!.flags).to.deep.equal([]);
      });
    });

    describe("odd receipts: stored, flagged and answered OK", () => {
      it("answers PAA_RECEIPT_DUPLICATA for the same receiptId and changes nothing", async () => {
        const { nav, iuv } = await activated();
        expectOk(await send({ receiptId: "rcpt-dup", nav, iuv, amount: "100.00" }), v.res);
        const before = await snapshot();

        const again = await send({ receiptId: "rcpt-dup", nav, iuv, amount: "100.00" });
        const fault = expectFault(again, "PAA_RECEIPT_DUPLICATA", v.res);
        expect(fault.id).to.equal(EC);
        expect(fault.description).to.include("rcpt-dup");
        // a different body under the same receiptId is the same receipt
        expectFault(await send({ receiptId: "rcpt-dup", nav, iuv, amount: "99.00", extra: { standIn: true } }), "PAA_RECEIPT_DUPLICATA", v.res);
        expect(await snapshot()).to.deep.equal(before);
      });

      it("stores a different receipt for a paid option, flags it DOUBLE_PAYMENT and answers OK", async () => {
        const { iupd, nav, iuv } = await activated();
        expectOk(await send({ receiptId: "rcpt-first", nav, iuv, amount: "100.00" }), v.res);
        const paid = await readPosition(t, iupd);

        expectOk(await send({ receiptId: "rcpt-second", nav, iuv, amount: "100.00" }), v.res);
        const second = await readReceipt(t, "rcpt-second");
        expect(second!.flags).to.deep.equal(["DOUBLE_PAYMENT"]);
        expect((await readReceipt(t, "rcpt-first"))!.flags).to.deep.equal([]);
        const after = await readPosition(t, iupd);
        expect(after.status).to.equal("PAID");
        expect(after.paymentOption[0].idReceipt).to.equal("rcpt-first");
        expect(after.paymentDate).to.equal(paid.paymentDate);
        const listed = await admin(t.http.get(`/v1/organizations/${EC}/debtpositions/${iupd}/receipts`));
        expect(listed.body.map((x: { receiptId: string }) => x.receiptId)).to.deep.equal(["rcpt-first", "rcpt-second"]);
      });

      it("stores a receipt for an INVALID position, flags it PAID_ON_INVALID and leaves the position INVALID", async () => {
        const input = makePosition();
        const created = await createPosition(t, input, { toPublish: true });
        const { nav, iuv } = created.paymentOption[0];
        expect((await admin(t.http.post(`/v1/organizations/${EC}/debtpositions/${input.iupd}/invalidate`))).status).to.equal(200);

        expectOk(await send({ receiptId: "rcpt-invalid", nav, iuv, amount: "100.00" }), v.res);
        expect((await readReceipt(t, "rcpt-invalid"))!.flags).to.deep.equal(["PAID_ON_INVALID"]);
        expect((await readPosition(t, input.iupd)).status).to.equal("INVALID");
      });

      it("stores a receipt for an expired position and flags it PAID_AFTER_EXPIRY", async () => {
        const input = makePosition({ switchToExpired: true });
        const created = await createPosition(t, input, { toPublish: true });
        const { nav, iuv } = created.paymentOption[0];
        await expireNotice(EC, nav, input.iupd);
        expect((await readPosition(t, input.iupd)).status).to.equal("EXPIRED");

        expectOk(await send({ receiptId: "rcpt-expired", nav, iuv, amount: "100.00" }), v.res);
        expect((await readReceipt(t, "rcpt-expired"))!.flags).to.deep.equal(["PAID_AFTER_EXPIRY"]);
        expect((await readPosition(t, input.iupd)).paymentOption[0].status).to.equal("PO_PAID");
      });

      it("stores a receipt for a position not yet valid and flags it PAID_BEFORE_VALIDITY", async () => {
        const input = makePosition({ validityDate: "2098-01-01T00:00:00Z" });
        const created = await createPosition(t, input, { toPublish: true });
        const { nav, iuv } = created.paymentOption[0];
        expectOk(await send({ receiptId: "rcpt-early", nav, iuv, amount: "100.00" }), v.res);
        expect((await readReceipt(t, "rcpt-early"))!.flags).to.deep.equal(["PAID_BEFORE_VALIDITY"]);
      });

      it("stores a receipt for an unknown notice and flags it UNKNOWN_NOTICE", async () => {
        expectOk(await send({ receiptId: "rcpt-unknown", nav: "302000000009999948", iuv: "02000000009999948", amount: "100.00" }), v.res);
        const stored = await readReceipt(t, "rcpt-unknown");
        expect(stored!.flags).to.deep.equal(["UNKNOWN_NOTICE"]);
        expect(stored!.noticeNumber).to.equal("302000000009999948");
        expect(await rawBodyOf("rcpt-unknown")).to.include("rcpt-unknown");
      });

      it("stores and applies a receipt whose broker or station is not this one, flagged STATION_MISMATCH", async () => {
        const { iupd, nav, iuv } = await activated();
        expectOk(await send({ receiptId: "rcpt-station", nav, iuv, amount: "100.00", header: { idStation: "77777777777_99" } }), v.res);
        expect((await readReceipt(t, "rcpt-station"))!.flags).to.deep.equal(["STATION_MISMATCH"]);
        expect((await readPosition(t, iupd)).status).to.equal("PAID");

        expectOk(await send({ receiptId: "rcpt-broker", nav, iuv, amount: "100.00", header: { idBrokerPA: "11111111111" } }), v.res);
        expect((await readReceipt(t, "rcpt-broker"))!.flags).to.deep.equal(["STATION_MISMATCH", "DOUBLE_PAYMENT"]);
      });

      it("flags a Stand-In receipt STAND_IN", async () => {
        const { nav, iuv } = await activated();
        expectOk(await send({ receiptId: "rcpt-standin", nav, iuv, amount: "100.00", extra: { standIn: true } }), v.res);
        expect((await readReceipt(t, "rcpt-standin"))!.flags).to.deep.equal(["STAND_IN"]);
      });

      it("flags a receipt whose amount is not the activated one AMOUNT_MISMATCH", async () => {
        const { iupd, nav, iuv } = await activated();
        expectOk(await send({ receiptId: "rcpt-amount", nav, iuv, amount: "90.00" }), v.res);
        expect((await readReceipt(t, "rcpt-amount"))!.flags).to.deep.equal(["AMOUNT_MISMATCH"]);
        expect((await readPosition(t, iupd)).status).to.equal("PAID");
      });

      it("keeps a receipt with outcome KO for audit without paying the option", async () => {
        const { iupd, nav, iuv } = await activated();
        const body = receiptRequest({ receiptId: "rcpt-ko", nav, iuv, amount: "100.00", v2: v.v2 }).replace("<outcome>OK</outcome>", "<outcome>KO</outcome>");
        expectOk(await postSoap(t, body, v.action), v.res);
        expect((await readReceipt(t, "rcpt-ko"))!.flags).to.deep.equal(["OUTCOME_KO"]);
        const position = await readPosition(t, iupd);
        expect(position.status).to.equal("VALID");
        expect(position.paymentOption[0].status).to.equal("PO_UNPAID");
      });

      it("accepts unknown extra elements inside the receipt and its transfers, keeping them in the raw body", async () => {
        const { iupd, nav, iuv } = await activated();
        const transfer = { idTransfer: 1, transferAmount: "100.00", fiscalCodePA: EC, IBAN: "IT60X0542811101000000123456", remittanceInformation: "Tassa rifiuti", transferCategory: "0101100IM", futureTransferElement: "x" };
        const body = receiptRequest({ receiptId: "rcpt-future", nav, iuv, amount: "100.00", v2: v.v2, transfers: [transfer], extra: { futureElement: { nested: "value" } } });
        const r = await postSoap(t, body, v.action);
        expectOk(r, v.res);
        expect((await readPosition(t, iupd)).status).to.equal("PAID");
        expect(await rawBodyOf("rcpt-future")).to.include("<futureElement><nested>value</nested></futureElement>").and.include("<futureTransferElement>");
      });
    });

    describe("refused receipts", () => {
      it("answers PAA_ID_DOMINIO_ERRATO when idPA is not an EC served here, and stores nothing", async () => {
        const fault = expectFault(await send({ receiptId: "rcpt-foreign", nav: "302000000001234559", iuv: "02000000001234559", amount: "30.00", idPA: UNSERVED_EC, fiscalCode: UNSERVED_EC }), "PAA_ID_DOMINIO_ERRATO", v.res);
        expect(fault.id).to.equal(UNSERVED_EC);
        expect((await snapshot()).receipts).to.deep.equal([]);
      });

      it("answers PAA_SINTASSI_XSD naming the element when a known element is malformed, and stores nothing", async () => {
        const { nav, iuv } = await activated();
        const fault = expectFault(await send({ receiptId: "rcpt-bad", nav, iuv, amount: "100" }), "PAA_SINTASSI_XSD", v.res);
        expect(fault.description).to.include("receipt.paymentAmount");
        const missing = receiptRequest({ receiptId: "rcpt-bad", nav, iuv, amount: "100.00", v2: v.v2 }).replace(/<idPSP>[^<]*<\/idPSP>/, "");
        expect(expectFault(await postSoap(t, missing, v.action), "PAA_SINTASSI_XSD", v.res).description).to.include("receipt.idPSP");
        expect((await snapshot()).receipts).to.deep.equal([]);
      });

      it("answers PAA_SINTASSI_XSD for a transfer without an account", async () => {
        const { nav, iuv } = await activated();
        const transfer = { idTransfer: 1, transferAmount: "100.00", fiscalCodePA: EC, remittanceInformation: "Tassa rifiuti", transferCategory: "0101100IM" };
        const fault = expectFault(await send({ receiptId: "rcpt-noiban", nav, iuv, amount: "100.00", transfers: [transfer] }), "PAA_SINTASSI_XSD", v.res);
        expect(fault.description).to.include("IBAN");
      });

      it("answers PAA_SYSTEM_ERROR when the database fails, so that the Node retries", async () => {
        const broken = appOnFailingDatabase(new Error("boom"));
        const r = await postSoap(broken, receiptRequest({ receiptId: "rcpt-sys", nav: "302000000001234559", iuv: "02000000001234559", amount: "30.00", v2: v.v2 }), v.action);
        expectFault(r, "PAA_SYSTEM_ERROR", v.res);
      });
    });
  });
}

describe("paSendRTV2 elements", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("stores an @e.bollo transfer paid with an MBDAttachment", async () => {
    const stamp = { hashDocument: "wHpFSLCGZjIvNSXxqtGbxg7275t446DRTk5ZrsdUQ6E=", stampType: "01", provincialResidence: "RM" };
    const option = makeOption({ amount: 3200, transfer: [makeTransfer({ idTransfer: "1", amount: 1600 }), makeTransfer({ idTransfer: "2", amount: 1600, iban: undefined, stamp })] });
    const input = makePosition({ paymentOption: [option] });
    const created = await createPosition(t, input, { toPublish: true });
    const { nav, iuv } = created.paymentOption[0];
    expectOk(await postSoap(t, getPaymentRequest(nav, { v2: true }), "paGetPaymentV2"));
    const transfers = [
      { idTransfer: 1, transferAmount: "16.00", fiscalCodePA: EC, companyName: "Comune di Esempio", IBAN: "IT60X0542811101000000123456", remittanceInformation: "Diritti", transferCategory: "0101100IM" },
      { idTransfer: 2, transferAmount: "16.00", fiscalCodePA: EC, MBDAttachment: MBD, remittanceInformation: "Marca da bollo digitale", transferCategory: "0115103TS" },
    ];
    expectOk(await postSoap(t, receiptRequest({ receiptId: "rcpt-mbd", nav, iuv, amount: "32.00", v2: true, transfers }), "paSendRTV2"), "paSendRTV2Response");
    const stored = await readReceipt(t, "rcpt-mbd");
    expect(stored!.flags).to.deep.equal([]);
    const storedTransfers = (stored!.receipt.transferList as { transfer: Record<string, unknown>[] }).transfer;
    expect(storedTransfers[1]).to.include({ idTransfer: "2", transferAmount: 1600, MBDAttachment: MBD });
    expect(storedTransfers[1]).not.to.have.property("IBAN");
    expect(storedTransfers[0]).to.include({ companyName: "Comune di Esempio", IBAN: "IT60X0542811101000000123456" });
    expect((await readPosition(t, input.iupd)).status).to.equal("PAID");
  });

  it("stores a receipt of a quarter MiB (15 metadata entries everywhere, texts at their length limit, each character a reference) with BODY_LIMIT_BYTES at its 1 KiB minimum, which REST bodies keep", async () => {
    // a new app starts on an emptied database: the position is created after it, through the default app
    const small = await startApp({ BODY_LIMIT_BYTES: "1024" });
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const { nav, iuv } = created.paymentOption[0];
    // U+1F600, outside the Basic Multilingual Plane: one character for the schema, two UTF-16 units, 9 bytes as a reference
    const PLACEHOLDER = "\u00a4";
    const text = (length: number) => PLACEHOLDER.repeat(length);
    const metadata = { mapEntry: Array.from({ length: 15 }, () => ({ key: text(140), value: text(140) })) };
    const transfers = [1, 2, 3, 4, 5].map((idTransfer) => ({
      idTransfer,
      transferAmount: "20.00",
      fiscalCodePA: EC,
      companyName: text(140),
      IBAN: "IT60X0542811101000000123456",
      remittanceInformation: text(140),
      transferCategory: text(140),
      metadata,
    }));
    const body = receiptRequest({ receiptId: "rcpt-largest", nav, iuv, amount: "100.00", v2: true, transfers, extra: { metadata } })
      .replace("<description>Tassa rifiuti 2026</description>", `<description>${text(140)}</description>`)
      .replaceAll(PLACEHOLDER, "&#128512;");
    expect(body.length).to.be.within(250_000, MIN_SOAP_BODY_BYTES);

    expectOk(await postSoap(small, body, "paSendRTV2"), "paSendRTV2Response");
    const stored = await readReceipt(t, "rcpt-largest");
    expect(stored!.flags).to.deep.equal([]);
    expect(stored!.receipt.description).to.equal("\u{1F600}".repeat(140));
    const restBody = JSON.stringify(makePlan(30000, 5));
    expect(restBody.length).to.be.above(1024);
    expect((await small.http.post(`/v1/organizations/${EC}/debtpositions`).set(KEY_HEADER, ADMIN_KEY).set("content-type", "application/json").send(restBody)).status).to.equal(413);
  });

  it("answers PAA_SINTASSI_XSD for a transfer carrying both an IBAN and an MBDAttachment", async () => {
    const transfers = [{ idTransfer: 1, transferAmount: "16.00", fiscalCodePA: EC, IBAN: "IT60X0542811101000000123456", MBDAttachment: MBD, remittanceInformation: "x", transferCategory: "0115103TS" }];
    const r = await postSoap(t, receiptRequest({ receiptId: "rcpt-both", nav: "302000000001234559", iuv: "02000000001234559", amount: "16.00", v2: true, transfers }), "paSendRTV2");
    expectFault(r, "PAA_SINTASSI_XSD", "paSendRTV2Response");
  });

  it("keeps paymentNote, primaryCiIncurredFee, idBundle, idCiBundle and transfer metadata in the stored receipt", async () => {
    const created = await createPosition(t, makePosition(), { toPublish: true });
    const { nav, iuv } = created.paymentOption[0];
    const transfers = [
      {
        idTransfer: 1,
        transferAmount: "100.00",
        fiscalCodePA: EC,
        companyName: "Comune di Esempio",
        IBAN: "IT60X0542811101000000123456",
        remittanceInformation: "Tassa rifiuti",
        transferCategory: "0101100IM",
        metadata: { mapEntry: [{ key: "capitolo", value: "1234" }] },
      },
    ];
    const body = receiptRequest({
      receiptId: "rcpt-v2-extras",
      nav,
      iuv,
      amount: "100.00",
      v2: true,
      transfers,
      afterPaymentMethod: { paymentNote: "cart-0001" },
      afterFee: { primaryCiIncurredFee: "0.50", idBundle: "bundle-1", idCiBundle: "ci-bundle-2" },
      extra: { metadata: { mapEntry: [{ key: "codiceContribuente", value: "C-000123" }] }, standIn: false },
    });
    expectOk(await postSoap(t, body, "paSendRTV2"), "paSendRTV2Response");
    const stored = await readReceipt(t, "rcpt-v2-extras");
    expect(stored!.receipt).to.include({ paymentNote: "cart-0001", fee: 100, primaryCiIncurredFee: 50, idBundle: "bundle-1", idCiBundle: "ci-bundle-2", standIn: false });
    expect(stored!.receipt.metadata).to.deep.equal({ mapEntry: [{ key: "codiceContribuente", value: "C-000123" }] });
    const [transfer] = (stored!.receipt.transferList as { transfer: Record<string, unknown>[] }).transfer;
    expect(transfer!.metadata).to.deep.equal({ mapEntry: [{ key: "capitolo", value: "1234" }] });
    expect(stored!.flags).to.deep.equal([]);
  });

  it("answers PAA_SINTASSI_XSD on V1 for a transfer paid with an MBDAttachment (V1 knows only IBAN)", async () => {
    const transfers = [{ idTransfer: 1, transferAmount: "16.00", fiscalCodePA: EC, MBDAttachment: MBD, remittanceInformation: "x", transferCategory: "0115103TS" }];
    const r = await postSoap(t, receiptRequest({ receiptId: "rcpt-v1-mbd", nav: "302000000001234559", iuv: "02000000001234559", amount: "16.00", transfers }), "paSendRT");
    expect(expectFault(r, "PAA_SINTASSI_XSD", "paSendRTRes").description).to.include("IBAN");
  });
});
