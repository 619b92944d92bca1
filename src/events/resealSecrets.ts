/**
 * At start: every webhook secret stored as given, or sealed under a key that is no longer the first of
 * WEBHOOK_SECRET_KEYS, is sealed under the first. Each row is replaced only if unchanged since it was
 * read, so instances starting together and PUTs meanwhile are safe. A secret no configured key opens is
 * left as it is and reported: its deliveries fail (and end as dead letters, redeliverable) until its key
 * is configured again or the EC sets its webhook anew.
 */
import type { Logger } from "pino";
import type { Sql } from "../store/db.ts";
import { listWebhookSecrets, restoreWebhookSecret } from "../store/webhooks.ts";
import { SecretUnreadable, type SecretBox } from "./secretBox.ts";

export async function resealWebhookSecrets(db: Sql, box: SecretBox, log: Logger): Promise<{ resealed: number; unreadable: string[] }> {
  let resealed = 0;
  const unreadable: string[] = [];
  for (const { ec, stored } of await listWebhookSecrets(db)) {
    let secret: string;
    try {
      secret = box.open(ec, stored);
    } catch (error) {
      if (!(error instanceof SecretUnreadable)) throw error;
      unreadable.push(ec);
      continue;
    }
    if (box.isStale(stored) && (await restoreWebhookSecret(db, ec, stored, box.seal(ec, secret)))) resealed++;
  }
  if (resealed > 0) log.info({ resealed }, "webhook secrets sealed under the first of WEBHOOK_SECRET_KEYS");
  if (unreadable.length > 0) log.error({ organizations: unreadable }, "webhook secrets no key of WEBHOOK_SECRET_KEYS opens: their events are not delivered until the key is configured or the webhook is set again");
  return { resealed, unreadable };
}
