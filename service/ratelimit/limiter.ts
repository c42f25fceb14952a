// Decides whether a request is within its limits, using counters every instance shares.
//
// Failure policy: FAIL OPEN. If the counter statement fails (database down, pool exhausted), the request
// is allowed without rate-limit headers and a warning is logged. Every route behind the limiter needs
// the same database for its own work, so failing closed would only turn a database blip into a wall of
// 429s; failing open keeps whatever can still be served working while the outage is visible in logs.
//
// Durability: the app gives the limiter a pool with asynchronous commit (db/pool.ts, counterPool). A
// Postgres crash may forget the increments of its last moments, which at worst grants a few extra
// requests; in exchange a request does not wait for a WAL flush while holding its counters' row locks.
//
// Batching: requests charged in the same turn of the event loop share one statement (counters.ts
// charges them in arrival order, exactly as one after another), and while every connection of the
// pool is busy with a batch, the next batch grows instead of queueing for a connection. Under load
// that makes the charge a fraction of a round trip per request; alone, a request waits for nothing.
import type pg from "pg";
import { isDatabaseUnavailable, type OutageLog } from "../db/outage.js";
import { sweeper } from "../db/sweeper.js";
import { chargeCounters, deleteExpiredCounters, type Charge, type ChargeRequest, type CounterHit, type CounterState, type RateWindow } from "./counters.js";

/** Who a bucket belongs to; shown to users (whoami) and used to pick header values. */
export type LimitScope = "api_key" | "user" | "tenant" | "ip";

export interface Limit extends CounterHit {
  scope: LimitScope;
}

export interface BucketUsage extends Limit, Omit<CounterState, "bucket"> {}

export interface RateLimitDecision {
  allowed: boolean;
  /** The buckets charged for this request (month buckets are skipped when a minute bucket rejected). */
  usage: BucketUsage[];
  /** Seconds until every exceeded window has reset; set when not allowed. */
  retryAfterSeconds?: number;
  /** The credential epoch the charge read (identity/credential-epoch.ts); absent when nothing was charged. */
  credentialEpoch?: string;
  /** The data owner's data version the charge read (migration 0013); absent without a data owner. */
  dataVersion?: string;
}

export interface ConsumeOptions {
  /** Where a failing limiter's warning goes (default: the limiter's logger). */
  log?: WarnLogger;
  /** Requests to charge at once, as if they came one after another (default 1). */
  calls?: number;
  /** The user whose data the request reads: the decision then carries that data's version. */
  dataOwner?: string;
}

export interface WarnLogger {
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

export interface RateLimiter {
  /**
   * Charges `calls` requests (default one) to every limit's bucket, as if they came one after another;
   * the decision is the last one's, so it is refused when the calls together go over a limit. Fails open
   * (see top of file).
   */
  consume(limits: Limit[], options?: ConsumeOptions): Promise<RateLimitDecision>;
}

export interface RateLimiterOptions {
  pool: pg.Pool;
  logger: WarnLogger;
  /** Where failures from an unreachable database go instead of a warning per request. */
  outages?: OutageLog;
  /** Minimum time between two sweeps of expired counters by this instance. */
  cleanupIntervalMs?: number;
  /** Rows deleted per sweep, so one sweep stays a cheap, short statement. */
  cleanupBatch?: number;
}

const DEFAULT_CLEANUP_INTERVAL_MS = 60_000;
const DEFAULT_CLEANUP_BATCH = 5_000;
/** Requests per charge statement at most, so that even a flood makes short statements. */
const MAX_CHARGE_BATCH = 500;

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { pool, logger, outages } = options;
  const cleanupIntervalMs = options.cleanupIntervalMs ?? DEFAULT_CLEANUP_INTERVAL_MS;
  const cleanupBatch = options.cleanupBatch ?? DEFAULT_CLEANUP_BATCH;
  const charge = batchedCharges(pool);
  const sweepExpiredIfDue = sweeper(
    cleanupIntervalMs,
    () => deleteExpiredCounters(pool, cleanupBatch),
    (error) => logger.warn("rate limit counter cleanup failed", { error }),
  );

