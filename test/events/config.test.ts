/** The delivery settings: defaults, and every bad value reported by name. */
import { expect } from "chai";
import { loadConfig } from "../../src/config.ts";
import { problemsOf } from "../support/config.ts";

describe("delivery settings", () => {
  it("default to a 1 s interval, 10 attempts from a 2 s retry, a 10 s timeout, the SSRF guard on and no ACA push", () => {
    expect(loadConfig({}).delivery).to.deep.equal({ intervalMs: 1000, maxAttempts: 10, firstRetryMs: 2000, timeoutMs: 10_000, allowPrivate: false, aca: undefined, secretKeys: [] });
  });

  it("read every variable", () => {
    const env = { DELIVERY_INTERVAL_MS: "50", WEBHOOK_MAX_ATTEMPTS: "3", WEBHOOK_FIRST_RETRY_MS: "10", WEBHOOK_TIMEOUT_MS: "500", WEBHOOK_ALLOW_PRIVATE: "on", ACA_URL: "https://aca.example/paCreatePosition", ACA_API_KEY: "k", WEBHOOK_SECRET_KEYS: ` ${"n".repeat(32)}, ${"o".repeat(40)} ` };
    expect(loadConfig(env).delivery).to.deep.equal({
      intervalMs: 50, maxAttempts: 3, firstRetryMs: 10, timeoutMs: 500, allowPrivate: true, aca: { url: "https://aca.example/paCreatePosition", apiKey: "k" }, secretKeys: ["n".repeat(32), "o".repeat(40)],
    });
  });

  it("report bad values by name", () => {
    const problems = problemsOf({ DELIVERY_INTERVAL_MS: "0", WEBHOOK_MAX_ATTEMPTS: "x", WEBHOOK_FIRST_RETRY_MS: "-1", WEBHOOK_TIMEOUT_MS: "10", WEBHOOK_ALLOW_PRIVATE: "yes", ACA_URL: "ftp://aca" });
    for (const name of ["DELIVERY_INTERVAL_MS", "WEBHOOK_MAX_ATTEMPTS", "WEBHOOK_FIRST_RETRY_MS", "WEBHOOK_TIMEOUT_MS", "WEBHOOK_ALLOW_PRIVATE", "ACA_URL"])
      expect(problems.some((p) => p.startsWith(name)), name).to.equal(true);
    expect(problemsOf({ ACA_API_KEY: "k" })).to.deep.equal(["ACA_API_KEY is set but ACA_URL is not"]);
    expect(problemsOf({ WEBHOOK_SECRET_KEYS: `${"k".repeat(32)},short` })).to.deep.equal(["WEBHOOK_SECRET_KEYS must list keys of at least 32 characters (e.g. openssl rand -base64 32)"]);
    expect(problemsOf({ WEBHOOK_SECRET_KEYS: `${"k".repeat(32)},${"k".repeat(32)}` })).to.deep.equal(["WEBHOOK_SECRET_KEYS lists a key twice"]);
  });
});
