/**
 * kill -9 of an instance in the middle of a receipt load: the Node retries what got no answer on the
 * other instance, the killed one restarts, and no receipt that was answered OK is missing.
 */
import { expect } from "chai";
import { ADMIN_KEY, EC } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { receiptRequest } from "../support/soap.ts";
import { rest, soap } from "./client.ts";
import { brokenInvariants, NO_BROKEN_INVARIANTS } from "./invariants.ts";
import { twoInstances } from "./processes.ts";

const RECEIPTS = 300;
const CONCURRENCY = 16;
const KILL_AFTER = 80;

describe("a crash in the middle of a receipt load (PostgreSQL)", function () {
  this.timeout(180_000);
  const instances = twoInstances();

  it("loses no receipt answered OK and stores each receipt once after kill -9 and retries", async () => {
    const { a, b } = instances;
    const positions = Array.from({ length: RECEIPTS }, () => makePosition());
    expect((await rest(b, "POST", `/v2/organizations/${EC}/debtpositions?toPublish=true`, ADMIN_KEY, { paymentPositions: positions })).status).to.equal(201);
    const requests = positions.map((p, i) => {
      const o = p.paymentOption[0]!;
      return { id: `crash-${i}`, xml: receiptRequest({ receiptId: `crash-${i}`, nav: `3${o.iuv}`, iuv: o.iuv, amount: "100.00", v2: true }) };
    });

    const answeredOk = new Set<string>();
    const unanswered: typeof requests = [];
    let answeredByA = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const request = requests[next++]!;
          try {
            const answer = await soap(a, "paSendRTV2", request.xml, 15_000);
            expect(answer.outcome, answer.body).to.equal("OK");
            answeredOk.add(request.id);
            if (++answeredByA === KILL_AFTER) a.child.kill("SIGKILL");
          } catch (error) {
            if ((error as { name?: string }).name === "AssertionError") throw error;
            unanswered.push(request);
          }
        }
      }),
    );
    expect(await a.exited).to.equal("SIGKILL");
    expect(answeredOk.size, "answers before the crash").to.be.at.least(KILL_AFTER);
    expect(unanswered.length, "requests cut by the crash").to.be.greaterThan(0);

    // The Node retries what got no answer: half on the surviving instance, half on the restarted one.
    const restarted = await instances.another();
    for (const [i, request] of unanswered.entries()) {
      const answer = await soap(i % 2 ? b : restarted, "paSendRTV2", request.xml);
      // OK when the crash came before the commit, DUPLICATA when only the answer was lost
      expect(answer.outcome === "OK" || answer.faultCode === "PAA_RECEIPT_DUPLICATA", answer.body).to.equal(true);
      answeredOk.add(request.id);
    }

    const db = await testDatabase();
    const stored = new Set((await db.query<{ receipt_id: string }>("SELECT receipt_id FROM receipt")).map((r) => r.receipt_id));
    for (const id of answeredOk) expect(stored.has(id), `receipt ${id} answered OK is stored`).to.equal(true);
    expect(stored.size).to.equal(RECEIPTS);
    expect(await brokenInvariants(db)).to.deep.equal(NO_BROKEN_INVARIANTS);
    const [{ paid }] = (await db.query<{ paid: number }>("SELECT count(*) AS paid FROM payment_position WHERE status = 'PAID'")) as [{ paid: number }];
    expect(paid).to.equal(RECEIPTS);
    console.log(`      figures: ${RECEIPTS} receipts, kill -9 after ${KILL_AFTER} answers, ${unanswered.length} requests cut by the crash and retried, ${stored.size} stored once each, receipts lost: 0`);
  });
});
