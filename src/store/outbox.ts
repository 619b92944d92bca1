/** Reads of the outbox (events written with receipts, waiting for delivery to the EC's systems). */
import type { Sql } from "./db.ts";

/** Events not delivered yet (the partial index on pending rows serves the count). */
export async function pendingEventCount(db: Sql): Promise<number> {
  const [row] = await db.query<{ pending: number }>("SELECT count(*)::int AS pending FROM outbox WHERE delivered_at IS NULL");
  return row!.pending;
}
