/** Each EC's webhook: where its events are POSTed and the secret that signs them (sealed or as given: src/events/secretBox.ts). */
import type { Sql } from "./db.ts";

/** A secret as kept: sealed under the key `keyId`, or as given when keyId is null. */
export interface StoredSecret {
  secret: string;
  keyId: string | null;
}

export interface Webhook {
  url: string;
  secret: StoredSecret;
  createdAt: string;
  updatedAt: string;
}

interface WebhookRow {
  url: string;
  secret: string;
  keyId: string | null;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = `url, secret, secret_key_id AS "keyId", created_at AS "createdAt", updated_at AS "updatedAt"`;
const webhookOf = ({ url, secret, keyId, createdAt, updatedAt }: WebhookRow): Webhook => ({ url, secret: { secret, keyId }, createdAt, updatedAt });

export async function putWebhook(sql: Sql, ec: string, url: string, secret: StoredSecret): Promise<Webhook> {
  const [row] = await sql.query<WebhookRow>(
    `INSERT INTO webhook (organization_fiscal_code, url, secret, secret_key_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (organization_fiscal_code) DO UPDATE
       SET url = EXCLUDED.url, secret = EXCLUDED.secret, secret_key_id = EXCLUDED.secret_key_id, updated_at = now()
     RETURNING ${COLUMNS}`,
    [ec, url, secret.secret, secret.keyId],
  );
  return webhookOf(row!);
}

export async function getWebhook(sql: Sql, ec: string): Promise<Webhook | undefined> {
  const [row] = await sql.query<WebhookRow>(`SELECT ${COLUMNS} FROM webhook WHERE organization_fiscal_code = $1`, [ec]);
  return row && webhookOf(row);
}

/** True when there was one. */
export async function deleteWebhook(sql: Sql, ec: string): Promise<boolean> {
  const rows = await sql.query("DELETE FROM webhook WHERE organization_fiscal_code = $1 RETURNING 1", [ec]);
  return rows.length > 0;
}

/** Every EC's stored secret. */
export async function listWebhookSecrets(sql: Sql): Promise<Array<{ ec: string; stored: StoredSecret }>> {
  const rows = await sql.query<{ ec: string; secret: string; keyId: string | null }>(
    `SELECT organization_fiscal_code AS ec, secret, secret_key_id AS "keyId" FROM webhook ORDER BY organization_fiscal_code`,
  );
  return rows.map(({ ec, secret, keyId }) => ({ ec, stored: { secret, keyId } }));
}

/**
 * Replaces an EC's stored secret by the same secret stored anew, only if it is still `was` (a PUT or
 * another instance may have changed it meanwhile); true when it was replaced.
 */
export async function restoreWebhookSecret(sql: Sql, ec: string, was: StoredSecret, now: StoredSecret): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE webhook SET secret = $4, secret_key_id = $5
      WHERE organization_fiscal_code = $1 AND secret = $2 AND secret_key_id IS NOT DISTINCT FROM $3 RETURNING 1`,
    [ec, was.secret, was.keyId, now.secret, now.keyId],
  );
  return rows.length > 0;
}
