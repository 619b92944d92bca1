/**
 * Every REST change of a position writes exactly one event, of its type, in the change's transaction: the
 * payload tells the position after the change (before it, for DELETED), the sequence follows the position's
 * earlier events, and a request that fails writes nothing.
 */
import { expect } from "chai";
import { EC, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makeOption, makePosition, makeTransfer } from "../support/factories.ts";
import { CO_OBLIGOR, makeOptionV3, makePositionV3 } from "../support/factoriesV3.ts";
import { api, createPosition, positionPath, positionsPath } from "../support/rest.ts";
import { demandBody, loadCatalogue } from "../spontaneous/support.ts";
import { outboxEvents, typesOf, type OutboxEvent } from "../store/outbox.ts";

const noticesOf = (event: OutboxEvent) => event.payload.notices as Array<Record<string, unknown>>;

/** The position's events are one sequence, 1, 2, 3… in the order written, all on the same position row. */
function expectOneSequence(events: readonly OutboxEvent[]): void {
  expect(events.map((e) => e.sequence)).to.deep.equal(events.map((_, i) => i + 1));
  expect(new Set(events.map((e) => e.positionId)).size).to.equal(1);
}

describe("REST changes write their events", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  it("create (a draft), publish, update, invalidate: one event each, in one sequence", async () => {
    const input = makePosition({ validityDate: "2098-01-01T00:00:00Z" });
    await createPosition(t, input);
    expect((await api(t).post(`${positionPath(input.iupd)}/publish`)).status).to.equal(200);
    const changed = { ...input, companyName: "Comune di Altrove", paymentOption: [makeOption({ amount: 25000, description: "Nuova rata" })] };
    expect((await api(t).put(positionPath(input.iupd), changed)).status).to.equal(200);
    expect((await api(t).post(`${positionPath(input.iupd)}/invalidate`)).status).to.equal(200);

    const events = await outboxEvents(input.iupd);
    expect(typesOf(events)).to.deep.equal(["CREATED", "PUBLISHED", "UPDATED", "INVALIDATED"]);
    expectOneSequence(events);
    expect(events.map((e) => e.payload.positionStatus)).to.deep.equal(["DRAFT", "PUBLISHED", "PUBLISHED", "INVALID"]);
    expect(events.every((e) => e.aca && e.aggregateType === "position" && e.aggregateId === input.iupd)).to.equal(true);
    expect(events[0]!.payload).to.deep.equal({
      positionStatus: "DRAFT",
      companyName: "Comune di Esempio",
      notices: [{
        noticeNumber: `3${input.paymentOption[0]!.iuv}`, iuv: input.paymentOption[0]!.iuv, amount: 10000, dueDate: "2099-12-31T22:59:59.000Z",
        description: "Tassa rifiuti rata unica", debtorType: "F", debtorFiscalCode: "RSSMRA80A01H501U", debtorFullName: "Mario Rossi",
      }],
    });
    expect(events[2]!.payload.companyName).to.equal("Comune di Altrove");
    expect(noticesOf(events[2]!).map((n) => [n.iuv, n.amount, n.description])).to.deep.equal([[changed.paymentOption[0]!.iuv, 25000, "Nuova rata"]]);
  });

  it("publish of a position payable at once writes VALID alone; a create already published writes CREATED alone", async () => {
    const draft = makePosition();
    await createPosition(t, draft);
    await api(t).post(`${positionPath(draft.iupd)}/publish`);
    expect((await outboxEvents(draft.iupd)).map((e) => [e.type, e.payload.positionStatus])).to.deep.equal([["CREATED", "DRAFT"], ["VALID", "VALID"]]);
    const published = makePosition();
    await createPosition(t, published, { toPublish: true });
    expect((await outboxEvents(published.iupd)).map((e) => [e.type, e.payload.positionStatus])).to.deep.equal([["CREATED", "VALID"]]);
  });

  it("delete writes DELETED with the notices the position had", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    expect((await api(t).delete(positionPath(input.iupd))).status).to.equal(200);
    const events = await outboxEvents(input.iupd);
    expect(typesOf(events)).to.deep.equal(["CREATED", "DELETED"]);
    expectOneSequence(events);
    expect(events[1]!.payload).to.deep.include({ positionStatus: "VALID" });
    expect(noticesOf(events[1]!).map((n) => n.iuv)).to.deep.equal([input.paymentOption[0]!.iuv]);
  });

  it("a refused change writes nothing", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    expect((await api(t).post(`${positionPath(input.iupd)}/publish`)).status).to.equal(409);
    expect((await api(t).post(positionsPath(), input)).status).to.equal(409);
    expect(typesOf(await outboxEvents())).to.deep.equal(["CREATED"]);
  });

  it("bulk create, bulk update and bulk delete write one event per position", async () => {
    const inputs = [makePosition(), makePosition(), makePosition()];
    expect((await api(t).post("/v2/organizations/77777777777/debtpositions", { paymentPositions: inputs })).status).to.equal(201);
    expect((await api(t).put("/v2/organizations/77777777777/debtpositions", { paymentPositions: inputs.map((p) => ({ ...p, companyName: "Comune Nuovo" })) })).status).to.equal(200);
    expect((await api(t).delete("/v2/organizations/77777777777/debtpositions", { paymentPositionIUPDs: inputs.map((p) => p.iupd) })).status).to.equal(200);
    for (const input of inputs) {
      const events = await outboxEvents(input.iupd);
      expect(typesOf(events)).to.deep.equal(["CREATED", "UPDATED", "DELETED"]);
      expectOneSequence(events);
      expect(events[1]!.payload.companyName).to.equal("Comune Nuovo");
    }
  });

  it("v3 create and update name each notice's own debtor (co-obligors)", async () => {
    const input = makePositionV3([1, 2]);
    input.paymentOption[1] = makeOptionV3(30000, 2, { debtor: CO_OBLIGOR, description: "Piano del coobbligato" });
    expect((await api(t).post(`/v3/organizations/${EC}/debtpositions?toPublish=true`, input)).status).to.equal(201);
    expect((await api(t).put(`/v3/organizations/${EC}/debtpositions/${input.iupd}`, { ...input, companyName: "Comune V3" })).status).to.equal(200);
    const events = await outboxEvents(input.iupd);
    expect(typesOf(events)).to.deep.equal(["CREATED", "UPDATED"]);
    expectOneSequence(events);
    expect(noticesOf(events[0]!).map((n) => n.debtorFiscalCode)).to.deep.equal(["RSSMRA80A01H501U", CO_OBLIGOR.fiscalCode, CO_OBLIGOR.fiscalCode]);
    expect(events[1]!.payload.companyName).to.equal("Comune V3");
  });

  it("an IBAN change writes UPDATED for each position whose transfers changed, none for the others", async () => {
    const oldIban = "IT60X0542811101000000999999";
    const touched = makePosition({ paymentOption: [makeOption({ transfer: [makeTransfer({ iban: oldIban })] })] });
    const untouched = makePosition();
    await createPosition(t, touched, { toPublish: true });
    await createPosition(t, untouched, { toPublish: true });
    const res = await api(t).patch(`/v1/organizations/${EC}/debtpositions/transfers?oldIban=${oldIban}`, { newIban: "IT60X0542811101000000111111" });
    expect(res.status, res.text).to.equal(200);
    expect(typesOf(await outboxEvents(touched.iupd))).to.deep.equal(["CREATED", "UPDATED"]);
    expect(typesOf(await outboxEvents(untouched.iupd))).to.deep.equal(["CREATED"]);
  });

  it("a notification fee writes UPDATED with the notice's new amount", async () => {
    const input = makePosition();
    const created = await createPosition(t, input, { toPublish: true });
    const res = await api(t).put(`/v1/organizations/${EC}/paymentoptions/${created.paymentOption[0].nav}/notificationfee`, { notificationFee: 150 });
    expect(res.status, res.text).to.equal(200);
    const events = await outboxEvents(input.iupd);
    expect(typesOf(events)).to.deep.equal(["CREATED", "UPDATED"]);
    expect(noticesOf(events[1]!)[0]!.amount).to.equal(10150);
  });

  it("marking an option paid outside pagoPA writes PAID without a receipt id", async () => {
    const input = makePosition();
    const created = await createPosition(t, input, { toPublish: true });
    const nav = created.paymentOption[0].nav;
    expect((await api(t).post(`/v1/organizations/${EC}/paymentoptions/paids/${nav}`, { paymentDate: "2026-11-20T10:00:00Z" })).status).to.equal(200);
    const events = await outboxEvents(input.iupd);
    expect(typesOf(events)).to.deep.equal(["CREATED", "PAID"]);
    expect(events[1]!.payload).to.deep.equal({ positionStatus: "PAID", noticeNumber: nav, iuv: input.paymentOption[0]!.iuv, amount: 10000, receiptId: null });
  });

  it("GPD's pay call writes PAID without a receipt id, like any payment outside pagoPA", async () => {
    const input = makePosition();
    const created = await createPosition(t, input, { toPublish: true });
    const nav = created.paymentOption[0].nav;
    const res = await api(t).post(`/v1/organizations/${EC}/paymentoptions/${nav}/pay`, { paymentDate: "2026-11-20T10:00:00", paymentMethod: "creditCard", pspCompany: "Banca Uno", idReceipt: "rcpt-42" });
    expect(res.status, res.text).to.equal(200);
    expect((await outboxEvents(input.iupd)).map((e) => [e.type, e.payload.receiptId])).to.deep.equal([["CREATED", undefined], ["PAID", null]]);
  });

  it("a full replace keeps a spontaneous position spontaneous: its UPDATED stays off the ACA feed too", async () => {
    const input = makePosition();
    await createPosition(t, input, { toPublish: true });
    await (await testDatabase()).query("UPDATE payment_position SET spontaneous = true WHERE iupd = $1", [input.iupd]);
    expect((await api(t).put(positionPath(input.iupd), { ...input, companyName: "Comune Nuovo" })).status).to.equal(200);
    expect((await outboxEvents(input.iupd)).map((e) => [e.type, e.aca])).to.deep.equal([["CREATED", true], ["UPDATED", false]]);
  });

  it("a spontaneous demand writes CREATED, kept off the ACA feed", async () => {
    await loadCatalogue(t);
    const res = await api(t).post(`/v1/organizations/${EC}/spontaneouspayments`, demandBody());
    expect(res.status, res.text).to.equal(201);
    const events = await outboxEvents(res.body.iupd);
    expect(events.map((e) => [e.type, e.aca, e.payload.positionStatus])).to.deep.equal([["CREATED", false, "VALID"]]);
  });
});
