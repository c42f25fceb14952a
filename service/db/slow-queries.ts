// db_slow_query events: every statement slower than SLOW_QUERY_MS, with its (parameterized) text.
import { emitEvent, type EventLog } from "../logging/events.js";
import type { QueryObserver } from "./observed-client.js";

/** A fifth of the 500 ms latency objective of /mcp: one statement taking that long is worth a look. */
export const SLOW_QUERY_MS = 100;

const STATEMENT_CHARS = 200;

export function slowQueryObserver(log: EventLog, pool: string, thresholdMs = SLOW_QUERY_MS): QueryObserver {
  return (statement) => {
    const startedAt = performance.now();
    return () => {
      const durationMs = performance.now() - startedAt;
      if (durationMs < thresholdMs) return;
      emitEvent(log, "db_slow_query", { pool, durationMs, statement: shortened(statement) });
    };
  };
}

/** One line, comments dropped (a migration file starts with some), at most STATEMENT_CHARS. */
function shortened(statement: string): string {
  return statement.replace(/--[^\n]*/g, "").replace(/\s+/g, " ").trim().slice(0, STATEMENT_CHARS);
}
