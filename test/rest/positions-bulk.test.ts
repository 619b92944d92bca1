import { expect } from "chai";
import type { PositionInput } from "../../src/domain/position.ts";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makeOption, makePosition, makeTransfer, nextNotice } from "../support/factories.ts";
import { testDatabase } from "../support/db.ts";
import { expectProblem, lockOption, payOption, rowCounts, rowsOf } from "./helpers.ts";
import { api, createPosition, positionPath, positionsPath } from "../support/rest.ts";

const v2 = (ec = EC, prefix = "/v2") => positionsPath(ec, prefix);
const EMPTY = { positions: 0, options: 0, transfers: 0 };

/** Rows per table counted with SQL for one EC (bulk requests must write all of a batch or none of it). */
async function countsOf(ec: string) {
  const db = await testDatabase();
  const [row] = await db.query<{ positions: number; options: number; transfers: number }>(
    `SELECT (SELECT count(*) FROM payment_position WHERE organization_fiscal_code = $1)::int AS positions,
            (SELECT count(*) FROM payment_option WHERE organization_fiscal_code = $1)::int AS options,
            (SELECT count(*) FROM transfer t JOIN payment_option o ON o.id = t.payment_option_id WHERE o.organization_fiscal_code = $1)::int AS transfers`,
    [ec],
  );
  return row!;
}

