// db_slow_query events: every statement slower than SLOW_QUERY_MS, with its (parameterized) text.
import { emitEvent, type EventLog } from "../logging/events.js";
import { shortStatement, type QueryObserver } from "./observed-client.js";

/** A fifth of the 500 ms latency objective of /mcp: one statement taking that long is worth a look. */
export const SLOW_QUERY_MS = 100;

export function slowQueryObserver(log: EventLog, pool: string, thresholdMs = SLOW_QUERY_MS): QueryObserver {
  return (statement) => {
    const startedAt = performance.now();
    return () => {
      const durationMs = performance.now() - startedAt;
      if (durationMs < thresholdMs) return;
      emitEvent(log, "db_slow_query", { pool, durationMs, statement: shortStatement(statement) });
    };
  };
}
