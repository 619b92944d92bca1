/**
 * Webhook secrets at rest. A secret signs every delivery, so the station must be able to read it back
 * (it cannot be kept as a digest like an API key); with WEBHOOK_SECRET_KEYS it is sealed with AES-256-GCM,
 * so a copy of the database alone does not let anyone sign events as the station. The first key seals,
 * every key opens: a new key goes first, secrets sealed under the others are sealed again at start
 * (resealWebhookSecrets), then the old key can go. Without keys a secret is stored as given.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { StoredSecret } from "../store/webhooks.ts";

/** The key a secret was sealed under is not among WEBHOOK_SECRET_KEYS, or the sealed text was altered. */
export class SecretUnreadable extends Error {
  constructor(detail: string) {
    super(`the webhook secret cannot be read: ${detail}`);
    this.name = "SecretUnreadable";
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Each configured key gives an AES key and, separately, the public id stored beside what it sealed. */
const derive = (key: string, use: string, bytes: number) => Buffer.from(hkdfSync("sha256", key, "", `stazione webhook secret ${use}`, bytes));

export function createSecretBox(keys: readonly string[]) {
  const derived = keys.map((key) => ({ id: derive(key, "key id", 8).toString("hex"), aes: derive(key, "aes-256-gcm", 32) }));
  const current = derived[0];

  return {
    /** Seals an EC's secret under the first key (bound to the EC: it opens for that EC only), or keeps it as given. */
    seal(ec: string, secret: string): StoredSecret {
      if (!current) return { secret, keyId: null };
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", current.aes, iv).setAAD(Buffer.from(ec));
      const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
      return { secret: Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url"), keyId: current.id };
    },
    /** The secret as the EC gave it; SecretUnreadable when its key is not configured or it was altered. */
    open(ec: string, stored: StoredSecret): string {
      if (stored.keyId === null) return stored.secret;
      const key = derived.find((k) => k.id === stored.keyId);
      if (!key) throw new SecretUnreadable(`it was sealed under key ${stored.keyId}, which is not in WEBHOOK_SECRET_KEYS`);
      const raw = Buffer.from(stored.secret, "base64url");
      try {
        const decipher = createDecipheriv("aes-256-gcm", key.aes, raw.subarray(0, IV_BYTES)).setAAD(Buffer.from(ec));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretUnreadable("the sealed text does not open (altered, or sealed for another organization)");
      }
    },
    /** Whether a stored secret should be sealed again: kept as given while keys exist, or sealed under an older key. */
    isStale: (stored: StoredSecret) => current !== undefined && stored.keyId !== current.id,
  };
}

export type SecretBox = ReturnType<typeof createSecretBox>;
