/**
 * What the REST doors ask of event delivery: an EC's webhook, its dead letters, the ACA feed and the
 * delivery status. Webhook targets are checked against the SSRF guard here, at PUT, and again by every
 * attempt's connection (http.ts), since a name may resolve elsewhere later.
 */
import { errors } from "../domain/errors.ts";
import type { Sql } from "../store/db.ts";
import { acaFeed, deliveryStatus, listDeadLetters, requeueDeadLetter, requeueDeadLetters, type Destination } from "../store/deliveries.ts";
import { deleteWebhook, getWebhook, putWebhook, type Webhook } from "../store/webhooks.ts";
import { publicAddressesOf, TargetRefused } from "./addresses.ts";
import type { SecretBox } from "./secretBox.ts";

const messages = {
  credentials: "must not carry a user name or password (the secret signs the body)",
  unresolved: (host: string) => `names a host that cannot be resolved (${host})`,
};

/** A webhook as shown: never its secret. */
export type ShownWebhook = Omit<Webhook, "secret">;
const shown = ({ secret: _, ...rest }: Webhook): ShownWebhook => rest;

export function createEventService(deps: { db: Sql; allowPrivate: boolean; secrets: SecretBox }) {
  const { db, secrets } = deps;

  async function assertTargetAllowed(url: string): Promise<void> {
    const target = new URL(url);
    if (target.username || target.password) throw errors.ruleViolation("url", messages.credentials);
    if (deps.allowPrivate) return;
    try {
      await publicAddressesOf(target.hostname);
    } catch (error) {
      if (error instanceof TargetRefused) throw errors.ruleViolation("url", `is refused: ${error.message} (set WEBHOOK_ALLOW_PRIVATE=on for local receivers)`);
      throw errors.ruleViolation("url", messages.unresolved(target.hostname));
    }
  }

  const webhookNotFound = (ec: string) => errors.notFound("Webhook not found", `Organization ${ec} has no webhook`);

  return {
    webhooks: {
      async put(ec: string, url: string, secret: string): Promise<ShownWebhook> {
        await assertTargetAllowed(url);
        return shown(await putWebhook(db, ec, url, secrets.seal(ec, secret)));
      },
      async get(ec: string): Promise<ShownWebhook> {
        const webhook = await getWebhook(db, ec);
        if (!webhook) throw webhookNotFound(ec);
        return shown(webhook);
      },
      async remove(ec: string): Promise<void> {
        if (!(await deleteWebhook(db, ec))) throw webhookNotFound(ec);
      },
    },
    deadLetters: {
      list: (ec: string, page: { limit: number; offset: number }) => listDeadLetters(db, ec, page),
      async redeliver(ec: string, id: number): Promise<void> {
        if (!(await requeueDeadLetter(db, ec, id))) throw errors.notFound("Dead letter not found", `Organization ${ec} has no dead letter ${id}`);
      },
      /** Every dead letter of the EC, or of one destination: how many were queued again. */
      redeliverAll: (ec: string, destination: Destination | undefined) => requeueDeadLetters(db, ec, destination),
    },
    /** The ACA feed after `after`; `organizations` undefined: every EC's. */
    acaFeed: (after: number, limit: number, organizations: readonly string[] | undefined) => acaFeed(db, after, limit, organizations),
    status: () => deliveryStatus(db),
  };
}

export type EventService = ReturnType<typeof createEventService>;
