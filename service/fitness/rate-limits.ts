// provider_rate_limits: each provider's quota as its last answers described it, shared by every instance
// (quotas are per application, not per user or per instance). A window that is used up, or a 429's
// retry-after, blocks every instance until it resets.
import type { Queryable } from "../db/pool.js";
import type { RateLimitState } from "../providers/types.js";
import type { ProviderId } from "./model.js";

const RETRY_AFTER_WINDOW = "retry-after";

export async function recordRateLimit(db: Queryable, state: RateLimitState): Promise<void> {
  const windows = state.windows.map((w) => ({ name: w.name, limit: w.limit, usage: w.usage, resetsAt: w.resetsAt }));
  if (state.blockedUntil) windows.push({ name: RETRY_AFTER_WINDOW, limit: 0, usage: 0, resetsAt: state.blockedUntil });
  if (windows.length === 0) return;
  await db.query(
    `INSERT INTO provider_rate_limits (provider, window_name, limit_count, usage_count, resets_at, observed_at)
     SELECT $1::text, *, $6::timestamptz FROM unnest($2::text[], $3::int[], $4::int[], $5::timestamptz[])
     ON CONFLICT (provider, window_name) DO UPDATE SET limit_count = EXCLUDED.limit_count, usage_count = EXCLUDED.usage_count,
       resets_at = EXCLUDED.resets_at, observed_at = EXCLUDED.observed_at
     WHERE provider_rate_limits.observed_at <= EXCLUDED.observed_at`,
    [state.provider, windows.map((w) => w.name), windows.map((w) => w.limit), windows.map((w) => w.usage), windows.map((w) => w.resetsAt), state.observedAt],
  );
}

/** When the provider may be called again, or null when it may be called now. */
export async function blockedUntil(db: Queryable, provider: ProviderId): Promise<Date | null> {
  const { rows } = await db.query<{ until: Date | null }>({
    name: "fitness-rate-limit-blocked-until",
    text: `SELECT max(resets_at) AS until FROM provider_rate_limits
     WHERE provider = $1 AND resets_at > now() AND (window_name = $2 OR (limit_count > 0 AND usage_count >= limit_count))`,
    values: [provider, RETRY_AFTER_WINDOW],
  });
  return rows[0]?.until ?? null;
}
