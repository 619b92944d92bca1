import { expect } from "chai";
import type { PositionInput } from "../../src/domain/position.ts";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makeOption, makePlan, makePosition, makeTransfer } from "../support/factories.ts";
import { expectProblem, expectValid, lockOption, payOption, rowCounts, rowsOf } from "./helpers.ts";
import { api, createPosition, positionPath } from "../support/rest.ts";

const noticeOf = (input: PositionInput, i = 0) => {
  const option = input.paymentOption[i]!;
  return { nav: `3${option.iuv}`, iuv: option.iuv, amount: option.amount };
};

describe("PUT /v1/organizations/{ec}/debtpositions/{iupd} (replace a position)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  /** A new content for an existing position: same IUPD, new options. */
  const replacement = (input: PositionInput, overrides: Partial<PositionInput> = {}) =>
    makePosition({ iupd: input.iupd, fullName: "Maria Bianchi", companyName: "Comune Nuovo", ...overrides });

  /** Asserts the position reads exactly as before and the tables hold what they held. */
  async function expectUnchanged(iupd: string, before: unknown, rows: Awaited<ReturnType<typeof rowCounts>>) {
    const read = await api(t).get(positionPath(iupd));
    expect(read.body).to.deep.equal(before);
    expect(await rowCounts()).to.deep.equal(rows);
  }

  describe("happy paths", () => {
    it("replaces the whole content: debtor, options and transfers, old rows gone", async () => {
      const input = makePlan(30000, 2);
      await createPosition(t, input);
      const next = replacement(input, { paymentOption: [makeOption({ amount: 500, transfer: [makeTransfer({ amount: 200 }), makeTransfer({ idTransfer: "2", amount: 300 })] })] });
      const res = await api(t).put(positionPath(input.iupd), next);
      expect(res.status, res.text).to.equal(200);
      expectValid("position-response", res.body);
      expect(res.body.fullName).to.equal("Maria Bianchi");
      expect(res.body.companyName).to.equal("Comune Nuovo");
      expect(res.body.paymentOption).to.have.length(1);
      expect(res.body.paymentOption[0].iuv).to.equal(next.paymentOption[0]!.iuv);
      expect(res.body.paymentOption[0].transfer.map((x: { amount: number }) => x.amount)).to.deep.equal([200, 300]);
      expect(await rowCounts()).to.deep.equal(rowsOf(next));
      const read = await api(t).get(positionPath(input.iupd));
      expect(read.body).to.deep.equal(res.body);
    });

    it("frees the IUVs of the old content and may reuse them", async () => {
      const input = makePosition();
      await createPosition(t, input);
      const again = replacement(input, { paymentOption: [makeOption({ iuv: input.paymentOption[0]!.iuv, amount: 4200, transfer: [makeTransfer({ amount: 4200 })] })] });
      const res = await api(t).put(positionPath(input.iupd), again);
      expect(res.status, res.text).to.equal(200);
      expect(res.body.paymentOption[0].amount).to.equal(4200);
      expect(res.body.paymentOption[0].iuv).to.equal(input.paymentOption[0]!.iuv);
    });

    it("keeps the insertion date and moves the last update date forward", async () => {
      const input = makePosition();
      const created = await createPosition(t, input);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const res = await api(t).put(positionPath(input.iupd), replacement(input));
      expect(res.status, res.text).to.equal(200);
      expect(res.body.insertedDate).to.equal(created.insertedDate);
      expect(new Date(res.body.lastUpdatedDate).getTime()).to.be.greaterThan(new Date(created.lastUpdatedDate).getTime());
    });

    it("keeps a DRAFT a DRAFT without toPublish", async () => {
      const input = makePosition();
      await createPosition(t, input);
      const res = await api(t).put(positionPath(input.iupd), replacement(input));
      expect(res.status, res.text).to.equal(200);
      expect(res.body.status).to.equal("DRAFT");
      expect(res.body.publishDate).to.equal(undefined);
    });

    it("publishes a DRAFT with toPublish=true", async () => {
      const input = makePosition();
      await createPosition(t, input);
      const res = await api(t).put(`${positionPath(input.iupd)}?toPublish=true`, replacement(input));
      expect(res.status, res.text).to.equal(200);
      expect(res.body.status).to.equal("VALID");
      expect(res.body.publishDate).to.be.a("string");
    });

    it("keeps a VALID position VALID, with its publish date, after a PUT without toPublish", async () => {
      const input = makePosition();
      const created = await createPosition(t, input, { toPublish: true });
      const res = await api(t).put(positionPath(input.iupd), replacement(input));
      expect(res.status, res.text).to.equal(200);
      expect(res.body.status).to.equal("VALID");
      expect(res.body.publishDate).to.equal(created.publishDate);
    });

    it("keeps a PUBLISHED position PUBLISHED after a PUT without toPublish", async () => {
      const input = makePosition({ validityDate: "2098-01-01T00:00:00Z" });
      await createPosition(t, input, { toPublish: true });
      const res = await api(t).put(positionPath(input.iupd), replacement(input, { validityDate: "2098-06-01T00:00:00Z" }));
      expect(res.status, res.text).to.equal(200);
      expect(res.body.status).to.equal("PUBLISHED");
      expect(res.body.validityDate).to.equal("2098-06-01T00:00:00Z");
    });

    it("lets the new content of a published position remain payable", async () => {
      const input = makePosition();
      await createPosition(t, input, { toPublish: true });
      const next = replacement(input);
      expect((await api(t).put(positionPath(input.iupd), next)).status).to.equal(200);
      await lockOption(t, noticeOf(next).nav);
    });

    it("replaces under the /gpd/debt-positions-service/v1 prefix too", async () => {
      const input = makePosition();
      await createPosition(t, input);
      const res = await api(t).put(positionPath(input.iupd, EC, "/gpd/debt-positions-service/v1"), replacement(input));
      expect(res.status, res.text).to.equal(200);
      expectValid("position-response", res.body);
      expect(res.body.fullName).to.equal("Maria Bianchi");
    });

    it("lets an EC key replace its own position", async () => {
      const input = makePosition();
      await createPosition(t, input);
      expect((await api(t, EC_KEY).put(positionPath(input.iupd), replacement(input))).status).to.equal(200);
    });
  });

  describe("positions that cannot change answer 409 and stay as they were", () => {
    it("refuses a PAID position", async () => {
      const input = makePosition();
      await createPosition(t, input, { toPublish: true });
      await payOption(t, noticeOf(input), "rcpt-update-paid");
      const before = (await api(t).get(positionPath(input.iupd))).body;
      expect(before.status).to.equal("PAID");
      const rows = await rowCounts();
      const res = await api(t).put(positionPath(input.iupd), replacement(input));
      expectProblem(res, 409, undefined);
      expect(res.body.code).to.equal("notEditable");
      await expectUnchanged(input.iupd, before, rows);
    });

    it("refuses a PARTIALLY_PAID position", async () => {
      const input = makePlan(30000, 2);
      await createPosition(t, input, { toPublish: true });
      await payOption(t, noticeOf(input, 1), "rcpt-update-partial");
      const before = (await api(t).get(positionPath(input.iupd))).body;
      expect(before.status).to.equal("PARTIALLY_PAID");
      const rows = await rowCounts();
      const res = await api(t).put(positionPath(input.iupd), replacement(input));
      expectProblem(res, 409, undefined);
      expect(res.body.code).to.equal("notEditable");
      await expectUnchanged(input.iupd, before, rows);
    });

    it("refuses an INVALID position", async () => {
      const input = makePosition();
      await createPosition(t, input, { toPublish: true });
      expect((await api(t).post(`${positionPath(input.iupd)}/invalidate`)).status).to.equal(200);
      const before = (await api(t).get(positionPath(input.iupd))).body;
      const rows = await rowCounts();
      const res = await api(t).put(positionPath(input.iupd), replacement(input));
      expectProblem(res, 409, undefined);
      expect(res.body.code).to.equal("notEditable");
      expect(res.body.detail).to.include("INVALID");
      await expectUnchanged(input.iupd, before, rows);
    });

    it("refuses an EXPIRED position", async () => {
      const input = makePosition({ switchToExpired: true, paymentOption: [makeOption({ dueDate: "2020-01-01T00:00:00Z" })] });
      await createPosition(t, input, { toPublish: true });
      const before = (await api(t).get(positionPath(input.iupd))).body;
      expect(before.status).to.equal("EXPIRED");
      const rows = await rowCounts();
      const res = await api(t).put(positionPath(input.iupd), replacement(input));
      expectProblem(res, 409, undefined);
      expect(res.body.detail).to.include("EXPIRED");
      await expectUnchanged(input.iupd, before, rows);
    });

    it("refuses a position with an option locked by a payment in progress", async () => {
      const input = makePlan(30000, 2);
      await createPosition(t, input, { toPublish: true });
      await lockOption(t, noticeOf(input, 2).nav);
      const before = (await api(t).get(positionPath(input.iupd))).body;
      expect(before.paymentOption[2].lockedUntil).to.be.a("string");
      const rows = await rowCounts();
      const res = await api(t).put(positionPath(input.iupd), replacement(input));
      expectProblem(res, 409, undefined);
      expect(res.body.code).to.equal("locked");
      expect(res.body.detail).to.include(noticeOf(input, 2).nav);
      await expectUnchanged(input.iupd, before, rows);
    });
  });

  describe("bad requests leave the position as it was", () => {
    it("refuses an iupd in the body other than the path's with 422", async () => {
      const input = makePosition();
      const before = await createPosition(t, input);
      const res = await api(t).put(positionPath(input.iupd), makePosition());
      expectProblem(res, 422, "iupd");
      await expectUnchanged(input.iupd, before, rowsOf(input));
    });

    it("answers 404 for an IUPD the EC does not have, and creates nothing", async () => {
      const input = makePosition();
      const res = await api(t).put(positionPath(input.iupd), input);
      expectProblem(res, 404, undefined);
      expect(res.body.code).to.equal("positionNotFound");
      expect(await rowCounts()).to.deep.equal({ positions: 0, options: 0, transfers: 0 });
    });

    it("answers 404 for another EC's position with the same IUPD, and leaves it alone", async () => {
      const input = makePosition();
      const before = await createPosition(t, input, { ec: OTHER_EC });
      expectProblem(await api(t).put(positionPath(input.iupd, EC), replacement(input)), 404, undefined);
      expect((await api(t).get(positionPath(input.iupd, OTHER_EC))).body).to.deep.equal(before);
    });

    it("refuses a schema violation with 400", async () => {
      const input = makePosition();
      const before = await createPosition(t, input);
      const res = await api(t).put(positionPath(input.iupd), { ...replacement(input), type: "Z" });
      expectProblem(res, 400, "type");
      await expectUnchanged(input.iupd, before, rowsOf(input));
    });

    it("refuses a rule violation with 422", async () => {
      const input = makePosition();
      const before = await createPosition(t, input);
      const next = replacement(input, { paymentOption: [makeOption({ amount: 100, transfer: [makeTransfer({ amount: 99 })] })] });
      const res = await api(t).put(positionPath(input.iupd), next);
      expectProblem(res, 422, "paymentOption[0].amount");
      await expectUnchanged(input.iupd, before, rowsOf(input));
    });

    it("refuses an IUV of another position with 409 and restores the old content (no half-replaced position)", async () => {
      const other = makePosition();
      await createPosition(t, other);
      const input = makePlan(20000, 2);
      const before = await createPosition(t, input);
      const next = replacement(input, { paymentOption: [makeOption(), makeOption({ iuv: other.paymentOption[0]!.iuv })] });
      const res = await api(t).put(positionPath(input.iupd), next);
      expectProblem(res, 409, "paymentOption[1].iuv");
      await expectUnchanged(input.iupd, before, rowsOf(other, input));
    });

    it("refuses a toPublish that is not a boolean", async () => {
      const input = makePosition();
      const before = await createPosition(t, input);
      expectProblem(await api(t).put(`${positionPath(input.iupd)}?toPublish=si`, replacement(input)), 400, "toPublish");
      await expectUnchanged(input.iupd, before, rowsOf(input));
    });

    it("refuses an EC key on another EC with 403", async () => {
      const input = makePosition();
      const before = await createPosition(t, input, { ec: OTHER_EC });
      expectProblem(await api(t, EC_KEY).put(positionPath(input.iupd, OTHER_EC), replacement(input)), 403, undefined);
      expect((await api(t).get(positionPath(input.iupd, OTHER_EC))).body).to.deep.equal(before);
    });
  });
});