  return {
    async consume(limits, { log = logger, calls = 1, dataOwner }: ConsumeOptions = {}) {
      if (limits.length === 0) return { allowed: true, usage: [] };
      sweepExpiredIfDue();
      let charged: Charge;
      try {
        // Queued in the same turn, so they go out in order in one statement (batchedCharges).
        const charges = await Promise.all(Array.from({ length: calls }, () => charge({ hits: limits, dataOwner })));
        charged = charges[charges.length - 1];
      } catch (error) {
        if (outages && isDatabaseUnavailable(error)) outages.report(error);
        else log.warn("rate limiter unavailable, request allowed without limits", { error });
        return { allowed: true, usage: [] };
      }
      const decision = decide(limits, charged.states);
      return {
        ...decision,
        ...(charged.credentialEpoch === undefined ? {} : { credentialEpoch: charged.credentialEpoch }),
        ...(charged.dataVersion === undefined ? {} : { dataVersion: charged.dataVersion }),
      };
    },
  };
}

/** chargeCounters for one request at a time, sent in batches (see the top of this file). */
function batchedCharges(pool: pg.Pool): (request: ChargeRequest) => Promise<Charge> {
  const maxInFlight = pool.options.max;
  const waiting: { request: ChargeRequest; resolve: (charge: Charge) => void; reject: (error: unknown) => void }[] = [];
  let scheduled = false;
  let inFlight = 0;

  function schedule(): void {
    if (scheduled || inFlight >= maxInFlight || waiting.length === 0) return;
    scheduled = true;
    setImmediate(send);
  }

  async function send(): Promise<void> {
    scheduled = false;
    const batch = waiting.splice(0, MAX_CHARGE_BATCH);
    inFlight++;
    try {
      const charges = await chargeCounters(pool, batch.map((waiter) => waiter.request));
      batch.forEach((request, index) => request.resolve(charges[index]));
    } catch (error) {
      for (const request of batch) request.reject(error);
    } finally {
      inFlight--;
      schedule();
    }
  }

  return (request) =>
    new Promise((resolve, reject) => {
      waiting.push({ request, resolve, reject });
      schedule();
    });
}

function decide(limits: Limit[], states: CounterState[]): RateLimitDecision {
  const byBucket = new Map(states.map((state) => [state.bucket, state]));
  const usage: BucketUsage[] = [];
  for (const limit of limits) {
    const state = byBucket.get(limit.bucket);
    if (state) usage.push({ ...limit, count: state.count, resetSeconds: state.resetSeconds, windowSeconds: state.windowSeconds });
  }
  const exceeded = usage.filter((bucket) => bucket.count > bucket.max);
  if (exceeded.length === 0) return { allowed: true, usage };
  return { allowed: false, usage, retryAfterSeconds: Math.max(...exceeded.map((bucket) => bucket.resetSeconds)) };
}

const POLICY_NAMES: Record<RateWindow, string> = { minute: "burst", month: "monthly" };

/**
 * Response headers in the IETF draft format (draft-ietf-httpapi-ratelimit-headers):
 *   RateLimit-Policy: "burst";q=100;w=60, "monthly";q=10000;w=2592000
 *   RateLimit: "burst";r=42;t=17, "monthly";r=9958;t=1234567
 * One item per window: the bucket with the least remaining in it (the one that will reject first).
 * Retry-After (seconds) is added when the request was rejected.
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const policies: string[] = [];
  const states: string[] = [];
  for (const window of ["minute", "month"] as const) {
    const tightest = decision.usage
      .filter((bucket) => bucket.window === window)
      .sort((a, b) => remaining(a) - remaining(b))[0];
    if (!tightest) continue;
    const name = POLICY_NAMES[window];
    policies.push(`"${name}";q=${tightest.max};w=${tightest.windowSeconds}`);
    states.push(`"${name}";r=${remaining(tightest)};t=${tightest.resetSeconds}`);
  }
  const headers: Record<string, string> = {};
  if (policies.length > 0) {
    headers["RateLimit-Policy"] = policies.join(", ");
    headers.RateLimit = states.join(", ");
  }
  if (decision.retryAfterSeconds !== undefined) headers["Retry-After"] = String(decision.retryAfterSeconds);
  return headers;
}

function remaining(bucket: BucketUsage): number {
  return Math.max(0, bucket.max - bucket.count);
}
