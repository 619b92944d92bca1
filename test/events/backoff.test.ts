/** The wait between attempts: doubling from the first, with jitter, bounded. */
import { expect } from "chai";
import { retryDelay } from "../../src/events/worker.ts";

describe("retry delays", () => {
  it("start at the first retry and double, within ±25%", () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, 2000, () => 0.5))).to.deep.equal([2000, 4000, 8000, 16_000]);
    expect(retryDelay(1, 2000, () => 0)).to.equal(1500);
    expect(retryDelay(1, 2000, () => 0.999999)).to.be.closeTo(2500, 0.01);
  });

  it("never wait more than an hour (plus jitter)", () => {
    expect(retryDelay(30, 2000, () => 0.5)).to.equal(3_600_000);
  });
});
