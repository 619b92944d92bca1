/** PUT, GET and DELETE /v1/organizations/{ec}/webhook: keys, validation and the SSRF guard at PUT. */
import { expect } from "chai";
import { EC, EC_KEY, OTHER_EC, startApp, type TestApp } from "../support/app.ts";
import { api } from "../support/rest.ts";
import { deliveryEnv, resetEvents } from "./support.ts";

const path = (ec = EC) => `/v1/organizations/${ec}/webhook`;
const SECRET = "a-secret-of-the-ec-0001";

describe("the webhook of an organization", () => {
  after(resetEvents);
  describe("with private targets allowed", () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startApp(deliveryEnv());
      await resetEvents();
    });

    it("is set with an EC key, shown without its secret, replaced, and removed", async () => {
      const put = await api(t, EC_KEY).put(path(), { url: "http://127.0.0.1:9/hook", secret: SECRET });
      expect(put.status, put.text).to.equal(200);
      expect(put.body.url).to.equal("http://127.0.0.1:9/hook");
      expect(put.body).to.not.have.property("secret");
      const shown = await api(t, EC_KEY).get(path());
      expect(shown.status).to.equal(200);
      expect(JSON.stringify(shown.body)).to.not.contain(SECRET);
      expect((await api(t).put(path(), { url: "https://receiver.example/new", secret: SECRET })).body.url).to.equal("https://receiver.example/new");
      expect((await api(t, EC_KEY).delete(path())).status).to.equal(200);
      expect((await api(t, EC_KEY).get(path())).status).to.equal(404);
      expect((await api(t, EC_KEY).delete(path())).status).to.equal(404);
    });

    it("is refused to another EC's key, and checked against its schema", async () => {
      expect((await api(t, EC_KEY).put(path(OTHER_EC), { url: "http://127.0.0.1:9/", secret: SECRET })).status).to.equal(403);
      expect((await api(t, EC_KEY).get(path(OTHER_EC))).status).to.equal(403);
      const bad = [
        [{ url: "ftp://example.org/", secret: SECRET }, "url"],
        [{ url: "http://example.org/", secret: "short" }, "secret"],
        [{ url: "http://example.org/" }, "secret"],
        [{ url: "http://example.org/", secret: SECRET, extra: 1 }, "extra"],
      ] as const;
      for (const [body, field] of bad) {
        const res = await api(t, EC_KEY).put(path(), body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.field).to.equal(field);
      }
      const credentials = await api(t, EC_KEY).put(path(), { url: "http://user:pass@example.org/", secret: SECRET });
      expect(credentials.status).to.equal(422);
    });
  });

  describe("without WEBHOOK_ALLOW_PRIVATE", () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startApp();
      await resetEvents();
    });

    for (const url of ["http://127.0.0.1/hook", "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/", "http://[::ffff:127.0.0.1]/", "http://[fd00::1]/", "http://[fe80::1]/", "http://0.0.0.0/", "http://localhost/", "http://2130706433/"]) {
      it(`refuses ${url} with 422 and stores nothing`, async () => {
        const res = await api(t, EC_KEY).put(path(), { url, secret: SECRET });
        expect(res.status, res.text).to.equal(422);
        expect(res.body.field).to.equal("url");
        expect((await api(t, EC_KEY).get(path())).status).to.equal(404);
      });
    }

    it("accepts a public address", async () => {
      expect((await api(t, EC_KEY).put(path(), { url: "https://8.8.8.8/hook", secret: SECRET })).status).to.equal(200);
    });
  });
});
