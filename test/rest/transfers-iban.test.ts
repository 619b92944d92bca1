import { expect } from "chai";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makeOption, makePlan, makePosition, makeTransfer } from "../support/factories.ts";
import { expectProblem, expectValid, lockOption, payOption } from "./helpers.ts";
import { api, createPosition, positionPath } from "../support/rest.ts";

const OLD = "IT60X0542811101000000123456";
const NEW = "IT02L1234512345123456789012";

describe("PATCH /v1/organizations/{ec}/debtpositions/transfers?oldIban=&limit= (change an IBAN across unpaid transfers)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  const patch = (query: string, body: unknown, ec = EC, key?: string) => api(t, key).patch(`/v1/organizations/${ec}/debtpositions/transfers${query}`, body);
  const ibansOf = async (iupd: string) =>
    ((await api(t).get(positionPath(iupd))).body.paymentOption as Array<{ transfer: Array<{ iban?: string }> }>).flatMap((o) => o.transfer.map((tr) => tr.iban));

  it("changes the IBAN of unpaid transfers of draft, published and valid positions, answering how many as GPD", async () => {
    const draft = makePosition();
    const valid = makePosition({ paymentOption: [makeOption({ amount: 300, transfer: [makeTransfer({ amount: 100 }), makeTransfer({ idTransfer: "2", amount: 200, iban: "IT60X0542811101000000999999" })] })] });
    await createPosition(t, draft);
    await createPosition(t, valid, { toPublish: true });
    const res = await patch(`?oldIban=${OLD}`, { newIban: NEW });
    expect(res.status, res.text).to.equal(200);
    expectValid("iban-change-response", res.body);
    expect(res.body).to.deep.equal({ description: "Updated IBAN on 2 Transfers", updatedTransfers: 2 });
    expect(await ibansOf(draft.iupd)).to.deep.equal([NEW]);
    expect(await ibansOf(valid.iupd)).to.deep.equal([NEW, "IT60X0542811101000000999999"]);
  });

  it("leaves paid options, options being paid, invalid positions and other ECs alone", async () => {
    const paid = makePosition();
    const createdPaid = await createPosition(t, paid, { toPublish: true });
    await payOption(t, createdPaid.paymentOption[0], "rcpt-iban");
    const locked = makePosition();
    const createdLocked = await createPosition(t, locked, { toPublish: true });
    await lockOption(t, createdLocked.paymentOption[0].nav);
    const invalid = makePosition();
    await createPosition(t, invalid, { toPublish: true });
    await api(t).post(`${positionPath(invalid.iupd)}/invalidate`);
    const other = makePosition();
    await createPosition(t, other, { ec: OTHER_EC });
    const res = await patch(`?oldIban=${OLD}`, { newIban: NEW });
    expect(res.body.updatedTransfers).to.equal(0);
    for (const iupd of [paid.iupd, locked.iupd, invalid.iupd]) expect(await ibansOf(iupd)).to.deep.equal([OLD]);
    expect((await api(t).get(positionPath(other.iupd, OTHER_EC))).body.paymentOption[0].transfer[0].iban).to.equal(OLD);
  });

  it("changes the unpaid installments of a partially paid plan, not the paid one", async () => {
    const plan = makePlan(20000, 2);
    const created = await createPosition(t, plan, { toPublish: true });
    await payOption(t, created.paymentOption[1], "rcpt-iban-plan");
    const res = await patch(`?oldIban=${OLD}`, { newIban: NEW });
    expect(res.body.updatedTransfers).to.equal(2);
    expect(await ibansOf(plan.iupd)).to.deep.equal([NEW, OLD, NEW]);
  });

  it("changes at most limit transfers", async () => {
    for (let i = 0; i < 3; i++) await createPosition(t, makePosition());
    expect((await patch(`?oldIban=${OLD}&limit=2`, { newIban: NEW })).body.updatedTransfers).to.equal(2);
    expect((await patch(`?oldIban=${OLD}&limit=2`, { newIban: NEW })).body.updatedTransfers).to.equal(1);
    expect((await patch(`?oldIban=${OLD}`, { newIban: NEW })).body.updatedTransfers).to.equal(0);
  });

  it("checks no IBAN syntax, as GPD: any code a transfer's iban may hold is taken (\"testIban\")", async () => {
    const input = makePosition({ paymentOption: [makeOption({ transfer: [makeTransfer({ iban: "testIban" })] })] });
    await createPosition(t, input);
    const res = await patch("?oldIban=testIban", { newIban: "otherIban" });
    expect(res.status, res.text).to.equal(200);
    expect(res.body.updatedTransfers).to.equal(1);
    expect(await ibansOf(input.iupd)).to.deep.equal(["otherIban"]);
    expect((await patch("?oldIban=noSuchIban", { newIban: "testIban" })).body).to.deep.equal({ description: "Updated IBAN on 0 Transfers", updatedTransfers: 0 });
  });

  it("refuses a missing oldIban, a bad limit or a bad newIban with 400 naming it", async () => {
    expectProblem(await patch("", { newIban: NEW }), 400, "oldIban");
    expectProblem(await patch(`?oldIban=${OLD}&limit=0`, { newIban: NEW }), 400, "limit");
    expectProblem(await patch(`?oldIban=${OLD}&limit=1001`, { newIban: NEW }), 400, "limit");
    expectProblem(await patch(`?oldIban=${OLD}`, {}), 400, "newIban");
    // a transfer's iban is 1 to 35 letters and digits (GPD's own rule on create): nothing else may replace one
    expectProblem(await patch(`?oldIban=${OLD}`, { newIban: "IT 60" }), 400, "newIban");
    expectProblem(await patch(`?oldIban=${OLD}`, { newIban: "" }), 400, "newIban");
    expectProblem(await patch(`?oldIban=${OLD}`, { newIban: "A".repeat(36) }), 400, "newIban");
  });

  it("asks for a key that reaches the EC", async () => {
    expectProblem(await patch(`?oldIban=${OLD}`, { newIban: NEW }, OTHER_EC, EC_KEY), 403, undefined);
  });
});
