// A database outage is not a bug: requests that need the database answer 503 with Retry-After, and the
// outage is logged once per interval with a count instead of a stack trace per request (probed: 15,000
// lines and 33 MB in 22 s of outage). Recovery needs nothing: pg's pools open new connections as soon
// as the server answers again.

export interface ErrorLogger {
  error(message: string, meta?: Record<string, unknown>): unknown;
}

/** What clients are told to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Node's socket errors when the server is down or unreachable.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);
// SQLSTATEs of a server that is shutting down, starting, or out of connection slots; class 08 is
// "connection exception".
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);
// pg and pg-pool report lost or impossible connections only in their messages.
const LOST_CONNECTION = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed)/;

/** Whether `error` means the database cannot be reached right now (rather than a failed statement). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith("08"))) return true;
  if (LOST_CONNECTION.test(error.message)) return true;
  // AggregateError from connecting to several addresses of one host name (localhost: ::1 and 127.0.0.1).
  return error instanceof AggregateError && error.errors.some(isDatabaseUnavailable);
}

export interface OutageLog {
  /** Records one request (or background task) that failed because the database is unreachable. */
  report(error: unknown): void;
}

/**
 * Logs the first failure of an outage at once, then at most one line per `intervalMs` with the number
 * of failures since the last line; a quiet interval ends the outage, so the next failure is logged at
 * once again.
 */
export function createOutageLog(logger: ErrorLogger, intervalMs = 10_000): OutageLog {
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;

  function flush(): void {
    if (failures === 0) {
      timer = undefined;
      return;
    }
    logger.error("database still unavailable", { failures, intervalSeconds: intervalMs / 1000 });
    failures = 0;
    timer = setTimeout(flush, intervalMs).unref();
  }

  return {
    report(error) {
      if (timer !== undefined) {
        failures++;
        return;
      }
      logger.error("database unavailable", { reason: describe(error) });
      timer = setTimeout(flush, intervalMs).unref();
    },
  };
}

/** The error's code and message in one line, without a stack trace. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error instanceof AggregateError && error.errors[0] instanceof Error ? error.errors[0] : error;
  const code = (cause as { code?: unknown }).code;
  return typeof code === "string" ? `${code}: ${cause.message}` : cause.message;
}
