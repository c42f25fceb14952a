// The one place the training tools read the fitness tables of 0008 (written by sync): rows mapped to the
// intelligence engine's input types. Every query is scoped by tenant AND user.
import type { Queryable } from "../db/pool.js";
import type { ActivityInput, ActivityStreams, HrvSample, SleepNight } from "../intelligence/index.js";

interface ActivityRow {
  id: string;
  sport: string;
  name: string;
  start_time: Date;
  utc_offset_seconds: number;
  elapsed_seconds: number;
  moving_seconds: number | null;
  distance_meters: number | null;
  elevation_gain_meters: number | null;
  avg_heart_rate: number | null;
  max_heart_rate: number | null;
  avg_power_watts: number | null;
  normalized_power_watts: number | null;
  avg_speed_mps: number | null;
  time_seconds: number[] | null;
  heart_rate: (number | null)[] | null;
  power_watts: (number | null)[] | null;
  speed_mps: (number | null)[] | null;
  altitude_meters: (number | null)[] | null;
}

/** An activity as the engine reads it, with the name a person gave it. */
export interface StoredActivity extends ActivityInput {
  name: string;
}

const ACTIVITY_COLUMNS = `a.id, a.sport, a.name, a.start_time, a.utc_offset_seconds, a.elapsed_seconds,
  a.moving_seconds, a.distance_meters, a.elevation_gain_meters, a.avg_heart_rate, a.max_heart_rate, a.avg_power_watts,
  a.normalized_power_watts, a.avg_speed_mps, s.time_seconds, s.heart_rate, s.power_watts, s.speed_mps, s.altitude_meters`;

const optional = (value: number | null) => value ?? undefined;

// The engine's streams have no dropouts: a null sample takes the previous sample's value (0 before any).
function filled(series: (number | null)[] | null): number[] | undefined {
  if (!series) return undefined;
  let last = 0;
  return series.map((value) => (value === null ? last : (last = value)));
}

function toStreams(row: ActivityRow): ActivityStreams | undefined {
  if (!row.time_seconds) return undefined;
  const streams: ActivityStreams = { time: row.time_seconds };
  const heartrate = filled(row.heart_rate);
  const watts = filled(row.power_watts);
  const speed = filled(row.speed_mps);
  const altitude = filled(row.altitude_meters);
  return { ...streams, ...(heartrate && { heartrate }), ...(watts && { watts }), ...(speed && { speed }), ...(altitude && { altitude }) };
}

function toActivity(row: ActivityRow): StoredActivity {
  const streams = toStreams(row);
  return {
    id: row.id,
    name: row.name,
    // The normalized sport (run, ride, ...): provider labels vary, and the synthetic one holds the session kind.
    sport: row.sport,
    startTime: row.start_time.toISOString(),
    utcOffsetMinutes: Math.round(row.utc_offset_seconds / 60),
    elapsedSeconds: row.elapsed_seconds,
    movingSeconds: optional(row.moving_seconds),
    distanceMeters: optional(row.distance_meters),
    elevationGainMeters: optional(row.elevation_gain_meters),
    averageHeartRate: optional(row.avg_heart_rate),
    maxHeartRate: optional(row.max_heart_rate),
    averagePower: optional(row.avg_power_watts),
    normalizedPower: optional(row.normalized_power_watts),
    averageSpeed: optional(row.avg_speed_mps),
    ...(streams && { streams }),
  };
}

/**
 * The user's activities started at or after `since` (all when null), oldest first; streams are attached to
 * those started at or after `streamsSince` (none when null): estimates need recent streams, not years of them.
 */
