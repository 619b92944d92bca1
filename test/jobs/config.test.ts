import { expect } from "chai";
import { loadConfig } from "../../src/config.ts";
import { problemsOf } from "../support/config.ts";

describe("SCHEDULER_INTERVAL_MS", () => {
  it("runs the lifecycle scheduler every 10 s unless told, and 0 turns it off", () => {
    expect(loadConfig({}).schedulerIntervalMs).to.equal(10_000);
    expect(loadConfig({ SCHEDULER_INTERVAL_MS: "0" }).schedulerIntervalMs).to.equal(0);
    expect(loadConfig({ SCHEDULER_INTERVAL_MS: "250" }).schedulerIntervalMs).to.equal(250);
  });

  it("refuses a value that is not a whole number of milliseconds up to a day", () => {
    for (const value of ["-1", "1.5", "soon", "86400001"]) {
      expect(problemsOf({ SCHEDULER_INTERVAL_MS: value })).to.deep.equal([`SCHEDULER_INTERVAL_MS must be an integer between 0 and 86400000, got "${value}"`]);
    }
  });
});
