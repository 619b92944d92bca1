/**
 * A background job on a timer, off every request's path: a pause, `run`, a pause, `run` again; never two
 * runs at once. The pause is `intervalMs`, or none when `again` says work is still waiting (a full batch).
 * The first run waits the interval too, so a station that has just started answers its first requests
 * before its jobs (on PGlite they take turns on one thread). A failed run is reported to `onError` and the
 * job goes on after the interval.
 */
export interface RepeatingOptions<T> {
  intervalMs: number;
  /** Whether to run again at once rather than after the interval. */
  again?: (result: T) => boolean;
  onError: (error: unknown) => void;
}

export interface Repeating {
  start(): void;
  /** Stops scheduling runs and waits for the one in progress, so its work is recorded. */
  stop(): Promise<void>;
}

export function repeating<T>(run: () => Promise<T>, { intervalMs, again, onError }: RepeatingOptions<T>): Repeating {
  let timer: NodeJS.Timeout | undefined;
  let inProgress: Promise<void> = Promise.resolve();
  let stopped = true;

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => (inProgress = runAndReschedule()), delayMs);
    // the station's server keeps the process alive, not its background jobs
    timer.unref();
  }

  async function runAndReschedule(): Promise<void> {
    let delayMs = intervalMs;
    try {
      const result = await run();
      if (again?.(result)) delayMs = 0;
    } catch (error) {
      onError(error);
    }
    schedule(delayMs);
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(intervalMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inProgress;
    },
  };
}
