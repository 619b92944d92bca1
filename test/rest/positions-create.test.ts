import { expect } from "chai";
import type { PositionInput } from "../../src/domain/position.ts";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { makeOption, makePlan, makePosition, makeTransfer, nextNotice } from "../support/factories.ts";
import { expectProblem, expectValid, rowCounts, rowsOf } from "./helpers.ts";
import { api, positionsPath } from "../support/rest.ts";

const stamp = { hashDocument: "ZGlnZXN0LW9mLXRoZS1kb2N1bWVudA==", stampType: "01", provincialResidence: "RM" };
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A request body that a test may bend out of shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

/** A fresh position with one change applied to a copy of it (the body may stop matching the type). */
function withChange(change: (body: Body) => void): Body {
  const body = structuredClone(makePosition()) as Body;
  change(body);
  return body;
}

describe("POST /v1/organizations/{ec}/debtpositions (create a position)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  describe("happy paths", () => {
    it("creates a DRAFT position and answers it with 201, valid against position-response", async () => {
      const input = makePosition();
      const res = await api(t).post(positionsPath(), input);
      expect(res.status, res.text).to.equal(201);
      expect(res.headers["content-type"]).to.match(/^application\/json/);
      expectValid("position-response", res.body);
      expect(res.body.iupd).to.equal(input.iupd);
      expect(res.body.organizationFiscalCode).to.equal(EC);
      expect(res.body.status).to.equal("DRAFT");
      expect(res.body.publishDate).to.equal(undefined);
      expect(res.body.fullName).to.equal("Mario Rossi");
      expect(res.body.payStandIn).to.equal(true);
      const [option] = res.body.paymentOption;
      expect(option.iuv).to.equal(input.paymentOption[0]!.iuv);
      expect(option.nav).to.equal(`3${input.paymentOption[0]!.iuv}`);
      expect(option.amount).to.equal(10000);
      expect(option.status).to.equal("PO_UNPAID");
      expect(option.transfer[0].organizationFiscalCode).to.equal(EC);
      expect(option.transfer[0].status).to.equal("T_UNREPORTED");
      for (const value of [res.body.insertedDate, res.body.lastUpdatedDate, option.dueDate, option.insertedDate]) expect(value).to.match(ISO_WITH_OFFSET);
      expect(await rowCounts()).to.deep.equal(rowsOf(input));
    });

    it("answers the same position under the /gpd/debt-positions-service/v1 prefix", async () => {
      const input = makePosition();
      const res = await api(t).post(positionsPath(EC, "/gpd/debt-positions-service/v1"), input);
      expect(res.status, res.text).to.equal(201);
      expectValid("position-response", res.body);
      const read = await api(t).get(`${positionsPath()}/${input.iupd}`);
      expect(read.status).to.equal(200);
      expect(read.body.iupd).to.equal(input.iupd);
    });

    it("publishes at once with toPublish=true: VALID without a validity date", async () => {
      const res = await api(t).post(`${positionsPath()}?toPublish=true`, makePosition());
      expect(res.status, res.text).to.equal(201);
      expectValid("position-response", res.body);
      expect(res.body.status).to.equal("VALID");
      expect(res.body.publishDate).to.match(ISO_WITH_OFFSET);
    });

    it("publishes with toPublish=true as PUBLISHED when the validity date is in the future", async () => {
      const res = await api(t).post(`${positionsPath()}?toPublish=true`, makePosition({ validityDate: "2098-01-01T00:00:00Z" }));
      expect(res.status, res.text).to.equal(201);
      expect(res.body.status).to.equal("PUBLISHED");
      expect(res.body.validityDate).to.equal("2098-01-01T00:00:00Z");
    });

    it("keeps a DRAFT with toPublish=false", async () => {
      const res = await api(t).post(`${positionsPath()}?toPublish=false`, makePosition());
      expect(res.status, res.text).to.equal(201);
      expect(res.body.status).to.equal("DRAFT");
    });

    it("answers dates with an explicit offset, reading zone-less ones as Europe/Rome time", async () => {
      const input = makePosition({ paymentOption: [makeOption({ dueDate: "2099-07-01T12:00:00", retentionDate: "2099-08-01" })] });
      const res = await api(t).post(positionsPath(), input);
      expect(res.status, res.text).to.equal(201);
      expect(res.body.paymentOption[0].dueDate).to.equal("2099-07-01T10:00:00Z");
      // a date alone is a deadline: the end of that day in Rome
      expect(res.body.paymentOption[0].retentionDate).to.equal("2099-08-01T21:59:59.999Z");
    });

    it("stores a multi-beneficiary option with a stamp, a postal iban and metadata", async () => {
      const option = makeOption({
        amount: 12600,
        paymentOptionMetadata: [{ key: "anno", value: "2026" }],
        transfer: [
          makeTransfer({ amount: 10000, postalIban: "IT60X0760103200000000123456", transferMetadata: [{ key: "capitolo", value: "1234" }] }),
          makeTransfer({ idTransfer: "2", amount: 1000, organizationFiscalCode: OTHER_EC, companyName: "Provincia di Esempio" }),
          makeTransfer({ idTransfer: "3", amount: 1600, iban: undefined, stamp }),
        ],
      });
      const input = makePosition({ paymentOption: [option] });
      const res = await api(t).post(positionsPath(), input);
      expect(res.status, res.text).to.equal(201);
      expectValid("position-response", res.body);
      const [t1, t2, t3] = res.body.paymentOption[0].transfer;
      expect(t1.postalIban).to.equal("IT60X0760103200000000123456");
      expect(t1.transferMetadata).to.deep.equal([{ key: "capitolo", value: "1234" }]);
      expect(t2.organizationFiscalCode).to.equal(OTHER_EC);
      expect(t2.companyName).to.equal("Provincia di Esempio");
      expect(t3.iban).to.equal(undefined);
      expect(t3.stamp).to.deep.equal(stamp);
      expect(res.body.paymentOption[0].paymentOptionMetadata).to.deep.equal([{ key: "anno", value: "2026" }]);
      expect(await rowCounts()).to.deep.equal({ positions: 1, options: 1, transfers: 3 });
    });

    it("stores a plan with its installments in the order given", async () => {
      const input = makePlan(30000, 3);
      const res = await api(t).post(positionsPath(), input);
      expect(res.status, res.text).to.equal(201);
      expect(res.body.paymentOption.map((o: { iuv: string }) => o.iuv)).to.deep.equal(input.paymentOption.map((o) => o.iuv));
      expect(res.body.paymentOption.map((o: { isPartialPayment: boolean }) => o.isPartialPayment)).to.deep.equal([false, true, true, true]);
      expect(await rowCounts()).to.deep.equal(rowsOf(input));
    });

    it("takes an empty postalIban as none, as GPD clients send it", async () => {
      const input = makePosition({ paymentOption: [makeOption({ transfer: [makeTransfer({ postalIban: "" })] })] });
      const res = await api(t).post(positionsPath(), input);
      expect(res.status, res.text).to.equal(201);
      expect(res.body.paymentOption[0].transfer[0].postalIban).to.equal(undefined);
    });

    it("keeps a notice number given explicitly", async () => {
      const { iuv, nav } = nextNotice();
      const res = await api(t).post(positionsPath(), makePosition({ paymentOption: [makeOption({ iuv, nav })] }));
      expect(res.status, res.text).to.equal(201);
      expect(res.body.paymentOption[0].nav).to.equal(nav);
    });

    it("lets two ECs use the same IUPD and the same IUV", async () => {
      const input = makePosition();
      expect((await api(t).post(positionsPath(EC), input)).status).to.equal(201);
      const other = await api(t).post(positionsPath(OTHER_EC), input);
      expect(other.status, other.text).to.equal(201);
      expect(other.body.organizationFiscalCode).to.equal(OTHER_EC);
      expect(await rowCounts()).to.deep.equal({ positions: 2, options: 2, transfers: 2 });
    });

    it("lets an EC key create a position of its own EC", async () => {
      const res = await api(t, EC_KEY).post(positionsPath(EC), makePosition());
      expect(res.status, res.text).to.equal(201);
    });

    it("accepts the largest texts and amounts the schema allows", async () => {
      const max = 99_999_999_999;
      const input = makePosition({
        fullName: "n".repeat(70),
        companyName: "c".repeat(140),
        paymentOption: [makeOption({ amount: max, description: "d".repeat(140), transfer: [makeTransfer({ amount: max, remittanceInformation: "r".repeat(140) })] })],
      });
      const res = await api(t).post(positionsPath(), input);
      expect(res.status, res.text).to.equal(201);
      expect(res.body.paymentOption[0].amount).to.equal(max);
    });
  });

  describe("schema violations answer 400 naming the field and write nothing", () => {
    const many = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
    const cases: Array<[string, (b: Body) => void, string]> = [
      ["a missing iupd", (b) => delete b.iupd, "iupd"],
      ["an iupd with a space", (b) => (b.iupd = "IUPD 1"), "iupd"],
      ["an iupd longer than 70 characters", (b) => (b.iupd = "i".repeat(71)), "iupd"],
      ["a debtor type other than F or G", (b) => (b.type = "X"), "type"],
      ["a missing debtor fiscal code", (b) => delete b.fiscalCode, "fiscalCode"],
      ["a debtor fiscal code longer than 16 characters", (b) => (b.fiscalCode = "RSSMRA80A01H501UX"), "fiscalCode"],
      ["an empty full name", (b) => (b.fullName = ""), "fullName"],
      ["a full name longer than 70 characters", (b) => (b.fullName = "n".repeat(71)), "fullName"],
      ["a lower-case country", (b) => (b.country = "it"), "country"],
      ["an e-mail without a domain", (b) => (b.email = "mario.rossi"), "email"],
      ["a city longer than 35 characters", (b) => (b.city = "c".repeat(36)), "city"],
      ["a missing company name", (b) => delete b.companyName, "companyName"],
      ["a company name longer than 140 characters", (b) => (b.companyName = "c".repeat(141)), "companyName"],
      ["a validity date that is not ISO-8601", (b) => (b.validityDate = "31/12/2099"), "validityDate"],
      ["a missing switchToExpired", (b) => delete b.switchToExpired, "switchToExpired"],
      ["a switchToExpired that is not a boolean", (b) => (b.switchToExpired = "yes"), "switchToExpired"],
      ["an unknown property", (b) => (b.colour = "blue"), "colour"],
      ["no payment option", (b) => (b.paymentOption = []), "paymentOption"],
      ["more than 100 payment options", (b) => (b.paymentOption = many(101, () => makeOption())), "paymentOption"],
      ["a missing IUV", (b) => delete b.paymentOption[0].iuv, "paymentOption[0].iuv"],
      ["an IUV of 16 digits", (b) => (b.paymentOption[0].iuv = "0".repeat(16)), "paymentOption[0].iuv"],
      ["a notice number of 17 digits", (b) => (b.paymentOption[0].nav = "3".repeat(17)), "paymentOption[0].nav"],
      ["an amount of zero", (b) => (b.paymentOption[0].amount = 0), "paymentOption[0].amount"],
      ["a fractional amount", (b) => (b.paymentOption[0].amount = 100.5), "paymentOption[0].amount"],
      ["an amount as a string", (b) => (b.paymentOption[0].amount = "100"), "paymentOption[0].amount"],
      ["an amount beyond 999999999.99 euro", (b) => (b.paymentOption[0].amount = 100_000_000_000), "paymentOption[0].amount"],
      ["an empty description", (b) => (b.paymentOption[0].description = ""), "paymentOption[0].description"],
      ["a missing isPartialPayment", (b) => delete b.paymentOption[0].isPartialPayment, "paymentOption[0].isPartialPayment"],
      ["a missing due date", (b) => delete b.paymentOption[0].dueDate, "paymentOption[0].dueDate"],
      ["a due date that is not ISO-8601", (b) => (b.paymentOption[0].dueDate = "tomorrow"), "paymentOption[0].dueDate"],
      ["a retention date with a bad offset", (b) => (b.paymentOption[0].retentionDate = "2099-12-31T00:00:00+0100"), "paymentOption[0].retentionDate"],
      ["an unknown option property", (b) => (b.paymentOption[0].discount = 1), "paymentOption[0].discount"],
      ["more than 10 option metadata entries", (b) => (b.paymentOption[0].paymentOptionMetadata = many(11, (i) => ({ key: `k${i}`, value: "v" }))), "paymentOption[0].paymentOptionMetadata"],
      ["an option metadata key longer than 140 characters", (b) => (b.paymentOption[0].paymentOptionMetadata = [{ key: "k".repeat(141), value: "v" }]), "paymentOption[0].paymentOptionMetadata[0].key"],
      ["an option metadata entry without a value", (b) => (b.paymentOption[0].paymentOptionMetadata = [{ key: "k" }]), "paymentOption[0].paymentOptionMetadata[0].value"],
      ["no transfer", (b) => (b.paymentOption[0].transfer = []), "paymentOption[0].transfer"],
      ["six transfers", (b) => (b.paymentOption[0].transfer = many(6, (i) => makeTransfer({ idTransfer: String(i + 1), amount: 1 }))), "paymentOption[0].transfer"],
      ["a transfer id of 6", (b) => (b.paymentOption[0].transfer[0].idTransfer = "6"), "paymentOption[0].transfer[0].idTransfer"],
      ["a transfer id as a number", (b) => (b.paymentOption[0].transfer[0].idTransfer = 1), "paymentOption[0].transfer[0].idTransfer"],
      ["a transfer amount of zero", (b) => (b.paymentOption[0].transfer[0].amount = 0), "paymentOption[0].transfer[0].amount"],
      ["a beneficiary fiscal code of 10 digits", (b) => (b.paymentOption[0].transfer[0].organizationFiscalCode = "1234567890"), "paymentOption[0].transfer[0].organizationFiscalCode"],
      ["a missing remittance information", (b) => delete b.paymentOption[0].transfer[0].remittanceInformation, "paymentOption[0].transfer[0].remittanceInformation"],
      ["a remittance information longer than 140 characters", (b) => (b.paymentOption[0].transfer[0].remittanceInformation = "r".repeat(141)), "paymentOption[0].transfer[0].remittanceInformation"],
      ["a missing category", (b) => delete b.paymentOption[0].transfer[0].category, "paymentOption[0].transfer[0].category"],
      ["an iban with a space", (b) => (b.paymentOption[0].transfer[0].iban = "IT60 X054"), "paymentOption[0].transfer[0].iban"],
      ["a postal iban with a dash", (b) => (b.paymentOption[0].transfer[0].postalIban = "IT60-X054"), "paymentOption[0].transfer[0].postalIban"],
      ["a stamp type other than 01", (b) => Object.assign(b.paymentOption[0].transfer[0], { iban: undefined, stamp: { ...stamp, stampType: "02" } }), "paymentOption[0].transfer[0].stamp.stampType"],
      ["a stamp province in lower case", (b) => Object.assign(b.paymentOption[0].transfer[0], { iban: undefined, stamp: { ...stamp, provincialResidence: "rm" } }), "paymentOption[0].transfer[0].stamp.provincialResidence"],
      ["a stamp hash that is not base64", (b) => Object.assign(b.paymentOption[0].transfer[0], { iban: undefined, stamp: { ...stamp, hashDocument: "not base64!" } }), "paymentOption[0].transfer[0].stamp.hashDocument"],
      ["a stamp without its hash", (b) => Object.assign(b.paymentOption[0].transfer[0], { iban: undefined, stamp: { stampType: "01", provincialResidence: "RM" } }), "paymentOption[0].transfer[0].stamp.hashDocument"],
      ["more than 10 transfer metadata entries", (b) => (b.paymentOption[0].transfer[0].transferMetadata = many(11, (i) => ({ key: `k${i}`, value: "v" }))), "paymentOption[0].transfer[0].transferMetadata"],
      ["an empty transfer metadata value", (b) => (b.paymentOption[0].transfer[0].transferMetadata = [{ key: "k", value: "" }]), "paymentOption[0].transfer[0].transferMetadata[0].value"],
      ["an unknown property in a metadata entry", (b) => (b.paymentOption[0].transfer[0].transferMetadata = [{ key: "k", value: "v", note: "x" }]), "paymentOption[0].transfer[0].transferMetadata[0].note"],
      ["an unknown transfer property", (b) => (b.paymentOption[0].transfer[0].bic = "ABCDITMM"), "paymentOption[0].transfer[0].bic"],
    ];
    for (const [what, change, field] of cases) {
      it(`refuses ${what} (field ${field})`, async () => {
        const res = await api(t).post(positionsPath(), withChange(change));
        expectProblem(res, 400, field);
        expect(res.body.code).to.equal("badRequest");
        expect(await rowCounts()).to.deep.equal({ positions: 0, options: 0, transfers: 0 });
      });
    }

    it("refuses an organizationFiscalCode in the body: the EC comes from the path alone", async () => {
      const res = await api(t).post(positionsPath(), { ...makePosition(), organizationFiscalCode: OTHER_EC });
      expectProblem(res, 400, "organizationFiscalCode");
      expect(await rowCounts()).to.deep.equal({ positions: 0, options: 0, transfers: 0 });
    });

    it("refuses a body that is a JSON array", async () => {
      const res = await api(t).post(positionsPath(), [makePosition()]);
      expectProblem(res, 400, "(body)");
    });

    it("refuses a request without a body", async () => {
      const res = await api(t).post(positionsPath());
      expectProblem(res, 400, "(body)");
    });

    it("refuses a JSON body sent as text/plain", async () => {
      const res = await api(t).post(positionsPath()).set("content-type", "text/plain").send(JSON.stringify(makePosition()));
      expectProblem(res, 400, "(body)");
      expect(await rowCounts()).to.deep.equal({ positions: 0, options: 0, transfers: 0 });
    });

    it("refuses a toPublish that is not a boolean", async () => {
      const res = await api(t).post(`${positionsPath()}?toPublish=maybe`, makePosition());
      expectProblem(res, 400, "toPublish");
      expect(await rowCounts()).to.deep.equal({ positions: 0, options: 0, transfers: 0 });
    });

    it("refuses an unknown query parameter", async () => {
      const res = await api(t).post(`${positionsPath()}?publish=true`, makePosition());
      expectProblem(res, 400, "publish");
    });
  });

  describe("rule violations answer 422 naming the field and write nothing", () => {
    const cases: Array<[string, () => PositionInput, string]> = [
      ["transfers that do not add up to the amount", () => makePosition({ paymentOption: [makeOption({ amount: 10000, transfer: [makeTransfer({ amount: 9999 })] })] }), "paymentOption[0].amount"],
      ["a repeated transfer id", () => makePosition({ paymentOption: [makeOption({ amount: 200, transfer: [makeTransfer({ amount: 100 }), makeTransfer({ amount: 100 })] })] }), "paymentOption[0].transfer[1].idTransfer"],
      ["a transfer with both iban and stamp", () => makePosition({ paymentOption: [makeOption({ transfer: [makeTransfer({ stamp })] })] }), "paymentOption[0].transfer[0]"],
      ["a transfer with neither iban nor stamp", () => makePosition({ paymentOption: [makeOption({ transfer: [makeTransfer({ iban: undefined })] })] }), "paymentOption[0].transfer[0]"],
      ["a postal iban beside a stamp", () => makePosition({ paymentOption: [makeOption({ transfer: [makeTransfer({ iban: undefined, stamp, postalIban: "IT60X0760103200000000123456" })] })] }), "paymentOption[0].transfer[0].postalIban"],
      ["a repeated transfer metadata key", () => makePosition({ paymentOption: [makeOption({ transfer: [makeTransfer({ transferMetadata: [{ key: "a", value: "1" }, { key: "a", value: "2" }] })] })] }), "paymentOption[0].transfer[0].transferMetadata[1].key"],
      ["a repeated option metadata key", () => makePosition({ paymentOption: [makeOption({ paymentOptionMetadata: [{ key: "a", value: "1" }, { key: "a", value: "2" }] })] }), "paymentOption[0].paymentOptionMetadata[1].key"],
      ["a plan with one installment", () => makePosition({ paymentOption: [makeOption(), makeOption({ isPartialPayment: true })] }), "paymentOption[1].isPartialPayment"],
      ["an IUV repeated within the position", () => {
        const option = makeOption();
        return makePosition({ paymentOption: [option, { ...makeOption(), iuv: option.iuv }] });
      }, "paymentOption[1].iuv"],
      ["a retention date before the due date", () => makePosition({ paymentOption: [makeOption({ dueDate: "2099-06-01T00:00:00Z", retentionDate: "2099-05-01T00:00:00Z" })] }), "paymentOption[0].retentionDate"],
      ["a due date before the validity date", () => makePosition({ validityDate: "2099-06-01T00:00:00Z", paymentOption: [makeOption({ dueDate: "2099-05-01T00:00:00Z" })] }), "paymentOption[0].dueDate"],
      ["a due date that does not exist", () => makePosition({ paymentOption: [makeOption({ dueDate: "2099-02-29T00:00:00Z" })] }), "paymentOption[0].dueDate"],
      ["a validity date that does not exist", () => makePosition({ validityDate: "2099-04-31" }), "validityDate"],
      ["an IUV with a wrong check digit", () => {
        const { iuv } = nextNotice();
        return makePosition({ paymentOption: [makeOption({ iuv: `${iuv.slice(0, 15)}${iuv.endsWith("00") ? "01" : "00"}` })] });
      }, "paymentOption[0].iuv"],
      ["a notice number that does not carry the IUV", () => makePosition({ paymentOption: [makeOption({ iuv: nextNotice().iuv, nav: nextNotice().nav })] }), "paymentOption[0].nav"],
      ["an IUV of 15 digits under aux digit 3", () => makePosition({ paymentOption: [makeOption({ iuv: "000000005432149" })] }), "paymentOption[0].iuv"],
    ];
    for (const [what, make, field] of cases) {
      it(`refuses ${what} (field ${field})`, async () => {
        const res = await api(t).post(positionsPath(), make());
        expectProblem(res, 422, field);
        expect(res.body.code).to.equal("ruleViolation");
        expect(await rowCounts()).to.deep.equal({ positions: 0, options: 0, transfers: 0 });
      });
    }

    it("accepts an IUV with a wrong check digit when IUV_CHECK_DIGIT=off, and pays it at its notice number", async () => {
      t = await startApp({ IUV_CHECK_DIGIT: "off" });
      const { iuv } = nextNotice();
      const wrong = `${iuv.slice(0, 15)}${iuv.endsWith("00") ? "01" : "00"}`;
      const res = await api(t).post(`${positionsPath()}?toPublish=true`, makePosition({ paymentOption: [makeOption({ iuv: wrong })] }));
      expect(res.status, res.text).to.equal(201);
      expect(res.body.paymentOption[0].nav).to.equal(`3${wrong}`);
      const random = makePosition({ paymentOption: [makeOption({ iuv: "01234567890123456" })] });
      expect((await api(t).post(positionsPath(), random)).status).to.equal(201);
      // the other notice-number rules still hold
      expectProblem(await api(t).post(positionsPath(), makePosition({ paymentOption: [makeOption({ iuv: nextNotice().iuv, nav: nextNotice().nav })] })), 422, "paymentOption[0].nav");
    });

    it("refuses an IUV outside the configured segregation codes", async () => {
      t = await startApp({ SEGREGATION_CODES: "47" });
      const res = await api(t).post(positionsPath(), makePosition());
      expectProblem(res, 422, "paymentOption[0].iuv");
      expect(await rowCounts()).to.deep.equal({ positions: 0, options: 0, transfers: 0 });
    });
  });

  describe("duplicates answer 409 and leave the existing position as it was", () => {
    it("refuses an IUPD the EC already has", async () => {
      const first = makePosition();
      expect((await api(t).post(positionsPath(), first)).status).to.equal(201);
      const res = await api(t).post(positionsPath(), makePosition({ iupd: first.iupd }));
      expectProblem(res, 409, "iupd");
      expect(res.body.code).to.equal("duplicate");
      expect(res.body.detail).to.include(first.iupd);
      expect(await rowCounts()).to.deep.equal(rowsOf(first));
      const read = await api(t).get(`${positionsPath()}/${first.iupd}`);
      expect(read.body.paymentOption[0].iuv).to.equal(first.paymentOption[0]!.iuv);
    });

    it("refuses an IUV another position of the EC already has", async () => {
      const first = makePosition();
      expect((await api(t).post(positionsPath(), first)).status).to.equal(201);
      const second = makePosition({ paymentOption: [makeOption(), makeOption({ iuv: first.paymentOption[0]!.iuv })] });
      const res = await api(t).post(positionsPath(), second);
      expectProblem(res, 409, "paymentOption[1].iuv");
      expect(res.body.detail).to.include(first.paymentOption[0]!.iuv);
      expect(await rowCounts()).to.deep.equal(rowsOf(first));
    });

    it("refuses a notice number another position of the EC already has", async () => {
      const { iuv, nav } = nextNotice();
      const first = makePosition({ paymentOption: [makeOption({ iuv, nav })] });
      expect((await api(t).post(positionsPath(), first)).status).to.equal(201);
      const res = await api(t).post(positionsPath(), makePosition({ paymentOption: [makeOption({ iuv, nav })] }));
      expect(res.status, res.text).to.equal(409);
      expect(res.headers["content-type"]).to.match(/^application\/problem\+json/);
      // the notice number carries the IUV, so either constraint may be the one that fires
      expect(["paymentOption[0].iuv", "paymentOption[0].nav"]).to.include(res.body.field);
      expect(await rowCounts()).to.deep.equal(rowsOf(first));
    });
  });

  describe("access", () => {
    it("refuses an EC key on another EC with 403 and writes nothing", async () => {
      const res = await api(t, EC_KEY).post(positionsPath(OTHER_EC), makePosition());
      expectProblem(res, 403, undefined);
      expect(await rowCounts()).to.deep.equal({ positions: 0, options: 0, transfers: 0 });
    });
  });
});