describe("bulk positions (/v2/organizations/{ec}/debtpositions)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  describe("POST (create up to 500, all or nothing)", () => {
    it("creates every position of the batch as DRAFT and answers 201", async () => {
      const batch = [makePosition(), makePosition({ paymentOption: [makeOption(), makeOption({ isPartialPayment: true, amount: 5000, transfer: [makeTransfer({ amount: 5000 })] }), makeOption({ isPartialPayment: true, amount: 5000, transfer: [makeTransfer({ amount: 5000 })] })] }), makePosition()];
      const res = await api(t).post(v2(), { paymentPositions: batch });
      expect(res.status, res.text).to.equal(201);
      for (const input of batch) {
        const read = await api(t).get(positionPath(input.iupd));
        expect(read.status).to.equal(200);
        expect(read.body.status).to.equal("DRAFT");
        expect(read.body.paymentOption.map((o: { iuv: string }) => o.iuv)).to.deep.equal(input.paymentOption.map((o) => o.iuv));
      }
      expect(await countsOf(EC)).to.deep.equal(rowsOf(...batch));
    });

    it("publishes every position of the batch with toPublish=true", async () => {
      const batch = [makePosition(), makePosition({ validityDate: "2098-01-01T00:00:00Z" })];
      expect((await api(t).post(`${v2()}?toPublish=true`, { paymentPositions: batch })).status).to.equal(201);
      expect((await api(t).get(positionPath(batch[0]!.iupd))).body.status).to.equal("VALID");
      expect((await api(t).get(positionPath(batch[1]!.iupd))).body.status).to.equal("PUBLISHED");
    });

    it("creates under the /gpd/debt-positions-service/v2 prefix too, with an EC key", async () => {
      const batch = [makePosition(), makePosition()];
      const res = await api(t, EC_KEY).post(v2(EC, "/gpd/debt-positions-service/v2"), { paymentPositions: batch });
      expect(res.status, res.text).to.equal(201);
      expect(await countsOf(EC)).to.deep.equal(rowsOf(...batch));
    });

    it("creates a batch of 500 positions", async () => {
      const batch = Array.from({ length: 500 }, () => makePosition());
      const res = await api(t).post(v2(), { paymentPositions: batch });
      expect(res.status, res.text).to.equal(201);
      expect(await countsOf(EC)).to.deep.equal({ positions: 500, options: 500, transfers: 500 });
    });

    it("refuses a batch of 501 positions with 400 and writes nothing", async () => {
      const batch = Array.from({ length: 501 }, () => makePosition());
      expectProblem(await api(t).post(v2(), { paymentPositions: batch }), 400, "paymentPositions");
      expect(await rowCounts()).to.deep.equal(EMPTY);
    });

    it("refuses an empty batch and a body without paymentPositions", async () => {
      expectProblem(await api(t).post(v2(), { paymentPositions: [] }), 400, "paymentPositions");
      expectProblem(await api(t).post(v2(), {}), 400, "paymentPositions");
      expectProblem(await api(t).post(v2(), makePosition()), 400, "paymentPositions");
    });

    it("writes nothing when one position of the batch breaks a rule, and names it with its index", async () => {
      const bad = makePosition({ paymentOption: [makeOption({ amount: 10000, transfer: [makeTransfer({ amount: 9000 })] })] });
      const res = await api(t).post(v2(), { paymentPositions: [makePosition(), makePosition(), bad, makePosition()] });
      expectProblem(res, 422, "paymentPositions[2].paymentOption[0].amount");
      expect(await countsOf(EC)).to.deep.equal(EMPTY);
    });

    it("writes nothing when one position of the batch breaks the schema, and names it with its index", async () => {
      const bad = { ...makePosition(), fiscalCode: "" };
      const res = await api(t).post(v2(), { paymentPositions: [makePosition(), bad] });
      expectProblem(res, 400, "paymentPositions[1].fiscalCode");
      expect(await countsOf(EC)).to.deep.equal(EMPTY);
    });

    it("refuses an IUPD repeated within the batch with 422 and writes nothing", async () => {
      const first = makePosition();
      const res = await api(t).post(v2(), { paymentPositions: [first, makePosition(), makePosition({ iupd: first.iupd })] });
      expectProblem(res, 422, "paymentPositions[2].iupd");
      expect(await rowCounts()).to.deep.equal(EMPTY);
    });

    it("refuses an IUV repeated across positions of the batch with 422, naming the second one, and writes nothing", async () => {
      const first = makePosition();
      const second = makePosition({ paymentOption: [makeOption(), makeOption({ iuv: first.paymentOption[0]!.iuv })] });
      const res = await api(t).post(v2(), { paymentPositions: [makePosition(), first, second] });
      expectProblem(res, 422, "paymentPositions[2].paymentOption[1].iuv");
      expect(res.body.detail).to.include("paymentPositions[1]");
      expect(await rowCounts()).to.deep.equal(EMPTY);
    });

    it("refuses a notice number repeated across positions of the batch, and writes nothing", async () => {
      const { iuv, nav } = nextNotice();
      const batch = [makePosition({ paymentOption: [makeOption({ iuv, nav })] }), makePosition({ paymentOption: [makeOption({ iuv, nav })] })];
      const res = await api(t).post(v2(), { paymentPositions: batch });
      expectProblem(res, 422, "paymentPositions[1].paymentOption[0].iuv");
      expect(await rowCounts()).to.deep.equal(EMPTY);
    });

    it("refuses a batch with an IUPD the EC already has with 409 and writes none of it", async () => {
      const existing = makePosition();
      await createPosition(t, existing);
      const res = await api(t).post(v2(), { paymentPositions: [makePosition(), makePosition({ iupd: existing.iupd }), makePosition()] });
      expectProblem(res, 409, "paymentPositions[1].iupd");
      expect(res.body.detail).to.include(existing.iupd);
      expect(await countsOf(EC)).to.deep.equal(rowsOf(existing));
    });

    it("refuses an EC key on another EC with 403 and writes nothing", async () => {
      expectProblem(await api(t, EC_KEY).post(v2(OTHER_EC), { paymentPositions: [makePosition()] }), 403, undefined);
      expect(await rowCounts()).to.deep.equal(EMPTY);
    });
  });

  describe("PUT (replace up to 500, all or nothing)", () => {
    /** New content for existing positions. */
    const replaced = (input: PositionInput) => makePosition({ iupd: input.iupd, fullName: "Maria Bianchi" });

    it("replaces every position of the batch and answers 200; published ones stay published", async () => {
      const draft = makePosition();
      const valid = makePosition();
      await createPosition(t, draft);
      await createPosition(t, valid, { toPublish: true });
      const batch = [replaced(draft), replaced(valid)];
      const res = await api(t).put(v2(), { paymentPositions: batch });
      expect(res.status, res.text).to.equal(200);
      const [readDraft, readValid] = await Promise.all([api(t).get(positionPath(draft.iupd)), api(t).get(positionPath(valid.iupd))]);
      expect(readDraft.body.fullName).to.equal("Maria Bianchi");
      expect(readDraft.body.status).to.equal("DRAFT");
      expect(readDraft.body.paymentOption[0].iuv).to.equal(batch[0]!.paymentOption[0]!.iuv);
      expect(readValid.body.status).to.equal("VALID");
      expect(await countsOf(EC)).to.deep.equal(rowsOf(...batch));
    });

    it("replaces under the /gpd/debt-positions-service/v2 prefix too", async () => {
      const input = makePosition();
      await createPosition(t, input);
      expect((await api(t).put(v2(EC, "/gpd/debt-positions-service/v2"), { paymentPositions: [replaced(input)] })).status).to.equal(200);
      expect((await api(t).get(positionPath(input.iupd))).body.fullName).to.equal("Maria Bianchi");
    });

    /** Creates two positions and returns them with how they read now. */
    async function seedTwo() {
      const inputs = [makePosition(), makePosition()];
      for (const input of inputs) await createPosition(t, input, { toPublish: true });
      const before = await Promise.all(inputs.map(async (i) => (await api(t).get(positionPath(i.iupd))).body));
      return { inputs, before };
    }
    async function expectAsBefore(inputs: PositionInput[], before: unknown[], rows: Awaited<ReturnType<typeof rowCounts>>) {
      for (const [i, input] of inputs.entries()) expect((await api(t).get(positionPath(input.iupd))).body).to.deep.equal(before[i]);
      expect(await rowCounts()).to.deep.equal(rows);
    }

    it("changes nothing when one IUPD of the batch does not exist (404)", async () => {
      const { inputs, before } = await seedTwo();
      const rows = await rowCounts();
      const res = await api(t).put(v2(), { paymentPositions: [replaced(inputs[0]!), makePosition(), replaced(inputs[1]!)] });
      expectProblem(res, 404, undefined);
      await expectAsBefore(inputs, before, rows);
    });

    it("changes nothing when one position of the batch is PAID (409)", async () => {
      const { inputs, before } = await seedTwo();
      const option = inputs[1]!.paymentOption[0]!;
      await payOption(t, { nav: `3${option.iuv}`, iuv: option.iuv, amount: option.amount }, "rcpt-bulk-put");
      before[1] = (await api(t).get(positionPath(inputs[1]!.iupd))).body;
      const rows = await rowCounts();
      const res = await api(t).put(v2(), { paymentPositions: inputs.map(replaced) });
      expectProblem(res, 409, undefined);
      expect(res.body.code).to.equal("notEditable");
      await expectAsBefore(inputs, before, rows);
    });

    it("changes nothing when one position of the batch has a payment in progress (409)", async () => {
      const { inputs, before } = await seedTwo();
      await lockOption(t, `3${inputs[1]!.paymentOption[0]!.iuv}`);
      before[1] = (await api(t).get(positionPath(inputs[1]!.iupd))).body;
      const rows = await rowCounts();
      const res = await api(t).put(v2(), { paymentPositions: inputs.map(replaced) });
      expectProblem(res, 409, undefined);
      expect(res.body.code).to.equal("locked");
      await expectAsBefore(inputs, before, rows);
    });

    it("changes nothing when one position of the batch breaks a rule (422, named with its index)", async () => {
      const { inputs, before } = await seedTwo();
      const rows = await rowCounts();
      const bad = makePosition({ iupd: inputs[1]!.iupd, paymentOption: [makeOption({ retentionDate: "2000-01-01T00:00:00Z" })] });
      const res = await api(t).put(v2(), { paymentPositions: [replaced(inputs[0]!), bad] });
      expectProblem(res, 422, "paymentPositions[1].paymentOption[0].retentionDate");
      await expectAsBefore(inputs, before, rows);
    });

    it("changes nothing when a new IUV collides with a position outside the batch (409), though earlier positions were already replaced", async () => {
      const { inputs, before } = await seedTwo();
      const outside = makePosition();
      await createPosition(t, outside);
      const beforeOutside = (await api(t).get(positionPath(outside.iupd))).body;
      const rows = await rowCounts();
      const clash = makePosition({ iupd: inputs[1]!.iupd, paymentOption: [makeOption({ iuv: outside.paymentOption[0]!.iuv })] });
      const res = await api(t).put(v2(), { paymentPositions: [replaced(inputs[0]!), clash] });
      expectProblem(res, 409, "paymentPositions[1].paymentOption[0].iuv");
      await expectAsBefore([...inputs, outside], [...before, beforeOutside], rows);
    });

    it("changes nothing when two positions of the batch take the same new IUV (422)", async () => {
      const { inputs, before } = await seedTwo();
      const rows = await rowCounts();
      const first = replaced(inputs[0]!);
      const second = makePosition({ iupd: inputs[1]!.iupd, paymentOption: [makeOption({ iuv: first.paymentOption[0]!.iuv })] });
      const res = await api(t).put(v2(), { paymentPositions: [first, second] });
      expectProblem(res, 422, "paymentPositions[1].paymentOption[0].iuv");
      await expectAsBefore(inputs, before, rows);
    });

    it("lets a position of the batch take an IUV another position of the same batch gives up", async () => {
      const { inputs } = await seedTwo();
      const swapped = [
        makePosition({ iupd: inputs[0]!.iupd, paymentOption: [makeOption({ iuv: inputs[1]!.paymentOption[0]!.iuv })] }),
        makePosition({ iupd: inputs[1]!.iupd, paymentOption: [makeOption({ iuv: inputs[0]!.paymentOption[0]!.iuv })] }),
      ];
      const res = await api(t).put(v2(), { paymentPositions: swapped });
      expect(res.status, res.text).to.equal(200);
      expect((await api(t).get(positionPath(inputs[0]!.iupd))).body.paymentOption[0].iuv).to.equal(inputs[1]!.paymentOption[0]!.iuv);
    });

    it("refuses an IUPD repeated within the batch with 422", async () => {
      const { inputs, before } = await seedTwo();
      const rows = await rowCounts();
      const res = await api(t).put(v2(), { paymentPositions: [replaced(inputs[0]!), replaced(inputs[0]!)] });
      expectProblem(res, 422, "paymentPositions[1].iupd");
      await expectAsBefore(inputs, before, rows);
    });

    it("refuses a batch of 501 positions with 400", async () => {
      const batch = Array.from({ length: 501 }, () => makePosition());
      expectProblem(await api(t).put(v2(), { paymentPositions: batch }), 400, "paymentPositions");
    });

    it("refuses an EC key on another EC with 403", async () => {
      const input = makePosition();
      await createPosition(t, input, { ec: OTHER_EC });
      expectProblem(await api(t, EC_KEY).put(v2(OTHER_EC), { paymentPositions: [replaced(input)] }), 403, undefined);
      expect((await api(t).get(positionPath(input.iupd, OTHER_EC))).body.fullName).to.equal("Mario Rossi");
    });
  });

  describe("DELETE (delete up to 500, all or nothing)", () => {
    it("deletes the listed positions and answers 200 \"OK\"", async () => {
      const inputs = [makePosition(), makePosition(), makePosition()];
      for (const input of inputs) await createPosition(t, input);
      const res = await api(t).delete(v2(), { paymentPositionIUPDs: [inputs[0]!.iupd, inputs[2]!.iupd] });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.equal("OK");
      expect(await countsOf(EC)).to.deep.equal(rowsOf(inputs[1]!));
      expect((await api(t).get(positionPath(inputs[1]!.iupd))).status).to.equal(200);
    });

    it("deletes under the /gpd/debt-positions-service/v2 prefix too", async () => {
      const input = makePosition();
      await createPosition(t, input);
      expect((await api(t).delete(v2(EC, "/gpd/debt-positions-service/v2"), { paymentPositionIUPDs: [input.iupd] })).status).to.equal(200);
      expect(await rowCounts()).to.deep.equal(EMPTY);
    });

    it("deletes nothing when one IUPD does not exist (404)", async () => {
      const inputs = [makePosition(), makePosition()];
      for (const input of inputs) await createPosition(t, input);
      const res = await api(t).delete(v2(), { paymentPositionIUPDs: [inputs[0]!.iupd, "NO-SUCH-IUPD", inputs[1]!.iupd] });
      expectProblem(res, 404, undefined);
      expect(res.body.detail).to.include("NO-SUCH-IUPD");
      expect(await countsOf(EC)).to.deep.equal(rowsOf(...inputs));
    });

    it("deletes nothing when one position has a payment in progress (409)", async () => {
      const inputs = [makePosition(), makePosition()];
      for (const input of inputs) await createPosition(t, input, { toPublish: true });
      await lockOption(t, `3${inputs[1]!.paymentOption[0]!.iuv}`);
      const res = await api(t).delete(v2(), { paymentPositionIUPDs: inputs.map((i) => i.iupd) });
      expectProblem(res, 409, undefined);
      expect(await countsOf(EC)).to.deep.equal(rowsOf(...inputs));
    });

    it("deletes nothing when one position is INVALID (409)", async () => {
      const inputs = [makePosition(), makePosition()];
      for (const input of inputs) await createPosition(t, input, { toPublish: true });
      expect((await api(t).post(`${positionPath(inputs[0]!.iupd)}/invalidate`)).status).to.equal(200);
      expectProblem(await api(t).delete(v2(), { paymentPositionIUPDs: inputs.map((i) => i.iupd).reverse() }), 409, undefined);
      expect(await countsOf(EC)).to.deep.equal(rowsOf(...inputs));
    });

    it("refuses a repeated IUPD, an empty list and more than 500 IUPDs with 400", async () => {
      const input = makePosition();
      await createPosition(t, input);
      expectProblem(await api(t).delete(v2(), { paymentPositionIUPDs: [input.iupd, input.iupd] }), 400, "paymentPositionIUPDs");
      expectProblem(await api(t).delete(v2(), { paymentPositionIUPDs: [] }), 400, "paymentPositionIUPDs");
      expectProblem(await api(t).delete(v2(), { paymentPositionIUPDs: Array.from({ length: 501 }, (_, i) => `IUPD-${i}`) }), 400, "paymentPositionIUPDs");
      expectProblem(await api(t).delete(v2(), { paymentPositionIUPDs: [""] }), 400, "paymentPositionIUPDs[0]");
      expectProblem(await api(t).delete(v2()), 400, "(body)");
      expect(await rowCounts()).to.deep.equal(rowsOf(input));
    });

    it("deletes a batch of 500 positions", async () => {
      const batch = Array.from({ length: 500 }, () => makePosition());
      expect((await api(t).post(v2(), { paymentPositions: batch })).status).to.equal(201);
      const res = await api(t).delete(v2(), { paymentPositionIUPDs: batch.map((p) => p.iupd) });
      expect(res.status, res.text).to.equal(200);
      expect(await rowCounts()).to.deep.equal(EMPTY);
    });

    it("refuses an EC key on another EC with 403 and deletes nothing", async () => {
      const input = makePosition();
      await createPosition(t, input, { ec: OTHER_EC });
      expectProblem(await api(t, EC_KEY).delete(v2(OTHER_EC), { paymentPositionIUPDs: [input.iupd] }), 403, undefined);
      expect(await countsOf(OTHER_EC)).to.deep.equal(rowsOf(input));
    });
  });
});
