/**
 * Two app instances on one PostgreSQL and a few hundred racing requests on the same notices:
 * afterwards every receipt is stored once, every duplicate was answered PAA_RECEIPT_DUPLICATA,
 * and the SQL invariants hold. PostgreSQL only: PGlite is one in-process connection.
 */
import { expect } from "chai";
import { ADMIN_KEY, EC } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makePlan, makePosition } from "../support/factories.ts";
import { makePositionV3 } from "../support/factoriesV3.ts";
import { getPaymentRequest, receiptRequest } from "../support/soap.ts";
import { rest, soap, type Answer } from "./client.ts";
import { brokenInvariants, NO_BROKEN_INVARIANTS } from "./invariants.ts";
import { twoInstances } from "./processes.ts";

const SINGLES = 20;
const PLANS = 10;
const RACED = 10;

describe("concurrency across two instances (PostgreSQL)", function () {
  this.timeout(180_000);
  const pair = twoInstances();

  it("keeps one payment per option, every receipt once, and consistent plans under 300 racing requests", async () => {
    const { a, b } = pair;
    const singles = Array.from({ length: SINGLES }, () => makePosition());
    const plans = Array.from({ length: PLANS }, () => makePlan(30000, 3));
    const raced = Array.from({ length: RACED }, () => makePosition());
    const load = await rest(a, "POST", `/v2/organizations/${EC}/debtpositions?toPublish=true`, ADMIN_KEY, { paymentPositions: [...singles, ...plans, ...raced] });
    expect(load.status, JSON.stringify(load.body)).to.equal(201);

    const instances = [a, b];
    let turn = 0;
    const next = () => instances[turn++ % 2]!;
    const receiptsSent = new Map<string, Answer[]>();
    const sendReceipt = async (id: string, nav: string, iuv: string, amount: string) => {
      const answer = await soap(next(), "paSendRTV2", receiptRequest({ receiptId: id, nav, iuv, amount, v2: true }));
      receiptsSent.set(id, [...(receiptsSent.get(id) ?? []), answer]);
      return answer;
    };
    const amountOf = (cents: number) => (cents / 100).toFixed(2);
    const work: Array<Promise<unknown>> = [];

    // the same notice activated from both instances, the same receipt four times, and a second payment
    for (const [i, p] of singles.entries()) {
      const o = p.paymentOption[0]!;
      const nav = `3${o.iuv}`;
      for (let k = 0; k < 4; k++) work.push(soap(next(), "paGetPaymentV2", getPaymentRequest(nav, { v2: true })));
      for (let k = 0; k < 4; k++) work.push(sendReceipt(`single-${i}`, nav, o.iuv, amountOf(o.amount)));
      work.push(sendReceipt(`single-${i}-second`, nav, o.iuv, amountOf(o.amount)));
    }
    // installments racing the single option of the same plan
    for (const [i, p] of plans.entries()) {
      for (const [k, o] of p.paymentOption.entries()) {
        const nav = `3${o.iuv}`;
        work.push(soap(next(), "paGetPaymentV2", getPaymentRequest(nav, { v2: true })));
        work.push(sendReceipt(`plan-${i}-${k}`, nav, o.iuv, amountOf(o.amount)));
        work.push(sendReceipt(`plan-${i}-${k}`, nav, o.iuv, amountOf(o.amount)));
      }
    }
    // REST changes racing an activation and the receipt that follows it
    const racedOutcomes: Array<{ activation: Answer; put: number; invalidate: number; newAmount: number }> = [];
    for (const [i, p] of raced.entries()) {
      const o = p.paymentOption[0]!;
      const nav = `3${o.iuv}`;
      const newAmount = o.amount + 500;
      const changed = { ...p, paymentOption: [{ ...o, amount: newAmount, transfer: [{ ...o.transfer[0]!, amount: newAmount }] }] };
      work.push(
        (async () => {
          const [activation, put, invalidate] = await Promise.all([
            soap(next(), "paGetPaymentV2", getPaymentRequest(nav, { v2: true })),
            rest(next(), "PUT", `/v1/organizations/${EC}/debtpositions/${p.iupd}`, ADMIN_KEY, changed),
            rest(next(), "POST", `/v1/organizations/${EC}/debtpositions/${p.iupd}/invalidate`, ADMIN_KEY),
          ]);
          racedOutcomes.push({ activation, put: put.status, invalidate: invalidate.status, newAmount });
          if (activation.outcome === "OK") {
            const paid = /<paymentAmount>([^<]+)<\/paymentAmount>/.exec(activation.body)![1]!;
            await sendReceipt(`raced-${i}`, nav, o.iuv, paid);
          }
        })(),
      );
    }
    const answers = await Promise.all(work);
    const total = [...receiptsSent.values()].reduce((n, list) => n + list.length, 0) + answers.length - [...receiptsSent.values()].length;
    expect(total).to.be.greaterThanOrEqual(200);

    // every SOAP answer is a paForNode answer, never a SOAP Fault or a 5xx
    for (const answer of answers.filter((x): x is Answer => typeof x === "object" && x !== null && "outcome" in x)) {
      expect(answer.status, answer.body).to.equal(200);
      expect(answer.outcome, answer.body).to.be.oneOf(["OK", "KO"]);
    }
    // each receipt id: exactly one OK, every repetition PAA_RECEIPT_DUPLICATA
    for (const [id, list] of receiptsSent) {
      expect(list.filter((x) => x.outcome === "OK"), `${id} answered OK`).to.have.length(1);
      for (const x of list.filter((y) => y.outcome === "KO")) expect(x.faultCode, `${id}: ${x.body}`).to.equal("PAA_RECEIPT_DUPLICATA");
    }
    // a locked option is never changed nor invalidated under the payment
    for (const r of racedOutcomes) {
      if (r.activation.outcome !== "OK") continue;
      expect(r.invalidate, "invalidate while an activation held the lock").to.not.equal(200);
      if (r.put === 200) expect(r.activation.body).to.contain(`<paymentAmount>${(r.newAmount / 100).toFixed(2)}</paymentAmount>`);
    }

    const db = await testDatabase();
    const [{ stored }] = (await db.query<{ stored: number }>("SELECT count(*) AS stored FROM receipt")) as [{ stored: number }];
    expect(stored).to.equal(receiptsSent.size);
    expect(await brokenInvariants(db)).to.deep.equal(NO_BROKEN_INVARIANTS);
    const [{ doubles }] = (await db.query<{ doubles: number }>("SELECT count(*) AS doubles FROM receipt WHERE 'DOUBLE_PAYMENT' = ANY (flags)")) as [{ doubles: number }];
    expect(doubles, "second payments of the singles are flagged").to.be.greaterThanOrEqual(SINGLES);
    const duplicates = [...receiptsSent.values()].flat().filter((x) => x.faultCode === "PAA_RECEIPT_DUPLICATA").length;
    console.log(`      figures: ${total} requests fired at 2 instances, ${receiptsSent.size} distinct receipts stored once, ${duplicates} repetitions answered PAA_RECEIPT_DUPLICATA, ${doubles} second payments flagged, 0 invariants broken`);
  });

  it("keeps one plan per position under activations and receipts racing on every option of v3 positions", async () => {
    const { a, b } = pair;
    await (await testDatabase()).query("TRUNCATE payment_position, payment_option, transfer, receipt, outbox RESTART IDENTITY CASCADE");
    const positions = Array.from({ length: 8 }, () => makePositionV3([1, 2, 3]));
    for (const p of positions) {
      const load = await rest(a, "POST", `/v3/organizations/${EC}/debtpositions?toPublish=true`, ADMIN_KEY, p);
      expect(load.status, JSON.stringify(load.body)).to.equal(201);
    }
    let turn = 0;
    const next = () => [a, b][turn++ % 2]!;
    const receipts: Array<Promise<Answer>> = [];
    const work: Array<Promise<unknown>> = [];
    for (const [i, p] of positions.entries()) {
      for (const [k, option] of p.paymentOption.entries()) {
        for (const [m, o] of option.installments.entries()) {
          const nav = `3${o.iuv}`;
          work.push(soap(next(), "paGetPaymentV2", getPaymentRequest(nav, { v2: true })));
          receipts.push(soap(next(), "paSendRTV2", receiptRequest({ receiptId: `v3-${i}-${k}-${m}`, nav, iuv: o.iuv, amount: (o.amount / 100).toFixed(2), v2: true })));
        }
      }
    }
    await Promise.all(work);
    for (const answer of await Promise.all(receipts)) expect(answer.outcome, answer.body).to.equal("OK");
    const db = await testDatabase();
    expect(await brokenInvariants(db)).to.deep.equal(NO_BROKEN_INVARIANTS);
    const statuses = await db.query<{ status: string }>("SELECT status FROM payment_position");
    // every installment was paid: every position has a fully paid plan
    expect(statuses.map((r) => r.status)).to.deep.equal(positions.map(() => "PAID"));
  });
});
