/** Each EC's webhook: where its events are POSTed and the secret that signs them. */
import type { Sql } from "./db.ts";

export interface Webhook {
  url: string;
  secret: string;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = `url, secret, created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function putWebhook(sql: Sql, ec: string, url: string, secret: string): Promise<Webhook> {
  const [row] = await sql.query<Webhook>(
    `INSERT INTO webhook (organization_fiscal_code, url, secret) VALUES ($1, $2, $3)
     ON CONFLICT (organization_fiscal_code) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret, updated_at = now()
     RETURNING ${COLUMNS}`,
    [ec, url, secret],
  );
  return row!;
}

export async function getWebhook(sql: Sql, ec: string): Promise<Webhook | undefined> {
  const [row] = await sql.query<Webhook>(`SELECT ${COLUMNS} FROM webhook WHERE organization_fiscal_code = $1`, [ec]);
  return row;
}

/** True when there was one. */
export async function deleteWebhook(sql: Sql, ec: string): Promise<boolean> {
  const rows = await sql.query("DELETE FROM webhook WHERE organization_fiscal_code = $1 RETURNING 1", [ec]);
  return rows.length > 0;
}
