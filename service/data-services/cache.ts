// A read-through cache in PostgreSQL (external_cache, 0011), so every instance shares one copy of an
// answer and the quota of the upstream API is spent once per lifetime, not once per instance.
import type { Queryable } from "../db/pool.js";
import { sweeper } from "../db/sweeper.js";

export const FOOD_TTL_MS = 24 * 3600_000;
export const WEATHER_TTL_MS = 30 * 60_000;
const SWEEP_INTERVAL_MS = 10 * 60_000;

export interface SharedCache {
  /** The cached value, else `load()`'s, stored for `ttlMs`. Concurrent misses may both load: harmless. */
  through<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
  /** Deletes expired rows (run at most every 10 minutes after a write, from any instance). */
  sweep(): Promise<number>;
}

export function createSharedCache(db: Queryable, now: () => number, onSweepError: (error: unknown) => void): SharedCache {
  const cache: SharedCache = {
    async through<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
      const { rows } = await db.query<{ value: T }>({
        name: "external-cache-get",
        text: "SELECT value FROM external_cache WHERE key = $1 AND expires_at > $2",
        values: [key, new Date(now())],
      });
      if (rows.length) return rows[0].value;
      const value = await load();
      await db.query({
        name: "external-cache-put",
        text: `INSERT INTO external_cache (key, value, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
        values: [key, JSON.stringify(value), new Date(now() + ttlMs)],
      });
      // Rows are only added on a miss, so that is where old ones are cleared.
      sweepIfDue();
      return value;
    },
    async sweep() {
      const { rowCount } = await db.query("DELETE FROM external_cache WHERE expires_at <= $1", [new Date(now())]);
      return rowCount ?? 0;
    },
  };
  const sweepIfDue = sweeper(SWEEP_INTERVAL_MS, () => cache.sweep(), onSweepError);
  return cache;
}
