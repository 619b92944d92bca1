/**
 * The lifecycle scheduler: every `intervalMs`, stored statuses are brought in line with time
 * (stazione_advance_positions: PUBLISHED -> VALID at the validity date, -> EXPIRED after the due date of
 * positions set to expire, each with its event; activation locks past their end released), batch after batch
 * until none is full. Safe with any number of instances: a batch locks its positions with SKIP LOCKED, so
 * instances share the work and no position moves twice. Runs never overlap within one instance.
 */
import type { Logger } from "pino";
import type { Sql } from "../store/db.ts";
import { advancePositions, type AdvanceCounts } from "../store/lifecycle.ts";
import { repeating } from "./repeating.ts";

export interface SchedulerDeps {
  db: Sql;
  log: Logger;
  /** Pause between the end of one run and the start of the next. */
  intervalMs: number;
  /** Positions (and locks) a batch takes; each batch is one transaction holding their row locks. */
  batchSize?: number;
  /** The clock; by default the database's, which every read judges by (tests inject theirs). */
  now?: () => Date;
}

export interface Scheduler {
  /** One run: batches until the work is done; logged with its counts. */
  runOnce(): Promise<AdvanceCounts>;
  start(): void;
  /** Stops scheduling runs and waits for the one in progress. */
  stop(): Promise<void>;
}

export function createScheduler({ db, log, intervalMs, batchSize = 500, now }: SchedulerDeps): Scheduler {
  let stopped = false;

  async function runOnce(): Promise<AdvanceCounts> {
    const started = Date.now();
    const total: AdvanceCounts = { valid: 0, expired: 0, locksReleased: 0 };
    let batches = 0;
    for (;;) {
      const batch = await advancePositions(db, now?.() ?? null, batchSize);
      batches++;
      total.valid += batch.valid;
      total.expired += batch.expired;
      total.locksReleased += batch.locksReleased;
      // a batch that is not full found no more work (or only rows others hold now: the next run takes them)
      if ((batch.valid + batch.expired < batchSize && batch.locksReleased < batchSize) || stopped) break;
    }
    const changed = total.valid + total.expired + total.locksReleased > 0;
    // a run that changed nothing is the usual case: logged only at debug
    log[changed ? "info" : "debug"]({ ...total, batches, ms: Date.now() - started }, "scheduler run");
    return total;
  }

  const job = repeating(runOnce, {
    intervalMs,
    onError: (error) => log.error({ err: error }, "scheduler run failed; the next run tries again"),
  });

  return {
    runOnce,
    start() {
      stopped = false;
      job.start();
    },
    async stop() {
      // also ends the run in progress after its current batch
      stopped = true;
      await job.stop();
    },
  };
}
