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

// One statement, one round trip, for a batch of requests (those that arrived together, see limiter.ts):
// the batch is charged as if its requests came one after another, in array order. Minute buckets are
// charged first; a request's month buckets are charged only if none of its minute buckets went over
// their max, so a client hammering through its burst limit does not burn its monthly quota with
// rejected requests. Each bucket row is upserted once, by the batch's number of requests in it; a
// request's count is the row's count before the statement plus its rank among them.
//
// Rows are upserted in bucket order (all minute rows, then month rows), the same order in every
// statement, so concurrent statements sharing a bucket (a tenant's, another instance's batch) cannot
// deadlock. Bucket names carry their window: at 00:00 on the 1st a minute and a month window start at
// the same instant and would otherwise share a primary key.
//
// The statement also reads the credential epoch (identity/credential-epoch.ts): every authenticated MCP
// request is charged, so this is where a cached authentication is confirmed without a round trip of
// its own (mcp/auth.ts). For the same reason it reads the data version of each request's data owner
// (migration 0013), which tells whether an answer computed earlier still holds (mcp/answer-cache.ts).
const CHARGE_SQL = `
WITH hits AS (
  SELECT h.request, h.bucket, h.unit, h.max, date_trunc(h.unit, now() AT TIME ZONE 'UTC') AS start_utc
  FROM unnest($1::int[], $2::text[], $3::text[], $4::int[]) AS h(request, bucket, unit, max)
),
minute_rows AS (
  INSERT INTO rate_limit_counters AS c (bucket, window_start, count, expires_at)
  SELECT bucket, start_utc AT TIME ZONE 'UTC', count(*), (start_utc + interval '1 minute') AT TIME ZONE 'UTC'
  FROM hits WHERE unit = 'minute' GROUP BY bucket, start_utc ORDER BY bucket
  ON CONFLICT (bucket, window_start) DO UPDATE SET count = c.count + EXCLUDED.count
  RETURNING c.bucket, c.count, c.window_start, c.expires_at
),
minute_charges AS (
  SELECT h.request, h.bucket, h.max, r.window_start, r.expires_at,
    r.count - count(*) OVER per_bucket + row_number() OVER (per_bucket ORDER BY h.request) AS count
  FROM hits h JOIN minute_rows r USING (bucket)
  WINDOW per_bucket AS (PARTITION BY h.bucket)
),
rejected AS (
  SELECT DISTINCT request FROM minute_charges WHERE count > max
),
month_hits AS (
  SELECT * FROM hits WHERE unit = 'month' AND request NOT IN (SELECT request FROM rejected)
),
month_rows AS (
  INSERT INTO rate_limit_counters AS c (bucket, window_start, count, expires_at)
  SELECT bucket, start_utc AT TIME ZONE 'UTC', count(*), (start_utc + interval '1 month') AT TIME ZONE 'UTC'
  FROM month_hits GROUP BY bucket, start_utc ORDER BY bucket
  ON CONFLICT (bucket, window_start) DO UPDATE SET count = c.count + EXCLUDED.count
  RETURNING c.bucket, c.count, c.window_start, c.expires_at
),
month_charges AS (
  SELECT h.request, h.bucket, h.max, r.window_start, r.expires_at,
    r.count - count(*) OVER per_bucket + row_number() OVER (per_bucket ORDER BY h.request) AS count
  FROM month_hits h JOIN month_rows r USING (bucket)
  WINDOW per_bucket AS (PARTITION BY h.bucket)
)
SELECT request, bucket, count::int,
  greatest(1, ceil(extract(epoch FROM expires_at - now())))::int AS "resetSeconds",
  extract(epoch FROM expires_at - window_start)::int AS "windowSeconds",
  ${CREDENTIAL_EPOCH_SQL} AS "credentialEpoch",
  CASE WHEN ($5::uuid[])[request + 1] IS NOT NULL
    THEN coalesce((SELECT version::text FROM user_data_versions WHERE user_id = ($5::uuid[])[request + 1]), '0') END AS "dataVersion"
FROM (SELECT * FROM minute_charges UNION ALL SELECT * FROM month_charges) AS charged`;

export interface Charge {
  /** The request's buckets that were charged. */
  states: CounterState[];
  /** The credential epoch as of the charge; undefined when no bucket was charged. */
  credentialEpoch: string | undefined;
  /** The data owner's data version as of the charge; undefined without a data owner or a charged bucket. */
  dataVersion: string | undefined;
}

export interface ChargeRequest {
  hits: CounterHit[];
  /** The user whose data the request reads, when it reads any (an MCP request: the caller). */
  dataOwner?: string;
}

/**
 * Counts each request (its hits: distinct buckets) once in each bucket's current window, the requests
 * in order; returns their charges in the same order.
 */
export async function chargeCounters(db: Queryable, requests: ChargeRequest[]): Promise<Charge[]> {
  const hits = requests.flatMap((request, index) => request.hits.map((hit) => ({ ...hit, request: index })));
  const { rows } = await db.query<CounterState & { request: number; credentialEpoch: string; dataVersion: string | null }>({
    // Named: each connection parses and plans this statement once instead of on every batch.
    name: "charge-rate-limit-counters",
    text: CHARGE_SQL,
    values: [
      hits.map((hit) => hit.request),
      hits.map((hit) => hit.bucket),
      hits.map((hit) => hit.window),
      hits.map((hit) => hit.max),
      requests.map((request) => request.dataOwner ?? null),
    ],
  });
  const charges: Charge[] = requests.map(() => ({ states: [], credentialEpoch: undefined, dataVersion: undefined }));
  for (const { request, bucket, count, resetSeconds, windowSeconds, credentialEpoch, dataVersion } of rows) {
    charges[request].states.push({ bucket, count, resetSeconds, windowSeconds });
    charges[request].credentialEpoch = credentialEpoch;
    charges[request].dataVersion = dataVersion ?? undefined;
  }
  return charges;
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
