/** Configuration checks shared by the tests of every setting. */
import { expect } from "chai";
import { ConfigError, loadConfig } from "../../src/config.ts";

/** The problems loadConfig reports for an environment (fails when it reports none). */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  expect.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}
