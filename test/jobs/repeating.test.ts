/** The background jobs' timer (src/jobs/repeating.ts): one run at a time, again at once when asked, going on after errors, stopping cleanly. */
import { expect } from "chai";
import { repeating } from "../../src/jobs/repeating.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `done()` holds, checking every few milliseconds, or fails after two seconds. */
async function until(done: () => boolean): Promise<void> {
  for (const started = Date.now(); !done(); await sleep(2)) {
    if (Date.now() - started > 2000) throw new Error("condition not reached in 2 s");
  }
}

describe("repeating", () => {
  it("runs after the interval, then again after each interval, never two runs at once", async () => {
    let runs = 0;
    let inRun = 0;
    let overlapped = false;
    const job = repeating(async () => {
      inRun++;
      overlapped ||= inRun > 1;
      await sleep(5);
      runs++;
      inRun--;
    }, { intervalMs: 1, onError: () => {} });
    job.start();
    job.start();
    await until(() => runs >= 5);
    await job.stop();
    expect(overlapped).to.equal(false);
  });

  it("waits the interval between runs unless `again` says work is waiting", async () => {
    const results = [true, true, false, true];
    let runs = 0;
    const job = repeating(async () => results[runs++] ?? false, { intervalMs: 1000, again: (more) => more, onError: () => {} });
    job.start();
    await until(() => runs >= 3);
    await sleep(50);
    await job.stop();
    // the first run waited the interval; the third found nothing more: the fourth waits the interval again
    expect(runs).to.equal(3);
  });

  it("reports a failed run and goes on", async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const job = repeating(async () => {
      runs++;
      if (runs === 1) throw new Error("database away");
    }, { intervalMs: 1, onError: (e) => errors.push(e) });
    job.start();
    await until(() => runs >= 3);
    await job.stop();
    expect(errors.map((e) => (e as Error).message)).to.deep.equal(["database away"]);
  });

  it("stop waits for the run in progress and no run starts after it", async () => {
    let finished = 0;
    let started = 0;
    const job = repeating(async () => {
      started++;
      await sleep(30);
      finished++;
    }, { intervalMs: 1, onError: () => {} });
    job.start();
    await until(() => started === 1);
    await job.stop();
    expect(finished).to.equal(1);
    await sleep(20);
    expect(started).to.equal(1);
  });
});
