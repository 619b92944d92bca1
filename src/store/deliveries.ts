/**
 * Delivery of outbox events: routing each event to its destinations, claiming due deliveries (several
 * instances at once: SKIP LOCKED, and a lease so no HTTP call runs inside a transaction), recording
 * outcomes, dead letters, the ACA feed and the counts the status endpoint and /metrics show.
 */
import type { Database, Sql } from "./db.ts";

export const Destination = { WEBHOOK: "WEBHOOK", ACA: "ACA" } as const;
export type Destination = (typeof Destination)[keyof typeof Destination];

/** An outbox event as delivery reads it. */
export interface OutboxEvent {
  eventId: number;
  type: string;
  organizationFiscalCode: string;
  aggregateType: string;
  aggregateId: string;
  positionId: number | null;
  iupd: string | null;
  sequence: number | null;
  payload: Record<string, unknown>;
  occurredAt: string;
}

export interface ClaimedDelivery extends OutboxEvent {
  id: number;
  destination: Destination;
  /** This attempt's number, from 1. */
  attempt: number;
}

const EVENT_COLUMNS = `o.id AS "eventId", o.event_type AS type, o.organization_fiscal_code AS "organizationFiscalCode",
  o.aggregate_type AS "aggregateType", o.aggregate_id AS "aggregateId", o.position_id AS "positionId", o.iupd,
  o.sequence, o.payload, o.created_at AS "occurredAt"`;

/**
 * Routes the events not routed yet, oldest first: a WEBHOOK delivery when the EC has a webhook now, an
 * ACA delivery for events on the ACA feed when the push is on. One instance routes at a time (an advisory
 * lock; the others skip), so a position's events get their deliveries in their order.
 */
export async function routeEvents(db: Database, options: { acaPush: boolean; batch: number }): Promise<number> {
  return db.transaction(async (tx) => {
    const [lock] = await tx.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock(hashtext('stazione_route_events')) AS locked");
    if (!lock!.locked) return 0;
    const rows = await tx.query(
      `WITH batch AS (
         SELECT id, organization_fiscal_code, position_id, sequence, aca FROM outbox WHERE routed_at IS NULL ORDER BY id LIMIT $2 FOR UPDATE
       ), webhooks AS (
         INSERT INTO delivery (outbox_id, destination, organization_fiscal_code, position_id, sequence)
         SELECT b.id, 'WEBHOOK', b.organization_fiscal_code, b.position_id, b.sequence
           FROM batch b JOIN webhook w ON w.organization_fiscal_code = b.organization_fiscal_code
       ), aca AS (
         INSERT INTO delivery (outbox_id, destination, organization_fiscal_code, position_id, sequence)
         SELECT b.id, 'ACA', b.organization_fiscal_code, b.position_id, b.sequence FROM batch b WHERE b.aca AND $1::boolean
       )
       UPDATE outbox o SET routed_at = now() FROM batch b WHERE o.id = b.id RETURNING o.id`,
      [options.acaPush, options.batch],
    );
    return rows.length;
  });
}

/**
 * Claims up to `limit` due deliveries and counts the attempt. A delivery is due when its time has come and
 * no earlier event of its position to the same destination is still pending (delivered or dead letters
 * let the next go). The claim moves next_attempt_at forward by the lease: a process killed mid-attempt
 * leaves the delivery to be claimed again once the lease is over.
 */
export async function claimDeliveries(db: Sql, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return db.query<ClaimedDelivery>(
    `WITH due AS (
       SELECT d.id FROM delivery d
        WHERE d.state = 'PENDING' AND d.next_attempt_at <= now()
          AND NOT EXISTS (SELECT 1 FROM delivery e
                           WHERE e.position_id = d.position_id AND e.destination = d.destination
                             AND e.sequence < d.sequence AND e.state = 'PENDING')
        ORDER BY d.id LIMIT $1 FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE delivery d SET attempts = d.attempts + 1, last_attempt_at = now(),
            next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
       FROM due, outbox o
      WHERE d.id = due.id AND o.id = d.outbox_id
      RETURNING d.id, d.destination, d.attempts AS attempt, ${EVENT_COLUMNS}`,
    [limit, leaseMs],
  );
}

export async function recordDelivered(db: Sql, id: number): Promise<void> {
  await db.query("UPDATE delivery SET state = 'DELIVERED', delivered_at = now(), last_error = NULL WHERE id = $1 AND state = 'PENDING'", [id]);
}

/**
 * A failed attempt: retried at `retryAt`, or a dead letter when it is undefined. Only the attempt that
 * holds the claim writes (a late answer after the lease passed to another attempt changes nothing).
 */
export async function recordFailure(db: Sql, id: number, attempt: number, error: string, retryAt: Date | undefined): Promise<void> {
  await db.query(
    `UPDATE delivery SET last_error = $3, state = CASE WHEN $4::timestamptz IS NULL THEN 'DEAD' ELSE 'PENDING' END,
            next_attempt_at = coalesce($4::timestamptz, next_attempt_at)
      WHERE id = $1 AND attempts = $2 AND state = 'PENDING'`,
    [id, attempt, error.slice(0, 1000), retryAt?.toISOString() ?? null],
  );
}

export interface DeadLetter {
  id: number;
  destination: Destination;
  eventId: number;
  type: string;
  iupd: string | null;
  sequence: number | null;
  occurredAt: string;
  attempts: number;
  lastAttemptAt: string | null;
  lastError: string | null;
}

