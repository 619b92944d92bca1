/**
 * Preloaded into the benchmarked server (node --import): measures its event-loop delay and answers the
 * benchmark over the IPC channel ("reset" starts a window, "read" returns its p99 and max in ms).
 * Without an IPC channel it does nothing.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";

if (process.send) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  process.on("message", (message) => {
    if (message === "reset") histogram.reset();
    if (message === "read") process.send!({ p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 });
  });
  // the channel must not keep the server alive once it has closed
  process.channel?.unref();
}
