// The daily TSS series per user, stored in training_load_cache (0011) so a load question over two years
// reads one row. A row holds the series, the thresholds it was computed with and the UTC offset of the
// latest activity; it is valid while its basis (the release, the local day it was built for and the merged fitness
// configuration) matches. Triggers delete it whenever the user's activities or streams change, so a sync
// needs no call into this module. The rebuild is not serialized with sync: an activity committed while a
// rebuild reads may miss that rebuild and shows up at the next change or the next day at the latest.
import packageJson from "../../package.json" with { type: "json" };
import type { Queryable } from "../db/pool.js";
import { buildDailyTssSeries, localDay, dateOf, resolveThresholds, type DailyTssSeries, type Thresholds, type FitnessConfig } from "../intelligence/index.js";
import { CONFIG_ROWS_JSON_SQL, effectiveFromRows, FITNESS_CONFIG_FIELDS, type EffectiveFitnessConfig } from "./fitness-config.js";
import { recentInputs, type Owner } from "./inputs.js";

export interface LoadSeries {
  today: string;
  series: DailyTssSeries;
  thresholds: Thresholds;
}

interface CacheRow {
  configs: Parameters<typeof effectiveFromRows>[0];
  basis: string | null;
  series: DailyTssSeries | null;
  thresholds: Thresholds | null;
  utc_offset_minutes: number | null;
}

// The release is part of the basis: a new engine (a corrected formula) must not answer from a series an
// older one stored.
function basisOf(today: string, config: FitnessConfig): string {
  return `${packageJson.version}|${today}|${JSON.stringify(FITNESS_CONFIG_FIELDS.map((field) => config[field] ?? null))}`;
}

export function localToday(nowMs: number, utcOffsetMinutes: number): string {
  return dateOf(localDay(new Date(nowMs).toISOString(), utcOffsetMinutes));
}

/** The merged configuration and the series, in one round trip when the stored series is current. */
export async function loadSeries(db: Queryable, owner: Owner, nowMs: number): Promise<LoadSeries & { config: EffectiveFitnessConfig }> {
  const { rows } = await db.query<CacheRow>({
    name: "training-read-load-cache",
    text: `SELECT ${CONFIG_ROWS_JSON_SQL} AS configs, c.basis, c.series, c.thresholds, (c.series->>'utcOffsetMinutes')::int AS utc_offset_minutes
     FROM (SELECT 1) AS one LEFT JOIN training_load_cache c ON c.tenant_id = $1 AND c.user_id = $2`,
    values: [owner.tenantId, owner.userId],
  });
  const row = rows[0]!;
  const effective = effectiveFromRows(row.configs);
  const config = effective.merged;
  if (row.series && row.thresholds && row.utc_offset_minutes !== null && row.basis === basisOf(localToday(nowMs, row.utc_offset_minutes), config)) {
    return { config: effective, today: localToday(nowMs, row.utc_offset_minutes), series: row.series, thresholds: row.thresholds };
  }
  const { today, activities, utcOffsetMinutes } = await recentInputs(db, owner, nowMs, { days: null, streams: true });
  const thresholds = resolveThresholds(config, activities.recent);
  const series = buildDailyTssSeries(activities.all, thresholds, today);
  await db.query({
    name: "training-write-load-cache",
    text: `INSERT INTO training_load_cache (tenant_id, user_id, basis, series, thresholds) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, user_id) DO UPDATE SET basis = $3, series = $4, thresholds = $5, computed_at = now()`,
    values: [owner.tenantId, owner.userId, basisOf(today, config), JSON.stringify({ ...series, utcOffsetMinutes }), JSON.stringify(thresholds)],
  });
  return { config: effective, today, series, thresholds };
}
