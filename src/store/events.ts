/** Lifecycle events of positions, written in the transaction that makes the change (stazione_emit_position_events). */
import type { LifecycleEvent } from "../domain/events.ts";
import type { Sql } from "./db.ts";

/** Writes `type` for each position, as it stands now, in one statement; the caller holds their row locks. */
export async function emitPositionEvents(tx: Sql, positionIds: readonly number[], type: LifecycleEvent): Promise<void> {
  if (positionIds.length === 0) return;
  await tx.query("SELECT stazione_emit_position_events($1::bigint[], $2)", [positionIds, type]);
}
