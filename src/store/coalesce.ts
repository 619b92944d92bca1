/**
 * Lookups that arrive in the same event-loop turn share one database call: the first one of a turn
 * schedules the call for the end of that turn (setImmediate, after every request the turn read), the
 * others join it. Under load a round trip, a socket write and a statement execution serve many
 * requests; a lone request waits for nothing but the end of its own turn. Only for reads that need
 * no lock and no transaction of their own.
 */

/** Keys per call at most; more that arrive together make several calls. */
const MAX_BATCH = 256;

interface Waiter<K, R> {
  key: K;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Wraps `lookupAll`, which answers a list of keys with one result per key in the same order, into a
 * lookup of one key. An error of the shared call is every waiter's error.
 */
export function coalesce<K, R>(lookupAll: (keys: readonly K[]) => Promise<readonly R[]>): (key: K) => Promise<R> {
  let waiting: Waiter<K, R>[] = [];

  async function run(batch: Waiter<K, R>[]): Promise<void> {
    try {
      const results = await lookupAll(batch.map((w) => w.key));
      if (results.length !== batch.length) throw new Error(`coalesced lookup answered ${results.length} results for ${batch.length} keys`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  function flush(): void {
    const all = waiting;
    waiting = [];
    for (let from = 0; from < all.length; from += MAX_BATCH) void run(all.slice(from, from + MAX_BATCH));
  }

  return (key) =>
    new Promise<R>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ key, resolve, reject });
    });
}

/**
 * Writes that arrive while earlier ones are in flight share one call, sent as soon as a call finishes:
 * a lone write goes at the end of its own turn, and under load one round trip and one durable commit
 * serve many (the commit, not the statement, is what bounds single writes). At most `maxInFlight`
 * calls at once. When a shared call fails, each of its writes is tried again alone, so one write's
 * error (a clash with a row that exists) is only its own. `writeAll` must be all or nothing.
 */
export function batchWrites<K>(writeAll: (keys: readonly K[]) => Promise<void>, maxInFlight = 2): (key: K) => Promise<void> {
  let waiting: Waiter<K, void>[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function writeAlone(w: Waiter<K, void>): Promise<void> {
    try {
      await writeAll([w.key]);
      w.resolve();
    } catch (error) {
      w.reject(error);
    }
  }

  async function write(batch: Waiter<K, void>[]): Promise<void> {
    if (batch.length === 1) return writeAlone(batch[0]!);
    try {
      await writeAll(batch.map((w) => w.key));
      for (const w of batch) w.resolve();
    } catch {
      await Promise.all(batch.map(writeAlone));
    }
  }

  function pump(): void {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(MAX_BATCH);
      inFlight++;
      void write(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return (key) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      if (!scheduled && inFlight < maxInFlight) {
        scheduled = true;
        setImmediate(pump);
      }
    });
}
