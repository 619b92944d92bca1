/**
 * A background job on a timer, off every request's path: `run`, then a pause, then `run` again; never
 * two runs at once. The pause is `intervalMs`, or none when `again` says work is still waiting (a full
 * batch). A failed run is reported to `onError` and the job goes on after the interval.
 */
export interface RepeatingOptions<T> {
  intervalMs: number;
  /** Before the first run; the interval unless told. */
  firstDelayMs?: number;
  /** Whether to run again at once rather than after the interval. */
  again?: (result: T) => boolean;
  onError: (error: unknown) => void;
}

export interface Repeating {
  start(): void;
  /** Stops scheduling runs and waits for the one in progress, so its work is recorded. */
  stop(): Promise<void>;
}

export function repeating<T>(run: () => Promise<T>, { intervalMs, firstDelayMs = intervalMs, again, onError }: RepeatingOptions<T>): Repeating {
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
      schedule(firstDelayMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inProgress;
    },
  };
}
