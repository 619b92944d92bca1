import { expect } from "chai";
import type { PositionInput } from "../../src/domain/position.ts";
import { formatNoticeCode } from "../../src/domain/noticeNumber.ts";
import { ADMIN_KEY, EC, EC_KEY, OTHER_EC_KEY, startApp, type TestApp } from "../support/app.ts";
import { makeOption, makePlan, makePosition } from "../support/factories.ts";
import { postSoap, receiptRequest } from "../support/soap.ts";
import { hasPdftoppm, pdfPages, pdfText, readQrCodes } from "./support.ts";
import { KEY_HEADER, positionsPath } from "../support/rest.ts";
import type { PositionInputV3 } from "../../src/domain/positionV3.ts";
import { CO_OBLIGOR, DEBTOR, makeOptionV3, makePositionV3 } from "../support/factoriesV3.ts";

const PREFIXES = ["/v1", "/gpd/debt-positions-service/v1"];
const base = `/v1/organizations/${EC}`;

interface Created {
  iupd: string;
  options: Array<{ nav: string; iuv: string; amount: number }>;
}

async function create(t: TestApp, input: PositionInput, toPublish = true): Promise<Created> {
  const res = await t.http.post(`${base}/debtpositions?toPublish=${toPublish}`).set(KEY_HEADER, ADMIN_KEY).send(input);
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return { iupd: res.body.iupd, options: res.body.paymentOption };
}

/** A v3 position, published; its installments option by option. */
async function createV3(t: TestApp, input: PositionInputV3): Promise<{ iupd: string; plans: Created["options"][] }> {
  const res = await t.http.post(`${positionsPath(EC, "/v3")}?toPublish=true`).set(KEY_HEADER, ADMIN_KEY).send(input);
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return { iupd: res.body.iupd, plans: (res.body.paymentOption as Array<{ installments: Created["options"] }>).map((o) => o.installments) };
}

const qrOf = (o: { nav: string; amount: number }) => `PAGOPA|002|${o.nav}|${EC}|${o.amount}`;

function get(t: TestApp, path: string, key = ADMIN_KEY) {
  return t.http.get(path).set(KEY_HEADER, key).buffer(true).responseType("blob");
}

/** The problem+json of an error answer (the blob response type leaves it as bytes). */
const problem = (res: { body: Buffer }) => JSON.parse(res.body.toString("utf8")) as { status: number; code: string; detail: string };

async function pay(t: TestApp, option: { nav: string; iuv: string; amount: number }, receiptId: string) {
  const amount = (option.amount / 100).toFixed(2);
  const res = await postSoap(t, receiptRequest({ receiptId, nav: option.nav, iuv: option.iuv, amount, v2: true }), "paSendRTV2");
  expect(res.body.outcome, res.text).to.equal("OK");
}