export async function listActivities(
  db: Queryable,
  owner: { tenantId: string; userId: string },
  options: { since: Date | null; streamsSince: Date | null },
): Promise<StoredActivity[]> {
  const { rows } = await db.query<ActivityRow>({
    name: "training-list-activities",
    text: `SELECT ${ACTIVITY_COLUMNS} FROM fitness_activities a
     LEFT JOIN fitness_activity_streams s ON s.activity_id = a.id AND $4::timestamptz IS NOT NULL AND a.start_time >= $4
     WHERE a.tenant_id = $1 AND a.user_id = $2 AND ($3::timestamptz IS NULL OR a.start_time >= $3)
     ORDER BY a.start_time`,
    values: [owner.tenantId, owner.userId, options.since, options.streamsSince],
  });
  return rows.map(toActivity);
}

/** One activity with its streams; null when it does not exist or belongs to someone else. */
export async function findActivity(db: Queryable, owner: { tenantId: string; userId: string }, id: string): Promise<StoredActivity | null> {
  const { rows } = await db.query<ActivityRow>({
    name: "training-find-activity",
    text: `SELECT ${ACTIVITY_COLUMNS} FROM fitness_activities a LEFT JOIN fitness_activity_streams s ON s.activity_id = a.id
     WHERE a.tenant_id = $1 AND a.user_id = $2 AND a.id = $3`,
    values: [owner.tenantId, owner.userId, id],
  });
  return rows.length ? toActivity(rows[0]) : null;
}

/** The UTC offset of the user's latest activity or sleep, in minutes: their "today" is local. */
export async function latestUtcOffsetMinutes(db: Queryable, owner: { tenantId: string; userId: string }): Promise<number> {
  const { rows } = await db.query<{ offset: number | null }>({
    name: "training-latest-offset",
    text: `SELECT (SELECT utc_offset_seconds FROM fitness_activities WHERE tenant_id = $1 AND user_id = $2 ORDER BY start_time DESC LIMIT 1) AS "offset"`,
    values: [owner.tenantId, owner.userId],
  });
  return Math.round((rows[0]?.offset ?? 0) / 60);
}

interface SleepRow {
  start_time: Date;
  end_time: Date;
  minutes_asleep: number;
  minutes_awake: number | null;
  deep_minutes: number | null;
  light_minutes: number | null;
  rem_minutes: number | null;
}

/** Main sleeps whose local date lies in [from, to], oldest first. */
export async function listSleep(db: Queryable, owner: { tenantId: string; userId: string }, range: { from: string; to: string }): Promise<SleepNight[]> {
  const { rows } = await db.query<SleepRow>({
    name: "training-list-sleep",
    text: `SELECT start_time, end_time, minutes_asleep, minutes_awake, deep_minutes, light_minutes, rem_minutes FROM sleep_records
     WHERE tenant_id = $1 AND user_id = $2 AND is_main_sleep AND sleep_date BETWEEN $3 AND $4 ORDER BY sleep_date, start_time`,
    values: [owner.tenantId, owner.userId, range.from, range.to],
  });
  return rows.map((row) => {
    const inBed = (row.end_time.getTime() - row.start_time.getTime()) / 60_000;
    return {
      start: row.start_time.toISOString(),
      end: row.end_time.toISOString(),
      durationMinutes: row.minutes_asleep,
      deepMinutes: optional(row.deep_minutes),
      remMinutes: optional(row.rem_minutes),
      lightMinutes: optional(row.light_minutes),
      awakeMinutes: optional(row.minutes_awake),
      ...(inBed > 0 && { efficiencyPercent: Math.min(100, (100 * row.minutes_asleep) / inBed) }),
    };
  });
}

export async function listHrv(db: Queryable, owner: { tenantId: string; userId: string }, range: { from: string; to: string }): Promise<HrvSample[]> {
  const { rows } = await db.query<{ date: string; rmssd: number }>({
    name: "training-list-hrv",
    text: `SELECT to_char(hrv_date, 'YYYY-MM-DD') AS date, rmssd_ms AS rmssd FROM hrv_records
     WHERE tenant_id = $1 AND user_id = $2 AND hrv_date BETWEEN $3 AND $4 ORDER BY hrv_date`,
    values: [owner.tenantId, owner.userId, range.from, range.to],
  });
  return rows;
}
