import { createHash } from "node:crypto";
import { expect } from "chai";
import { loadConfig } from "../../src/config.ts";
import { EC, OTHER_EC } from "../support/app.ts";
import { problemsOf } from "../support/config.ts";
import { startStation, type Station } from "./support.ts";
import { KEY_HEADER } from "../support/rest.ts";

const sha256 = (key: string) => createHash("sha256").update(key).digest("hex");
const OLD_ADMIN = "old-admin-key-0000000001";
const NEW_ADMIN = "new-admin-key-0000000002";
const DIGEST_ADMIN = "digest-admin-key-00000003";
const OLD_EC = "old-ec-key-77777777777-01";
const NEW_EC = "new-ec-key-77777777777-02";
const OTHER = "ec-key-88888888888-000001";

describe("API key rotation: several keys at once, plain or as SHA-256 digests", () => {
  let s: Station;
  const list = (key: string, ec = EC) => s.http.get(`/v1/organizations/${ec}/debtpositions`).set(KEY_HEADER, key);

  beforeEach(async () => {
    s = await startStation({
      ADMIN_API_KEY: `${OLD_ADMIN}, ${NEW_ADMIN},sha256:${sha256(DIGEST_ADMIN).toUpperCase()}`,
      ORGANIZATION_API_KEYS: `${EC}:${OLD_EC},${EC}:sha256:${sha256(NEW_EC)},${OTHER_EC}:${OTHER}`,
    });
  });

  it("accepts every admin key listed, the one given as a digest included", async () => {
    for (const key of [OLD_ADMIN, NEW_ADMIN, DIGEST_ADMIN]) {
      expect((await list(key)).status, key).to.equal(200);
      expect((await list(key, OTHER_EC)).status, key).to.equal(200);
    }
  });

  it("accepts both keys of an EC, each only on its own EC", async () => {
    for (const key of [OLD_EC, NEW_EC]) {
      expect((await list(key)).status, key).to.equal(200);
      expect((await list(key, OTHER_EC)).status, key).to.equal(403);
    }
    expect((await list(OTHER, OTHER_EC)).status).to.equal(200);
  });

  it("does not take the digest itself as a key", async () => {
    expect((await list(`sha256:${sha256(DIGEST_ADMIN)}`)).status).to.equal(401);
    expect((await list(sha256(NEW_EC))).status).to.equal(401);
  });

  it("drops a key once it is no longer listed", async () => {
    s = await startStation({ ADMIN_API_KEY: NEW_ADMIN, ORGANIZATION_API_KEYS: `${EC}:${NEW_EC}` });
    expect((await list(OLD_ADMIN)).status).to.equal(401);
    expect((await list(OLD_EC)).status).to.equal(401);
    expect((await list(NEW_ADMIN)).status).to.equal(200);
    expect((await list(NEW_EC)).status).to.equal(200);
  });

  it("lists the keys in the configuration as given", () => {
    const config = loadConfig({ ORGANIZATIONS: `${EC},${OTHER_EC}`, ADMIN_API_KEY: `${OLD_ADMIN},${NEW_ADMIN}`, ORGANIZATION_API_KEYS: `${EC}:${OLD_EC},${EC}:${NEW_EC}` });
    expect(config.adminKeys).to.deep.equal([OLD_ADMIN, NEW_ADMIN]);
    expect(config.organizationKeys).to.deep.equal([
      [EC, OLD_EC],
      [EC, NEW_EC],
    ]);
  });

  describe("configuration errors", () => {
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ["a digest that is not 64 hex digits", { ADMIN_API_KEY: "sha256:abc" }, /^ADMIN_API_KEY "sha256:" keys must be followed by 64 hexadecimal digits$/],
      ["a short second admin key", { ADMIN_API_KEY: `${OLD_ADMIN},short` }, /^ADMIN_API_KEY must be at least 16 characters$/],
      ["an admin key list with no key", { ADMIN_API_KEY: " , " }, /^ADMIN_API_KEY must list at least one key$/],
      ["an EC digest that is not 64 hex digits", { ORGANIZATIONS: EC, ORGANIZATION_API_KEYS: `${EC}:sha256:${"g".repeat(64)}` }, /^ORGANIZATION_API_KEYS: the key of 77777777777 "sha256:" keys must be/],
      ["an EC key that is the admin key in digest form", { ORGANIZATIONS: EC, ADMIN_API_KEY: `sha256:${sha256(OLD_EC)}`, ORGANIZATION_API_KEYS: `${EC}:${OLD_EC}` }, /is also the admin key/],
      ["one key for two ECs, once plain and once as a digest", { ORGANIZATIONS: `${EC},${OTHER_EC}`, ORGANIZATION_API_KEYS: `${EC}:${OLD_EC},${OTHER_EC}:sha256:${sha256(OLD_EC)}` }, /^ORGANIZATION_API_KEYS: the key of 88888888888 is also the key of 77777777777/],
    ];
    for (const [what, env, message] of cases) {
      it(`refuses ${what}`, () => {
        const problems = problemsOf(env);
        expect(problems, problems.join("\n")).to.have.length(1);
        expect(problems[0]).to.match(message);
      });
    }

    it("never repeats a key in its messages", () => {
      const text = problemsOf({ ORGANIZATIONS: EC, ADMIN_API_KEY: `short-admin,sha256:${sha256(OLD_EC)}`, ORGANIZATION_API_KEYS: `${EC}:${OLD_EC},${EC}:tiny` }).join("\n");
      for (const secret of ["short-admin", OLD_EC, sha256(OLD_EC), "tiny"]) expect(text).not.to.include(secret);
    });
  });
});
