import { expect } from "chai";
import { ConfigError, loadConfig } from "../src/config.ts";
import { problemsOf } from "./support/config.ts";

const EC_A = "12345678901";
const EC_B = "10987654321";
const KEY_A = "key-of-12345678901-x";
const KEY_B = "key-of-10987654321-x";
const ADMIN = "admin-key-0123456789";

describe("configuration (config.ts)", () => {
  describe("defaults", () => {
    it("starts with an empty environment on PGlite, one demo EC, aux digit 3 and a generated admin key", () => {
      const config = loadConfig({});
      expect(config.port).to.equal(3000);
      expect(config.host).to.equal("0.0.0.0");
      expect(config.publicUrl).to.equal(undefined);
      expect(config.databaseUrl).to.equal(undefined);
      expect(config.dataDir).to.equal("./data");
      expect(config.dbPoolSize).to.equal(10);
      expect(config.dbConnectTimeoutMs).to.equal(2000);
      expect(config.dbStatementTimeoutMs).to.equal(5000);
      expect(config.organizations).to.deep.equal(["77777777777"]);
      expect(config.organizationKeys).to.deep.equal([]);
      expect(config.brokerId).to.equal("77777777777");
      expect(config.stationId).to.equal("77777777777_01");
      expect(config.soapPath).to.equal("/paForNode");
      expect(config.lockTtlSeconds).to.equal(2100);
      expect(config.noticeScheme).to.deep.equal({ auxDigit: "3", applicationCode: undefined, segregationCodes: [], checkDigit: true });
      expect(config.bodyLimitBytes).to.equal(1_048_576);
      expect(config.logLevel).to.equal("info");
    });

    it("generates a long random admin key when ADMIN_API_KEY is unset, a different one each start", () => {
      const one = loadConfig({});
      const two = loadConfig({});
      expect(one.adminKeyGenerated).to.equal(true);
      expect(one.adminKeys).to.have.length(1);
      expect(one.adminKeys[0]!.length).to.be.at.least(16);
      expect(one.adminKeys[0]).not.to.equal(two.adminKeys[0]);
    });

    it("checks the IUV check digit unless IUV_CHECK_DIGIT is off", () => {
      expect(loadConfig({}).noticeScheme.checkDigit).to.equal(true);
      expect(loadConfig({ IUV_CHECK_DIGIT: "on" }).noticeScheme.checkDigit).to.equal(true);
      expect(loadConfig({ IUV_CHECK_DIGIT: "off" }).noticeScheme.checkDigit).to.equal(false);
    });

    it("names the environment GET /info shows, 'local' by default", () => {
      expect(loadConfig({}).environment).to.equal("local");
      expect(loadConfig({ ENVIRONMENT: "uat" }).environment).to.equal("uat");
    });

    it("treats an empty variable as unset", () => {
      const config = loadConfig({ PORT: "", LOG_LEVEL: "", AUX_DIGIT: "", DATABASE_URL: "", APPLICATION_CODE: "", PUBLIC_URL: "" });
      expect(config.port).to.equal(3000);
      expect(config.logLevel).to.equal("info");
      expect(config.noticeScheme.auxDigit).to.equal("3");
      expect(config.databaseUrl).to.equal(undefined);
      expect(config.publicUrl).to.equal(undefined);
    });
  });

  describe("given values", () => {
    it("reads every setting", () => {
      const config = loadConfig({
        PORT: "8080",
        HOST: "127.0.0.1",
        PUBLIC_URL: "https://station.example.org/pagopa/",
        DATABASE_URL: "postgresql://user@db:5432/stazione",
        DATA_DIR: "/var/lib/stazione",
        DB_POOL_SIZE: "20",
        DB_CONNECT_TIMEOUT_MS: "1500",
        DB_STATEMENT_TIMEOUT_MS: "3000",
        ORGANIZATIONS: ` ${EC_A} , ${EC_B} `,
        ORGANIZATION_API_KEYS: `${EC_A}:${KEY_A}, ${EC_B}:${KEY_B}`,
        ADMIN_API_KEY: ADMIN,
        BROKER_ID: "15376371009",
        STATION_ID: "15376371009_01",
        SOAP_PATH: "/nodo/paForNode",
        LOCK_TTL_SECONDS: "1800",
        AUX_DIGIT: "3",
        SEGREGATION_CODES: "02, 47",
        BODY_LIMIT_BYTES: "65536",
        LOG_LEVEL: "warn",
      });
      expect(config.port).to.equal(8080);
      expect(config.host).to.equal("127.0.0.1");
      expect(config.publicUrl).to.equal("https://station.example.org/pagopa");
      expect(config.databaseUrl).to.equal("postgresql://user@db:5432/stazione");
      expect(config.dataDir).to.equal("/var/lib/stazione");
      expect(config.dbPoolSize).to.equal(20);
      expect(config.dbConnectTimeoutMs).to.equal(1500);
      expect(config.dbStatementTimeoutMs).to.equal(3000);
      expect(config.organizations).to.deep.equal([EC_A, EC_B]);
      expect([...config.organizationKeys]).to.deep.equal([
        [EC_A, KEY_A],
        [EC_B, KEY_B],
      ]);
      expect(config.adminKeys).to.deep.equal([ADMIN]);
      expect(config.adminKeyGenerated).to.equal(false);
      expect(config.brokerId).to.equal("15376371009");
      expect(config.stationId).to.equal("15376371009_01");
      expect(config.soapPath).to.equal("/nodo/paForNode");
      expect(config.lockTtlSeconds).to.equal(1800);
      expect(config.noticeScheme).to.deep.equal({ auxDigit: "3", applicationCode: undefined, segregationCodes: ["02", "47"], checkDigit: true });
      expect(config.bodyLimitBytes).to.equal(65536);
      expect(config.logLevel).to.equal("warn");
    });

    it("accepts aux digit 0 with a two-digit application code", () => {
      expect(loadConfig({ AUX_DIGIT: "0", APPLICATION_CODE: "07" }).noticeScheme).to.deep.equal({ auxDigit: "0", applicationCode: "07", segregationCodes: [], checkDigit: true });
    });

    it("accepts aux digits 1 and 2 without an application code", () => {
      expect(loadConfig({ AUX_DIGIT: "1" }).noticeScheme.auxDigit).to.equal("1");
      expect(loadConfig({ AUX_DIGIT: "2" }).noticeScheme.auxDigit).to.equal("2");
    });

    it("accepts keys of exactly 16 characters", () => {
      const config = loadConfig({ ORGANIZATIONS: EC_A, ORGANIZATION_API_KEYS: `${EC_A}:abcdefghijklmnop`, ADMIN_API_KEY: "ABCDEFGHIJKLMNOP" });
      expect(config.organizationKeys).to.deep.equal([[EC_A, "abcdefghijklmnop"]]);
      expect(config.adminKeys).to.deep.equal(["ABCDEFGHIJKLMNOP"]);
    });

    it("keeps a colon inside a key", () => {
      expect(loadConfig({ ORGANIZATIONS: EC_A, ORGANIZATION_API_KEYS: `${EC_A}:part-one:part-two-x` }).organizationKeys).to.deep.equal([[EC_A, "part-one:part-two-x"]]);
    });
  });

  describe("bad values", () => {
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ["a port that is not a number", { PORT: "http" }, /^PORT must be an integer between 0 and 65535, got "http"$/],
      ["a port beyond 65535", { PORT: "70000" }, /^PORT must be an integer/],
      ["a negative port", { PORT: "-1" }, /^PORT must be an integer/],
      ["a fractional port", { PORT: "80.5" }, /^PORT must be an integer/],
      ["a public URL that is not http(s)", { PUBLIC_URL: "ftp://station.example.org" }, /^PUBLIC_URL must be an http\(s\) URL/],
      ["a database URL that is not postgres://", { DATABASE_URL: "mysql://db/stazione" }, /^DATABASE_URL must be a postgres:\/\/ URL$/],
      ["a pool of no connections", { DB_POOL_SIZE: "0" }, /^DB_POOL_SIZE must be an integer between 1 and 200/],
      ["a pool beyond 200", { DB_POOL_SIZE: "201" }, /^DB_POOL_SIZE must be an integer between 1 and 200/],
      ["a connect timeout below 100 ms", { DB_CONNECT_TIMEOUT_MS: "99" }, /^DB_CONNECT_TIMEOUT_MS must be an integer between 100 and 60000/],
      ["a statement timeout beyond ten minutes", { DB_STATEMENT_TIMEOUT_MS: "600001" }, /^DB_STATEMENT_TIMEOUT_MS must be an integer/],
      ["an EC fiscal code that is not 11 digits", { ORGANIZATIONS: "1234567890" }, /^ORGANIZATIONS must list 11-digit fiscal codes, got "1234567890"$/],
      ["no EC at all", { ORGANIZATIONS: " , " }, /^ORGANIZATIONS must list at least one EC fiscal code$/],
      ["a key for an EC not served", { ORGANIZATIONS: EC_A, ORGANIZATION_API_KEYS: `${EC_B}:${KEY_B}` }, /^ORGANIZATION_API_KEYS entries must be .* got an entry for "10987654321"$/],
      ["a key entry without a colon", { ORGANIZATIONS: EC_A, ORGANIZATION_API_KEYS: KEY_A }, /^ORGANIZATION_API_KEYS entries must be .* got an entry for "\?"$/],
      ["an EC key shorter than 16 characters", { ORGANIZATIONS: EC_A, ORGANIZATION_API_KEYS: `${EC_A}:fifteen-chars-x` }, /^ORGANIZATION_API_KEYS: the key of 12345678901 must be at least 16 characters$/],
      ["an admin key shorter than 16 characters", { ADMIN_API_KEY: "fifteen-chars-x" }, /^ADMIN_API_KEY must be at least 16 characters$/],
      ["a broker id longer than 35 characters", { BROKER_ID: "x".repeat(36) }, /^BROKER_ID must be 1 to 35 characters/],
      ["a station id longer than 35 characters", { STATION_ID: "y".repeat(36) }, /^STATION_ID must be 1 to 35 characters/],
      ["a SOAP path without a leading slash", { SOAP_PATH: "paForNode" }, /^SOAP_PATH must be a URL path starting with \//],
      ["a SOAP path with a space", { SOAP_PATH: "/pa for node" }, /^SOAP_PATH must be a URL path/],
      ["a lock of zero seconds", { LOCK_TTL_SECONDS: "0" }, /^LOCK_TTL_SECONDS must be an integer between 1 and 86400/],
      ["a lock beyond a day", { LOCK_TTL_SECONDS: "86401" }, /^LOCK_TTL_SECONDS must be an integer/],
      ["an aux digit other than 0 to 3", { AUX_DIGIT: "4" }, /^AUX_DIGIT must be 0, 1, 2 or 3, got "4"$/],
      ["aux digit 0 without an application code", { AUX_DIGIT: "0" }, /^APPLICATION_CODE \(two digits\) is required when AUX_DIGIT is 0$/],
      ["aux digit 0 with a one-digit application code", { AUX_DIGIT: "0", APPLICATION_CODE: "7" }, /^APPLICATION_CODE \(two digits\) is required/],
      ["aux digit 0 with a non-numeric application code", { AUX_DIGIT: "0", APPLICATION_CODE: "ab" }, /^APPLICATION_CODE \(two digits\) is required/],
      ["a segregation code that is not two digits", { SEGREGATION_CODES: "02,7" }, /^SEGREGATION_CODES must be two-digit codes, got "7"$/],
      ["an IUV check digit switch other than on or off", { IUV_CHECK_DIGIT: "no" }, /^IUV_CHECK_DIGIT must be on or off, got "no"$/],
      ["an environment name with a space", { ENVIRONMENT: "u a t" }, /^ENVIRONMENT must be 1 to 35 letters/],
      ["a body limit below 1 KiB", { BODY_LIMIT_BYTES: "1023" }, /^BODY_LIMIT_BYTES must be an integer between 1024 and 67108864/],
      ["an unknown log level", { LOG_LEVEL: "verbose" }, /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"$/],
      ["the same key for two ECs", { ORGANIZATIONS: `${EC_A},${EC_B}`, ORGANIZATION_API_KEYS: `${EC_A}:${KEY_A},${EC_B}:${KEY_A}` }, /^ORGANIZATION_API_KEYS: the key of 10987654321 is also the key of 12345678901/],
      ["an EC key equal to the admin key", { ORGANIZATIONS: EC_A, ORGANIZATION_API_KEYS: `${EC_A}:${ADMIN}`, ADMIN_API_KEY: ADMIN }, /^ORGANIZATION_API_KEYS: the key of 12345678901 is also the admin key/],
    ];
    for (const [what, env, message] of cases) {
      it(`refuses ${what}, naming the variable`, () => {
        const problems = problemsOf(env);
        expect(problems, problems.join("\n")).to.have.length(1);
        expect(problems[0]).to.match(message);
      });
    }

    it("never repeats a short secret in its message", () => {
      const problems = problemsOf({ ORGANIZATIONS: EC_A, ORGANIZATION_API_KEYS: `${EC_A}:tiny-ec-secret,tiny-lone-secret`, ADMIN_API_KEY: "tiny-admin-sec" });
      expect(problems).to.have.length(3);
      const text = problems.join("\n");
      for (const secret of ["tiny-ec-secret", "tiny-lone-secret", "tiny-admin-sec"]) expect(text).not.to.include(secret);
    });

    it("reports every problem together, in one error whose message lists them all", () => {
      const env = {
        PORT: "x",
        DB_POOL_SIZE: "0",
        ORGANIZATIONS: "123",
        ADMIN_API_KEY: "short",
        SOAP_PATH: "nope",
        AUX_DIGIT: "7",
        SEGREGATION_CODES: "1",
        DATABASE_URL: "sqlite://x",
        BODY_LIMIT_BYTES: "1",
        LOG_LEVEL: "loud",
      };
      let thrown: unknown;
      try {
        loadConfig(env);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(ConfigError);
      const { problems, message } = thrown as ConfigError;
      const named = ["PORT", "DB_POOL_SIZE", "ORGANIZATIONS", "ADMIN_API_KEY", "SOAP_PATH", "AUX_DIGIT", "SEGREGATION_CODES", "DATABASE_URL", "BODY_LIMIT_BYTES", "LOG_LEVEL"];
      expect(problems, problems.join("\n")).to.have.length(named.length);
      for (const name of named) expect(problems.some((p) => p.startsWith(name)), name).to.equal(true);
      for (const problem of problems) expect(message).to.include(problem);
    });
  });
});