export async function listDeadLetters(sql: Sql, ec: string, page: { limit: number; offset: number }): Promise<{ items: DeadLetter[]; total: number }> {
  const items = await sql.query<DeadLetter>(
    `SELECT d.id, d.destination, o.id AS "eventId", o.event_type AS type, o.iupd, o.sequence, o.created_at AS "occurredAt",
            d.attempts, d.last_attempt_at AS "lastAttemptAt", d.last_error AS "lastError"
       FROM delivery d JOIN outbox o ON o.id = d.outbox_id
      WHERE d.organization_fiscal_code = $1 AND d.state = 'DEAD' ORDER BY d.id LIMIT $2 OFFSET $3`,
    [ec, page.limit, page.offset],
  );
  const [count] = await sql.query<{ total: number }>("SELECT count(*)::int AS total FROM delivery WHERE organization_fiscal_code = $1 AND state = 'DEAD'", [ec]);
  return { items, total: count!.total };
}

/** A dead letter queued again: due now, its attempts reset. */
const REQUEUE = "UPDATE delivery SET state = 'PENDING', attempts = 0, next_attempt_at = now()";

/** Queues a dead letter again with its attempts reset; false when the EC has no such dead letter. */
export async function requeueDeadLetter(sql: Sql, ec: string, id: number): Promise<boolean> {
  const rows = await sql.query(
    `${REQUEUE} WHERE id = $2 AND organization_fiscal_code = $1 AND state = 'DEAD' RETURNING id`,
    [ec, id],
  );
  return rows.length > 0;
}

/** Queues again every dead letter of the EC (of one destination when given), attempts reset; how many. */
export async function requeueDeadLetters(sql: Sql, ec: string, destination: Destination | undefined): Promise<number> {
  const rows = await sql.query(
    `${REQUEUE} WHERE organization_fiscal_code = $1 AND state = 'DEAD' AND ($2::text IS NULL OR destination = $2) RETURNING id`,
    [ec, destination ?? null],
  );
  return rows.length;
}

export interface FeedEvent extends OutboxEvent {
  /** Written after a transaction still running began: that transaction may yet commit an earlier id. */
  unsettled: boolean | null;
}

/**
 * The ACA feed after a cursor (an event id), in id order, cut before the first event written after the start
 * of a transaction that is still running and has written anything: such a transaction may have taken an
 * earlier id and not committed it yet, and a cursor moved past that id would skip its event for good. The
 * second of margin covers clock granularity; with no writer running in this database, nothing is held back.
 */
export async function acaFeed(sql: Sql, after: number, limit: number, organizations: readonly string[] | undefined): Promise<OutboxEvent[]> {
  const rows = await sql.query<FeedEvent>(
    `WITH writers AS (
       SELECT min(xact_start) AS oldest FROM pg_stat_activity
        WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
     )
     SELECT ${EVENT_COLUMNS}, o.written_at >= (SELECT oldest FROM writers) - interval '1 second' AS unsettled
       FROM outbox o
      WHERE o.aca AND o.id > $1 AND ($3::text[] IS NULL OR o.organization_fiscal_code = ANY($3::text[]))
      ORDER BY o.id LIMIT $2`,
    [after, limit, organizations ?? null],
  );
  const cut = rows.findIndex((r) => r.unsettled === true);
  return (cut < 0 ? rows : rows.slice(0, cut)).map(({ unsettled: _, ...event }) => event);
}

export interface DeliveryStatus {
  /** Events not routed yet plus deliveries pending (due, waiting for a retry, or in flight). */
  undelivered: number;
  oldestUndeliveredAt: string | null;
  deadLetters: number;
  /** ECs with failing deliveries (pending after a failed attempt) or dead letters. */
  failuresByOrganization: Array<{ organizationFiscalCode: string; failing: number; deadLetters: number }>;
}

export async function deliveryStatus(sql: Sql): Promise<DeliveryStatus> {
  const [totals] = await sql.query<{ undelivered: number; oldest: string | null; dead: number }>(
    `SELECT (SELECT count(*) FROM outbox WHERE routed_at IS NULL) + (SELECT count(*) FROM delivery WHERE state = 'PENDING') AS undelivered,
            least((SELECT min(created_at) FROM outbox WHERE routed_at IS NULL),
                  (SELECT min(o.created_at) FROM delivery d JOIN outbox o ON o.id = d.outbox_id WHERE d.state = 'PENDING')) AS oldest,
            (SELECT count(*) FROM delivery WHERE state = 'DEAD') AS dead`,
  );
  const byEc = await sql.query<{ organizationFiscalCode: string; failing: number; deadLetters: number }>(
    `SELECT organization_fiscal_code AS "organizationFiscalCode",
            count(*) FILTER (WHERE state = 'PENDING')::int AS failing, count(*) FILTER (WHERE state = 'DEAD')::int AS "deadLetters"
       FROM delivery WHERE state = 'DEAD' OR (state = 'PENDING' AND last_error IS NOT NULL)
      GROUP BY organization_fiscal_code ORDER BY organization_fiscal_code`,
  );
  return { undelivered: Number(totals!.undelivered), oldestUndeliveredAt: totals!.oldest, deadLetters: Number(totals!.dead), failuresByOrganization: byEc };
}
