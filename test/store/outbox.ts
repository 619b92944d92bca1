/** The outbox as tests read it: every event in the order written, with its payload. */
import { testDatabase } from "../support/db.ts";

export interface OutboxEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  positionId: string | null;
  iupd: string | null;
  sequence: number | null;
  aca: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload: Record<string, any>;
}

/** Events in the order they were written, optionally only those of one position (by IUPD). */
export async function outboxEvents(iupd?: string): Promise<OutboxEvent[]> {
  const db = await testDatabase();
  return db.query<OutboxEvent>(
    `SELECT event_type AS type, aggregate_type AS "aggregateType", aggregate_id AS "aggregateId", position_id::text AS "positionId",
            iupd, sequence, aca, payload
       FROM outbox WHERE $1::text IS NULL OR iupd = $1 ORDER BY id`,
    [iupd ?? null],
  );
}

export const typesOf = (events: readonly OutboxEvent[]) => events.map((e) => e.type);

export async function clearOutbox(): Promise<void> {
  await (await testDatabase()).query("DELETE FROM outbox");
}
