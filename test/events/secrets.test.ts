/**
 * Webhook secrets at rest: sealed under WEBHOOK_SECRET_KEYS (the first seals, every one opens), sealed anew
 * at start, and still signing each delivery with the secret the EC gave.
 */
import { createHmac } from "node:crypto";
import { expect } from "chai";
import pino from "pino";
import { resealWebhookSecrets } from "../../src/events/resealSecrets.ts";
import { createSecretBox, SecretUnreadable } from "../../src/events/secretBox.ts";
import { EventType } from "../../src/domain/events.ts";
import { EC, EC_KEY, OTHER_EC, startApp } from "../support/app.ts";
import { openDatabase, type Database } from "../../src/store/db.ts";
import { skipUnlessPostgres, TEST_DATABASE_URL, testDatabase } from "../support/db.ts";
import { api } from "../support/rest.ts";
import { deliverAll, deliveryEnv, emit, resetEvents, seedPosition, setWebhook, startReceiver, testWorker, type Receiver } from "./support.ts";

const KEY_1 = "first-key-of-at-least-32-characters-0001";
const KEY_2 = "second-key-of-at-least-32-characters-002";
const SECRET = "a-secret-of-the-ec-0001";
const silent = pino({ level: "silent" });

async function storedRow(ec = EC) {
  const [row] = await (await testDatabase()).query<{ secret: string; keyId: string | null }>(
    `SELECT secret, secret_key_id AS "keyId" FROM webhook WHERE organization_fiscal_code = $1`,
    [ec],
  );
  return row!;
}

