// Repository for rate_limit_counters: fixed-window counters shared by every instance through Postgres.
// Windows are computed from the database clock (now()), so instances with skewed clocks still agree.
import type { Queryable } from "../db/pool.js";
import { CREDENTIAL_EPOCH_SQL } from "../identity/credential-epoch.js";

/** Fixed windows, aligned to UTC: a calendar minute or a calendar month. */
export type RateWindow = "minute" | "month";

export interface CounterHit {
  bucket: string;
  window: RateWindow;
  /** The request limit of the bucket in its window; also decides whether longer windows are charged. */
  max: number;
}

export interface CounterState {
  bucket: string;
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Seconds until the window ends (rounded up, at least 1). */
  resetSeconds: number;
  /** Length of the current window in seconds (months differ). */
  windowSeconds: number;
}

// One statement, one round trip. Minute buckets are charged first; month buckets are charged only if
// no minute bucket went over its max, so a client hammering through its burst limit does not burn its
// monthly quota with rejected requests. Rows are upserted in bucket order (minute rows, then month
// rows), the same order in every statement, so concurrent requests sharing a tenant bucket cannot
// deadlock. Bucket names carry their window: at 00:00 on the 1st a minute and a month window start at
// the same instant and would otherwise share a primary key.
//
// The statement also reads the credential epoch (identity/credential-epoch.ts): every authenticated MCP
// request is charged, so this is where a cached authentication is confirmed without a round trip of
// its own (mcp/auth.ts).
const CHARGE_SQL = `
WITH hits AS (
  SELECT h.bucket, h.unit, h.max, date_trunc(h.unit, now() AT TIME ZONE 'UTC') AS start_utc
  FROM unnest($1::text[], $2::text[], $3::int[]) AS h(bucket, unit, max)
),
minute_rows AS (
  INSERT INTO rate_limit_counters AS c (bucket, window_start, count, expires_at)
  SELECT bucket, start_utc AT TIME ZONE 'UTC', 1, (start_utc + interval '1 minute') AT TIME ZONE 'UTC'
  FROM hits WHERE unit = 'minute' ORDER BY bucket
  ON CONFLICT (bucket, window_start) DO UPDATE SET count = c.count + 1
  RETURNING c.bucket, c.count, c.window_start, c.expires_at
),
month_rows AS (
  INSERT INTO rate_limit_counters AS c (bucket, window_start, count, expires_at)
  SELECT bucket, start_utc AT TIME ZONE 'UTC', 1, (start_utc + interval '1 month') AT TIME ZONE 'UTC'
  FROM hits WHERE unit = 'month'
    AND NOT EXISTS (SELECT 1 FROM minute_rows m JOIN hits h USING (bucket) WHERE m.count > h.max)
  ORDER BY bucket
  ON CONFLICT (bucket, window_start) DO UPDATE SET count = c.count + 1
  RETURNING c.bucket, c.count, c.window_start, c.expires_at
)
SELECT bucket, count,
  greatest(1, ceil(extract(epoch FROM expires_at - now())))::int AS "resetSeconds",
  extract(epoch FROM expires_at - window_start)::int AS "windowSeconds",
  ${CREDENTIAL_EPOCH_SQL} AS "credentialEpoch"
FROM (SELECT * FROM minute_rows UNION ALL SELECT * FROM month_rows) AS charged`;

export interface Charge {
  /** The buckets that were charged. */
  states: CounterState[];
  /** The credential epoch as of the charge; undefined when no bucket was charged. */
  credentialEpoch: string | undefined;
}

/** Counts one request in each bucket's current window. */
export async function chargeCounters(db: Queryable, hits: CounterHit[]): Promise<Charge> {
  const { rows } = await db.query<CounterState & { credentialEpoch: string }>({
    // Named: each connection parses and plans this statement once instead of on every request.
    name: "charge-rate-limit-counters",
    text: CHARGE_SQL,
    values: [hits.map((hit) => hit.bucket), hits.map((hit) => hit.window), hits.map((hit) => hit.max)],
  });
  return {
    states: rows.map(({ bucket, count, resetSeconds, windowSeconds }) => ({ bucket, count, resetSeconds, windowSeconds })),
    credentialEpoch: rows[0]?.credentialEpoch,
  };
}

/** Deletes up to `batch` rows of windows that are over; returns how many went. */
export async function deleteExpiredCounters(db: Queryable, batch: number): Promise<number> {
  // DELETE has no LIMIT: pick a bounded batch of row ids through the expires_at index instead.
  const result = await db.query(
    `DELETE FROM rate_limit_counters WHERE ctid = ANY (ARRAY(
       SELECT ctid FROM rate_limit_counters WHERE expires_at < now() LIMIT $1))`,
    [batch],
  );
  return result.rowCount ?? 0;
}
