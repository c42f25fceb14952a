// What the SDK tells a client when a store fails. The SDK answers an unexpected error with its message
// (-32603), which for a database error would be PostgreSQL's own text: the stores rethrow a plain one
// instead, after reporting an outage (db/outage.ts) or logging the real error.
import type { Logger } from "winston";
import { isDatabaseUnavailable, type OutageLog } from "../db/outage.js";

/** The message of a store call that failed because the database is unreachable; the router answers it 503. */
export const STORE_UNAVAILABLE = "Service unavailable: the database cannot be reached; retry shortly";

export interface StoreFailures {
  log: Logger;
  outages: OutageLog;
}

export async function storeCall<T>(failures: StoreFailures, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      failures.outages.report(error);
      throw new Error(STORE_UNAVAILABLE);
    }
    failures.log.error(`A2A ${what} failed`, { error });
    throw new Error("Internal error");
  }
}
