import { expect } from "chai";
import { loadConfig } from "../../src/config.ts";
import { problemsOf } from "../support/config.ts";

describe("kit settings", () => {
  it("keep scenarios off and the journal at 1000 exchanges by default", () => {
    const config = loadConfig({});
    expect(config).to.include({ testScenarios: false, journalEntries: 1000, journalBytes: 16 * 1_048_576 });
    expect(config.testerKeys).to.deep.equal([]);
  });

  it("read TEST_SCENARIOS, TESTER_API_KEY and the journal bounds", () => {
    const config = loadConfig({ TEST_SCENARIOS: "on", TESTER_API_KEY: "tester-key-0000000001, tester-key-0000000002", JOURNAL_ENTRIES: "0", JOURNAL_BYTES: "65536" });
    expect(config).to.include({ testScenarios: true, journalEntries: 0, journalBytes: 65_536 });
    expect(config.testerKeys).to.deep.equal(["tester-key-0000000001", "tester-key-0000000002"]);
  });

  it("name each bad value", () => {
    const problems = problemsOf({ TEST_SCENARIOS: "yes", TESTER_API_KEY: "short", JOURNAL_ENTRIES: "-1", JOURNAL_BYTES: "10" });
    expect(problems.join("\n")).to.match(/TEST_SCENARIOS must be on or off/);
    expect(problems.join("\n")).to.match(/TESTER_API_KEY/);
    expect(problems.join("\n")).to.match(/JOURNAL_ENTRIES/);
    expect(problems.join("\n")).to.match(/JOURNAL_BYTES/);
  });
});