describe("GET .../notice.pdf (payment notices)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp({ ORGANIZATION_CBILL: `${EC}:AB12C` });
  });

  for (const prefix of PREFIXES) {
    it(`answers the notice of a payable position as a PDF under ${prefix}`, async () => {
      const { iupd, options } = await create(t, makePosition({ paymentOption: [makeOption({ amount: 12345, dueDate: "2099-12-31T12:00:00Z" })] }));
      const res = await get(t, `${prefix}/organizations/${EC}/debtpositions/${iupd}/notice.pdf`);
      expect(res.status).to.equal(200);
      expect(res.headers["content-type"]).to.equal("application/pdf");
      expect(res.headers["content-disposition"]).to.equal(`inline; filename="avviso-${iupd}.pdf"`);
      expect(res.headers["cache-control"]).to.equal("no-store");
      const pages = await pdfPages(res.body as Buffer);
      expect(pages).to.have.length(1);
      expect(pages[0]).to.include(formatNoticeCode(options[0]!.nav));
      expect(pages[0]).to.include("123,45 €");
      expect(pages[0]).to.include("31/12/2099");
      expect(pages[0]).to.include("Comune di Esempio").and.include(EC);
      expect(pages[0]).to.include("Codice CBILL AB12C");
    });
  }

  it("prints a plan with one section and one QR code per installment", async () => {
    const { iupd, options } = await create(t, makePlan(30000, 3));
    const res = await get(t, `${base}/debtpositions/${iupd}/notice.pdf`);
    expect(res.status).to.equal(200);
    const text = await pdfText(res.body as Buffer);
    for (const option of options) expect(text).to.include(formatNoticeCode(option.nav));
    expect(text).to.include("RATA UNICA").and.include("RATA 1 DI 3").and.include("RATA 2 DI 3").and.include("RATA 3 DI 3");
    if (await hasPdftoppm()) {
      const qrs = (await readQrCodes(res.body as Buffer)).flat();
      expect(qrs).to.deep.equal(options.map((o) => `PAGOPA|002|${o.nav}|${EC}|${o.amount}`));
    }
  });

  it("answers one notice by its notice number: the single payment or one installment", async () => {
    const { options } = await create(t, makePlan(30000, 3));
    const single = await get(t, `${base}/paymentoptions/${options[0]!.nav}/notice.pdf`);
    expect(single.status).to.equal(200);
    expect(single.headers["content-disposition"]).to.equal(`inline; filename="avviso-${options[0]!.nav}.pdf"`);
    const singleText = await pdfText(single.body as Buffer);
    expect(singleText).to.include("RATA UNICA").and.include(formatNoticeCode(options[0]!.nav));
    expect(singleText).not.to.include(formatNoticeCode(options[1]!.nav));

    const second = await get(t, `${base}/paymentoptions/${options[2]!.nav}/notice.pdf`);
    expect(second.status).to.equal(200);
    const secondText = await pdfText(second.body as Buffer);
    expect(secondText).to.include("RATA 2 DI 3").and.include(formatNoticeCode(options[2]!.nav)).and.include("100,00 €");
    expect(secondText).not.to.include(formatNoticeCode(options[0]!.nav));
    expect(secondText).not.to.include(formatNoticeCode(options[1]!.nav));
  });

  it("leaves the CBILL code out for an EC without one", async () => {
    t = await startApp();
    const { iupd } = await create(t, makePosition());
    const text = await pdfText((await get(t, `${base}/debtpositions/${iupd}/notice.pdf`)).body as Buffer);
    expect(text).not.to.include("CBILL AB12C");
  });

  it("prints only the installments left once one is paid, and refuses the single payment and the paid installment", async () => {
    const { iupd, options } = await create(t, makePlan(30000, 3));
    await pay(t, options[1]!, "rcpt-installment-1");
    const res = await get(t, `${base}/debtpositions/${iupd}/notice.pdf`);
    expect(res.status).to.equal(200);
    const text = await pdfText(res.body as Buffer);
    expect(text).to.include(formatNoticeCode(options[2]!.nav)).and.include(formatNoticeCode(options[3]!.nav));
    expect(text).not.to.include(formatNoticeCode(options[0]!.nav));
    expect(text).not.to.include(formatNoticeCode(options[1]!.nav));
    expect(text).to.include("200,00 €").and.include("in 2 rate");

    for (const paidOrExcluded of [options[0]!, options[1]!]) {
      const refused = await get(t, `${base}/paymentoptions/${paidOrExcluded.nav}/notice.pdf`);
      expect(refused.status).to.equal(409);
      expect(problem(refused).code).to.equal("notPayable");
    }
  });

  describe("refuses positions that cannot be paid with 409", () => {
    const expectNotPayable = async (t: TestApp, iupd: string, nav: string, status: string) => {
      for (const path of [`${base}/debtpositions/${iupd}/notice.pdf`, `${base}/paymentoptions/${nav}/notice.pdf`]) {
        const res = await get(t, path);
        expect(res.status, path).to.equal(409);
        expect(res.headers["content-type"]).to.match(/^application\/problem\+json/);
        const body = problem(res);
        expect(body.code).to.equal("notPayable");
        expect(body.detail).to.include(status);
      }
    };

    it("DRAFT", async () => {
      const { iupd, options } = await create(t, makePosition(), false);
      await expectNotPayable(t, iupd, options[0]!.nav, "DRAFT");
    });

    it("PUBLISHED before its validity date", async () => {
      const { iupd, options } = await create(t, makePosition({ validityDate: "2099-01-01T00:00:00Z" }));
      await expectNotPayable(t, iupd, options[0]!.nav, "PUBLISHED");
    });

    it("INVALID", async () => {
      const { iupd, options } = await create(t, makePosition());
      const res = await t.http.post(`${base}/debtpositions/${iupd}/invalidate`).set(KEY_HEADER, ADMIN_KEY);
      expect(res.status).to.equal(200);
      await expectNotPayable(t, iupd, options[0]!.nav, "INVALID");
    });

    it("PAID", async () => {
      const { iupd, options } = await create(t, makePosition());
      await pay(t, options[0]!, "rcpt-paid-1");
      await expectNotPayable(t, iupd, options[0]!.nav, "PAID");
    });

    it("EXPIRED", async () => {
      const { iupd, options } = await create(t, makePosition({ switchToExpired: true, paymentOption: [makeOption({ dueDate: "2020-01-31T12:00:00Z" })] }));
      await expectNotPayable(t, iupd, options[0]!.nav, "EXPIRED");
    });
  });

  it("answers 404 for an unknown position or notice number", async () => {
    const position = await get(t, `${base}/debtpositions/NOPE-1/notice.pdf`);
    expect(position.status).to.equal(404);
    expect(problem(position).code).to.equal("positionNotFound");
    const option = await get(t, `${base}/paymentoptions/302000000000000099/notice.pdf`);
    expect(option.status).to.equal(404);
    expect(problem(option).code).to.equal("optionNotFound");
  });

  it("asks for the same keys as the other routes", async () => {
    const { iupd } = await create(t, makePosition());
    const path = `${base}/debtpositions/${iupd}/notice.pdf`;
    expect((await t.http.get(path)).status).to.equal(401);
    expect((await get(t, path, OTHER_EC_KEY)).status).to.equal(403);
    expect((await get(t, path, EC_KEY)).status).to.equal(200);
  });

  describe("GPD v3 positions: payment options and co-obligors", () => {
    it("prints one section per option: a single payment and plans of 3 and 5, 9 QR codes with their notice numbers and amounts", async () => {
      const { iupd, plans } = await createV3(t, makePositionV3([1, 3, 5], {}, 30001));
      const res = await get(t, `${base}/debtpositions/${iupd}/notice.pdf`);
      expect(res.status).to.equal(200);
      expect(res.headers["content-disposition"]).to.equal(`inline; filename="avviso-${iupd}.pdf"`);
      const text = await pdfText(res.body as Buffer);
      expect(text).to.include("RATA UNICA 300,01 €").and.include("PAGAMENTO IN 3 RATE 300,01 €").and.include("PAGAMENTO IN 5 RATE 300,01 €");
      expect(text).to.include("Piano 1 in 3 rate").and.include("Piano 2 in 5 rate");
      const slips = [...text.matchAll(/RATA (?:UNICA|\d DI \d) entro il/g)].map((m) => m[0].replace(" entro il", ""));
      expect(slips).to.deep.equal(["RATA UNICA", "RATA 1 DI 3", "RATA 2 DI 3", "RATA 3 DI 3", "RATA 1 DI 5", "RATA 2 DI 5", "RATA 3 DI 5", "RATA 4 DI 5", "RATA 5 DI 5"]);
      if (await hasPdftoppm()) expect((await readQrCodes(res.body as Buffer)).flat()).to.deep.equal(plans.flat().map(qrOf));
    });

    describe("co-obligors", () => {
      const coObligors = () => makePositionV3([1], { paymentOption: [makeOptionV3(30000, 1, { debtor: DEBTOR }), makeOptionV3(30000, 3, { debtor: CO_OBLIGOR })] });

      it("asks whose notice: the position's notice.pdf without debtorFiscalCode answers 400 naming both debtors", async () => {
        const { iupd } = await createV3(t, coObligors());
        const res = await get(t, `${base}/debtpositions/${iupd}/notice.pdf`);
        expect(res.status).to.equal(400);
        const body = problem(res);
        expect(body.code).to.equal("badRequest");
        expect(body.detail).to.include("debtorFiscalCode").and.include(DEBTOR.fiscalCode).and.include(CO_OBLIGOR.fiscalCode);
      });

      it("gives each debtor a notice of their own, addressed to them, with only their options", async () => {
        const { iupd, plans } = await createV3(t, coObligors());
        const [mine, theirs] = plans as [Created["options"], Created["options"]];
        for (const [debtor, own, other] of [
          [DEBTOR, mine, theirs],
          [CO_OBLIGOR, theirs, mine],
        ] as const) {
          // the fiscal code in any case
          const res = await get(t, `${base}/debtpositions/${iupd}/notice.pdf?debtorFiscalCode=${debtor.fiscalCode.toLowerCase()}`);
          expect(res.status).to.equal(200);
          expect(res.headers["content-disposition"]).to.equal(`inline; filename="avviso-${iupd}-${debtor.fiscalCode}.pdf"`);
          const text = await pdfText(res.body as Buffer);
          expect(text).to.include(`DESTINATARIO AVVISO Cod. Fiscale ${debtor.fiscalCode} ${debtor.fullName}`);
          for (const o of own) expect(text).to.include(formatNoticeCode(o.nav));
          for (const o of other) expect(text).not.to.include(formatNoticeCode(o.nav));
          const someoneElse = debtor === DEBTOR ? CO_OBLIGOR : DEBTOR;
          expect(text).not.to.include(someoneElse.fullName).and.not.include(someoneElse.fiscalCode);
          if (await hasPdftoppm()) expect((await readQrCodes(res.body as Buffer)).flat()).to.deep.equal(own.map(qrOf));
        }
      });

      it("lists the notices, one per debtor, each with its notice numbers and the path of its PDF", async () => {
        const { iupd, plans } = await createV3(t, coObligors());
        const res = await t.http.get(`${base}/debtpositions/${iupd}/notices`).set(KEY_HEADER, ADMIN_KEY);
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal(
          [DEBTOR, CO_OBLIGOR].map((debtor, k) => ({
            debtor: { type: debtor.type, fiscalCode: debtor.fiscalCode, fullName: debtor.fullName },
            noticeNumbers: plans[k]!.map((o) => o.nav),
            filename: `avviso-${iupd}-${debtor.fiscalCode}.pdf`,
            href: `/v1/organizations/${EC}/debtpositions/${iupd}/notice.pdf?debtorFiscalCode=${debtor.fiscalCode}`,
          })),
        );
        const pdf = await get(t, res.body[1].href);
        expect(pdf.status).to.equal(200);
        expect(await pdfText(pdf.body as Buffer)).to.include(CO_OBLIGOR.fullName);
      });

      it("names a co-obligor's file by position when their fiscal code cannot stand in a file name", async () => {
        const odd = { ...CO_OBLIGOR, fiscalCode: "X/../\"Y" };
        const { iupd } = await createV3(t, makePositionV3([1], { paymentOption: [makeOptionV3(30000, 1, { debtor: DEBTOR }), makeOptionV3(30000, 2, { debtor: odd })] }));
        const list = await t.http.get(`${base}/debtpositions/${iupd}/notices`).set(KEY_HEADER, ADMIN_KEY);
        expect(list.body[1]).to.include({ filename: `avviso-${iupd}-debitore-2.pdf`, href: `${base}/debtpositions/${iupd}/notice.pdf?debtorFiscalCode=${encodeURIComponent(odd.fiscalCode)}` });
        const res = await get(t, list.body[1].href);
        expect(res.status).to.equal(200);
        expect(res.headers["content-disposition"]).to.equal(`inline; filename="avviso-${iupd}-debitore-2.pdf"`);
        expect(await pdfText(res.body as Buffer)).to.include(`Cod. Fiscale ${odd.fiscalCode}`);
      });

      it("addresses one option's notice to that option's debtor", async () => {
        const { plans } = await createV3(t, coObligors());
        const second = plans[1]![1]!;
        const text = await pdfText((await get(t, `${base}/paymentoptions/${second.nav}/notice.pdf`)).body as Buffer);
        expect(text).to.include(`DESTINATARIO AVVISO Cod. Fiscale ${CO_OBLIGOR.fiscalCode} ${CO_OBLIGOR.fullName}`).and.include("RATA 2 DI 3");
        expect(text).not.to.include(DEBTOR.fullName);
      });

      it("answers 404 for a debtor the position does not have, and 409 for a debtor with nothing left to pay", async () => {
        const { iupd, plans } = await createV3(t, coObligors());
        const stranger = await get(t, `${base}/debtpositions/${iupd}/notice.pdf?debtorFiscalCode=XXXYYY80A01H501U`);
        expect(stranger.status).to.equal(404);
        expect(problem(stranger).code).to.equal("notFound");
        // an installment of the co-obligor's plan paid: the other debtor's single payment can no longer be paid
        await pay(t, plans[1]![0]!, "rcpt-co-obligor-1");
        const paidOut = await get(t, `${base}/debtpositions/${iupd}/notice.pdf?debtorFiscalCode=${DEBTOR.fiscalCode}`);
        expect(paidOut.status).to.equal(409);
        expect(problem(paidOut).code).to.equal("notPayable");
        const list = await t.http.get(`${base}/debtpositions/${iupd}/notices`).set(KEY_HEADER, ADMIN_KEY);
        expect(list.body.map((n: { debtor: { fiscalCode: string }; noticeNumbers: string[] }) => [n.debtor.fiscalCode, n.noticeNumbers])).to.deep.equal([
          [CO_OBLIGOR.fiscalCode, plans[1]!.slice(1).map((o) => o.nav)],
        ]);
      });
    });

    it("keeps a v1 position with one debtor to one notice, named by its IUPD, with or without debtorFiscalCode", async () => {
      const { iupd, options } = await create(t, makePlan(30000, 3));
      const list = await t.http.get(`${base}/debtpositions/${iupd}/notices`).set(KEY_HEADER, ADMIN_KEY);
      expect(list.body).to.have.length(1);
      expect(list.body[0]).to.include({ filename: `avviso-${iupd}.pdf` });
      expect(list.body[0].noticeNumbers).to.deep.equal(options.map((o) => o.nav));
      const res = await get(t, list.body[0].href);
      expect(res.status).to.equal(200);
      expect(res.headers["content-disposition"]).to.equal(`inline; filename="avviso-${iupd}.pdf"`);
    });
  });
});