describe("webhook secrets at rest", () => {
  describe("the box", () => {
    const box = createSecretBox([KEY_1]);

    it("seals under the first key, differently each time, and opens what it sealed for that EC only", () => {
      const a = box.seal(EC, SECRET);
      const b = box.seal(EC, SECRET);
      expect(a.keyId).to.match(/^[0-9a-f]{16}$/);
      expect(a.secret).to.not.contain(SECRET).and.not.equal(b.secret);
      expect(box.open(EC, a)).to.equal(SECRET);
      expect(box.open(EC, b)).to.equal(SECRET);
      expect(() => box.open(OTHER_EC, a)).to.throw(SecretUnreadable, /another organization/);
    });

    it("refuses a sealed text altered by one bit", () => {
      const sealed = box.seal(EC, SECRET);
      const raw = Buffer.from(sealed.secret, "base64url");
      raw[raw.length - 1]! ^= 1;
      expect(() => box.open(EC, { ...sealed, secret: raw.toString("base64url") })).to.throw(SecretUnreadable, /altered/);
    });

    it("keeps a secret as given without keys, and reads one stored as given with keys", () => {
      const plain = createSecretBox([]).seal(EC, SECRET);
      expect(plain).to.deep.equal({ secret: SECRET, keyId: null });
      expect(createSecretBox([]).isStale(plain)).to.equal(false);
      expect(box.open(EC, plain)).to.equal(SECRET);
      expect(box.isStale(plain)).to.equal(true);
    });

    it("opens under any listed key, calls stale what the first did not seal, and names a key it does not have", () => {
      const old = box.seal(EC, SECRET);
      const rotated = createSecretBox([KEY_2, KEY_1]);
      expect(rotated.open(EC, old)).to.equal(SECRET);
      expect(rotated.isStale(old)).to.equal(true);
      expect(rotated.isStale(rotated.seal(EC, SECRET))).to.equal(false);
      expect(() => createSecretBox([KEY_2]).open(EC, old)).to.throw(SecretUnreadable, new RegExp(`${old.keyId!}.*WEBHOOK_SECRET_KEYS`));
    });
  });

  describe("in the station", function () {
    this.timeout(60_000);
    let receiver: Receiver | undefined;
    beforeEach(resetEvents);
    afterEach(async () => receiver?.close());
    after(resetEvents);

    it("stores a secret PUT with keys sealed, and signs deliveries with the secret as the EC gave it", async () => {
      const t = await startApp(deliveryEnv({ WEBHOOK_SECRET_KEYS: KEY_1 }));
      receiver = await startReceiver();
      const { positionId } = await seedPosition();
      await resetEvents();
      expect((await api(t, EC_KEY).put(`/v1/organizations/${EC}/webhook`, { url: receiver.url, secret: SECRET })).status).to.equal(200);
      const row = await storedRow();
      expect(row.secret).to.not.contain(SECRET);
      expect(row.keyId).to.equal(createSecretBox([KEY_1]).seal(EC, "x").keyId);

      await emit(positionId, EventType.UPDATED);
      await deliverAll(testWorker(await testDatabase(), { WEBHOOK_SECRET_KEYS: `${KEY_2},${KEY_1}` }));
      const [delivered] = receiver.accepted();
      expect(delivered!.headers["x-stazione-signature"]).to.equal(`sha256=${createHmac("sha256", SECRET).update(delivered!.raw).digest("hex")}`);
    });

    it("fails a delivery whose secret no configured key opens, saying so, and sends nothing unsigned", async () => {
      receiver = await startReceiver();
      const { positionId } = await seedPosition();
      await resetEvents();
      await setWebhook(receiver.url);
      await resealWebhookSecrets(await testDatabase(), createSecretBox([KEY_1]), silent);
      await emit(positionId, EventType.UPDATED);
      await deliverAll(testWorker(await testDatabase(), { WEBHOOK_MAX_ATTEMPTS: "1" }));
      expect(receiver.requests).to.have.length(0);
      const [dead] = await (await testDatabase()).query<{ state: string; last_error: string }>("SELECT state, last_error FROM delivery");
      expect(dead).to.deep.equal({ state: "DEAD", last_error: `the webhook secret cannot be read: it was sealed under key ${(await storedRow()).keyId!}, which is not in WEBHOOK_SECRET_KEYS` });
    });

    it("two instances starting together seal each secret once, and every secret still opens (PostgreSQL only)", async function () {
      skipUnlessPostgres(this, "PGlite has one in-process connection");
      const db = await testDatabase();
      const ecs = Array.from({ length: 40 }, (_, i) => `9${String(i).padStart(10, "0")}`);
      for (const ec of ecs) await setWebhook(`http://127.0.0.1:9/${ec}`, `the-secret-of-${ec}`, ec);
      const pools: Database[] = await Promise.all([1, 2].map(() => openDatabase({ url: TEST_DATABASE_URL, dataDir: "", poolSize: 2, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 })));
      const box = createSecretBox([KEY_1]);
      try {
        const results = await Promise.all(pools.map((pool) => resealWebhookSecrets(pool, box, silent)));
        expect(results.reduce((sum, r) => sum + r.resealed, 0)).to.equal(ecs.length);
      } finally {
        await Promise.all(pools.map((pool) => pool.close()));
      }
      for (const ec of ecs) expect(box.open(ec, await storedRow(ec))).to.equal(`the-secret-of-${ec}`);
      expect(await resealWebhookSecrets(db, box, silent)).to.deep.equal({ resealed: 0, unreadable: [] });
    });

    it("at start seals secrets stored as given, seals again those of an older key, and leaves alone one it cannot open", async () => {
      const db = await testDatabase();
      await setWebhook("http://127.0.0.1:9/a");
      await setWebhook("http://127.0.0.1:9/b", "another-secret-of-an-ec-02", OTHER_EC);

      expect(await resealWebhookSecrets(db, createSecretBox([]), silent)).to.deep.equal({ resealed: 0, unreadable: [] });
      expect(await storedRow()).to.deep.equal({ secret: SECRET, keyId: null });

      const first = createSecretBox([KEY_1]);
      expect(await resealWebhookSecrets(db, first, silent)).to.deep.equal({ resealed: 2, unreadable: [] });
      const sealed = await storedRow();
      expect(first.open(EC, sealed)).to.equal(SECRET);
      expect(first.open(OTHER_EC, await storedRow(OTHER_EC))).to.equal("another-secret-of-an-ec-02");
      expect(await resealWebhookSecrets(db, first, silent)).to.deep.equal({ resealed: 0, unreadable: [] });

      const rotated = createSecretBox([KEY_2, KEY_1]);
      expect(await resealWebhookSecrets(db, rotated, silent)).to.deep.equal({ resealed: 2, unreadable: [] });
      const resealed = await storedRow();
      expect(resealed.keyId).to.not.equal(sealed.keyId);
      expect(createSecretBox([KEY_2]).open(EC, resealed)).to.equal(SECRET);

      expect(await resealWebhookSecrets(db, first, silent)).to.deep.equal({ resealed: 0, unreadable: [OTHER_EC, EC].sort() });
      expect(await storedRow()).to.deep.equal(resealed);
    });
  });
});
