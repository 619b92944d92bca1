/**
 * The lifecycle scheduler: every `intervalMs`, stored statuses are brought in line with time
 * (stazione_advance_positions: PUBLISHED -> VALID at the validity date, -> EXPIRED after the due date of
 * positions set to expire, each with its event), batch after batch until none is full; then the next span
 * of the options is swept for activation locks past their end (stazione_release_locks), so a run reads a
 * bounded share of the options table however large it is, and the sweep goes round it run after run.
 * Safe with any number of instances: batches lock their rows with SKIP LOCKED, so instances share the work
 * and no position moves twice. Runs never overlap within one instance.
 */
import type { Logger } from "pino";
import type { Sql } from "../store/db.ts";
import { advancePositions, releaseLocks, type AdvanceCounts } from "../store/lifecycle.ts";
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
  /** Options a run reads for ended activation locks (by id, from where the last run stopped). */
  lockSweepSpan?: number;
}

export interface RunCounts extends AdvanceCounts {
  /** Activation locks past their end, cleared. */
  locksReleased: number;
}

export interface Scheduler {
  /** One run: batches until the work is done; logged with its counts. */
  runOnce(): Promise<RunCounts>;
  start(): void;
  /** Stops scheduling runs and waits for the one in progress. */
  stop(): Promise<void>;
}

export function createScheduler({ db, log, intervalMs, batchSize = 500, now, lockSweepSpan = 100_000 }: SchedulerDeps): Scheduler {
  let stopped = false;
  /** Where the lock sweep goes on from: kept by each instance (several sweeping the same span is harmless). */
  let lockSweepFrom = 0;

  async function runOnce(): Promise<RunCounts> {
    const started = Date.now();
    const total: RunCounts = { valid: 0, expired: 0, locksReleased: 0 };
    let batches = 0;
    for (;;) {
      const batch = await advancePositions(db, now?.() ?? null, batchSize);
      batches++;
      total.valid += batch.valid;
      total.expired += batch.expired;
      // a batch that is not full found no more work (or only rows others hold now: the next run takes them)
      if (batch.valid + batch.expired < batchSize || stopped) break;
    }
    let lockSteps = 0;
    for (;;) {
      const step = await releaseLocks(db, now?.() ?? null, batchSize, lockSweepFrom, lockSweepSpan);
      lockSteps++;
      total.locksReleased += step.released;
      lockSweepFrom = step.nextFrom;
      // a full step stopped after its last lock cleared, maybe short of its span: the next goes on from there
      if (step.released < batchSize || stopped) break;
    }
    const changed = total.valid + total.expired + total.locksReleased > 0;
    // a run that changed nothing is the usual case: logged only at debug
    log[changed ? "info" : "debug"]({ ...total, batches, lockSteps, ms: Date.now() - started }, "scheduler run");
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
