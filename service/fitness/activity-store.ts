// The SQL of synced fitness data: activities (with laps and streams), sleep and HRV. Writes are bulk
// (one multi-row statement per table, arrays through unnest) so a two-year history stores in one round
// trip per table; every read is scoped by tenant AND user, so another tenant's ids read as missing.
import type { Queryable } from "../db/pool.js";
import { CONNECTIONS_JSON_SQL, connectionsFromJson, type Connection, type Owner } from "./connections.js";
import type { Activity, ActivityStreams, HrvRecord, Lap, ProviderId, SleepRecord, Sport } from "./model.js";

type Stored = Pick<Connection, "id" | "tenantId" | "userId" | "provider">;

const column = <T, V>(rows: T[], pick: (row: T) => V) => rows.map(pick);

export async function upsertActivities(db: Queryable, connection: Stored, activities: Activity[]): Promise<void> {
  if (activities.length === 0) return;
  await db.query(
    `INSERT INTO fitness_activities (tenant_id, user_id, connection_id, provider, external_id, sport, provider_sport, name, start_time,
       utc_offset_seconds, elapsed_seconds, moving_seconds, distance_meters, elevation_gain_meters, avg_heart_rate, max_heart_rate,
       avg_power_watts, normalized_power_watts, avg_speed_mps, calories, device, synthetic, laps)
     SELECT $1::uuid, $2::uuid, $3::uuid, $4::text, * FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::int[],
       $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::float8[], $16::float8[], $17::float8[], $18::float8[], $19::float8[],
       $20::float8[], $21::text[], $22::bool[], $23::jsonb[])
     ON CONFLICT (connection_id, external_id) DO UPDATE SET sport = EXCLUDED.sport, provider_sport = EXCLUDED.provider_sport, name = EXCLUDED.name,
       start_time = EXCLUDED.start_time, utc_offset_seconds = EXCLUDED.utc_offset_seconds, elapsed_seconds = EXCLUDED.elapsed_seconds,
       moving_seconds = EXCLUDED.moving_seconds, distance_meters = EXCLUDED.distance_meters, elevation_gain_meters = EXCLUDED.elevation_gain_meters,
       avg_heart_rate = EXCLUDED.avg_heart_rate, max_heart_rate = EXCLUDED.max_heart_rate, avg_power_watts = EXCLUDED.avg_power_watts,
       normalized_power_watts = EXCLUDED.normalized_power_watts, avg_speed_mps = EXCLUDED.avg_speed_mps, calories = EXCLUDED.calories,
       device = EXCLUDED.device, synthetic = EXCLUDED.synthetic, laps = COALESCE(EXCLUDED.laps, fitness_activities.laps), fetched_at = now()`,
    [
      connection.tenantId, connection.userId, connection.id, connection.provider,
      column(activities, (a) => a.id), column(activities, (a) => a.sport), column(activities, (a) => a.providerSport),
      column(activities, (a) => a.name), column(activities, (a) => a.startTime), column(activities, (a) => a.utcOffsetSeconds),
      column(activities, (a) => a.elapsedSeconds), column(activities, (a) => a.movingSeconds), column(activities, (a) => a.distanceMeters),
      column(activities, (a) => a.elevationGainMeters), column(activities, (a) => a.avgHeartRate), column(activities, (a) => a.maxHeartRate),
      column(activities, (a) => a.avgPowerWatts), column(activities, (a) => a.normalizedPowerWatts), column(activities, (a) => a.avgSpeedMps),
      column(activities, (a) => a.calories), column(activities, (a) => a.device), column(activities, (a) => a.synthetic),
      column(activities, (a) => (a.laps ? JSON.stringify(a.laps) : null)),
    ],
  );
}

/** Laps and (when read) streams of one stored activity: what a detail read adds to the list's summary. */
export async function saveActivityDetail(db: Queryable, owner: Owner, activityId: string, detail: Activity): Promise<void> {
  await db.query(
    "UPDATE fitness_activities SET laps = $4, detail_fetched_at = now() WHERE id = $1 AND tenant_id = $2 AND user_id = $3",
    [activityId, owner.tenantId, owner.userId, JSON.stringify(detail.laps ?? [])],
  );
  const s = detail.streams;
  if (!s) return;
  await db.query(
    `INSERT INTO fitness_activity_streams (activity_id, tenant_id, user_id, time_seconds, heart_rate, power_watts, speed_mps, altitude_meters)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (activity_id) DO UPDATE SET time_seconds = EXCLUDED.time_seconds, heart_rate = EXCLUDED.heart_rate,
       power_watts = EXCLUDED.power_watts, speed_mps = EXCLUDED.speed_mps, altitude_meters = EXCLUDED.altitude_meters`,
    [activityId, owner.tenantId, owner.userId, s.timeSeconds, s.heartRate ?? null, s.powerWatts ?? null, s.speedMps ?? null, s.altitudeMeters ?? null],
  );
}

/**
 * Streams some providers put in their lists (Garmin's activity details carry samples and laps): stored like
 * a detail read, so get_activity needs no call the provider does not offer. After upsertActivities.
 */
export async function saveListedDetail(db: Queryable, connection: Stored, activity: Activity & { streams: ActivityStreams }): Promise<void> {
  const s = activity.streams;
  await db.query(
    `WITH target AS (UPDATE fitness_activities SET detail_fetched_at = now() WHERE connection_id = $1 AND external_id = $2 RETURNING id, tenant_id, user_id)
     INSERT INTO fitness_activity_streams (activity_id, tenant_id, user_id, time_seconds, heart_rate, power_watts, speed_mps, altitude_meters)
     SELECT id, tenant_id, user_id, $3, $4, $5, $6, $7 FROM target
     ON CONFLICT (activity_id) DO UPDATE SET time_seconds = EXCLUDED.time_seconds, heart_rate = EXCLUDED.heart_rate,
       power_watts = EXCLUDED.power_watts, speed_mps = EXCLUDED.speed_mps, altitude_meters = EXCLUDED.altitude_meters`,
    [connection.id, activity.id, s.timeSeconds, s.heartRate ?? null, s.powerWatts ?? null, s.speedMps ?? null, s.altitudeMeters ?? null],
  );
}

export async function upsertSleep(db: Queryable, connection: Stored, records: SleepRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db.query(
    `INSERT INTO sleep_records (tenant_id, user_id, connection_id, external_id, sleep_date, start_time, end_time, utc_offset_seconds,
       minutes_asleep, minutes_awake, deep_minutes, light_minutes, rem_minutes, is_main_sleep, synthetic)
     SELECT $1::uuid, $2::uuid, $3::uuid, * FROM unnest($4::text[], $5::date[], $6::timestamptz[], $7::timestamptz[], $8::int[], $9::float8[],
       $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::bool[], $15::bool[])
     ON CONFLICT (connection_id, external_id) DO UPDATE SET sleep_date = EXCLUDED.sleep_date, start_time = EXCLUDED.start_time,
       end_time = EXCLUDED.end_time, utc_offset_seconds = EXCLUDED.utc_offset_seconds, minutes_asleep = EXCLUDED.minutes_asleep,
       minutes_awake = EXCLUDED.minutes_awake, deep_minutes = EXCLUDED.deep_minutes, light_minutes = EXCLUDED.light_minutes,
       rem_minutes = EXCLUDED.rem_minutes, is_main_sleep = EXCLUDED.is_main_sleep, synthetic = EXCLUDED.synthetic`,
    [
      connection.tenantId, connection.userId, connection.id,
      column(records, (r) => r.id), column(records, (r) => r.date), column(records, (r) => r.startTime), column(records, (r) => r.endTime),
      column(records, (r) => r.utcOffsetSeconds), column(records, (r) => r.minutesAsleep), column(records, (r) => r.minutesAwake),
      column(records, (r) => r.stages?.deepMinutes ?? null), column(records, (r) => r.stages?.lightMinutes ?? null),
      column(records, (r) => r.stages?.remMinutes ?? null), column(records, (r) => r.isMainSleep), column(records, (r) => r.synthetic),
    ],
  );
}

export async function upsertHrv(db: Queryable, connection: Stored, records: HrvRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db.query(
    `INSERT INTO hrv_records (tenant_id, user_id, connection_id, hrv_date, rmssd_ms, deep_sleep_rmssd_ms, synthetic)
     SELECT $1::uuid, $2::uuid, $3::uuid, * FROM unnest($4::date[], $5::float8[], $6::float8[], $7::bool[])
     ON CONFLICT (connection_id, hrv_date) DO UPDATE SET rmssd_ms = EXCLUDED.rmssd_ms, deep_sleep_rmssd_ms = EXCLUDED.deep_sleep_rmssd_ms,
       synthetic = EXCLUDED.synthetic`,
    [
      connection.tenantId, connection.userId, connection.id,
      column(records, (r) => r.date), column(records, (r) => r.rmssdMs), column(records, (r) => r.deepSleepRmssdMs), column(records, (r) => r.synthetic),
    ],
  );
}

/** A stored activity as tools show it: our id (the one tools accept) beside the provider's. */
export type StoredActivity = Omit<Activity, "id" | "laps" | "streams"> & { id: string; externalId: string; laps: Lap[] | null; detailFetchedAt: Date | null };

const ACTIVITY_COLUMNS = `id, external_id AS "externalId", provider, sport, provider_sport AS "providerSport", name,
  to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "startTime", utc_offset_seconds AS "utcOffsetSeconds",
  elapsed_seconds AS "elapsedSeconds", moving_seconds AS "movingSeconds", distance_meters AS "distanceMeters",
  elevation_gain_meters AS "elevationGainMeters", avg_heart_rate AS "avgHeartRate", max_heart_rate AS "maxHeartRate",
  avg_power_watts AS "avgPowerWatts", normalized_power_watts AS "normalizedPowerWatts", avg_speed_mps AS "avgSpeedMps",
  calories, device, synthetic`;

export interface ActivityQuery {
  provider?: ProviderId;
  sport?: Sport;
  /** Inclusive UTC instants. */
  from?: Date;
  to?: Date;
  limit: number;
  /** Keyset position: strictly older than this (start time, id). */
  after?: { startTime: string; id: string };
}

export async function queryActivities(db: Queryable, owner: Owner, q: ActivityQuery): Promise<StoredActivity[]> {
  const { rows } = await db.query<StoredActivity>({
    name: "fitness-query-activities",
    text: `SELECT ${ACTIVITY_COLUMNS}, NULL AS laps, detail_fetched_at AS "detailFetchedAt" FROM fitness_activities
     WHERE tenant_id = $1 AND user_id = $2 AND ($3::text IS NULL OR provider = $3) AND ($4::text IS NULL OR sport = $4)
       AND ($5::timestamptz IS NULL OR start_time >= $5) AND ($6::timestamptz IS NULL OR start_time <= $6)
       AND ($7::timestamptz IS NULL OR (start_time, id) < ($7, $8::uuid))
     ORDER BY start_time DESC, id DESC LIMIT $9`,
    values: [owner.tenantId, owner.userId, q.provider ?? null, q.sport ?? null, q.from ?? null, q.to ?? null, q.after?.startTime ?? null, q.after?.id ?? null, q.limit],
  });
  return rows;
}

/**
 * The owner's connections and a page of activities in one round trip (get_activities' hot path): when
 * every connection turns out fresh, the page is the answer; otherwise the caller syncs and queries again.
 */
export async function queryActivitiesWithConnections(db: Queryable, owner: Owner, q: ActivityQuery): Promise<{ connections: Connection[]; activities: StoredActivity[] }> {
  const { rows } = await db.query<{ connections: Parameters<typeof connectionsFromJson>[0]; activities: StoredActivity[] }>({
    name: "fitness-query-activities-with-connections",
    text: `SELECT ${CONNECTIONS_JSON_SQL} AS connections,
       (SELECT coalesce(json_agg(a ORDER BY a."startTime" DESC, a.id DESC), '[]') FROM (
         SELECT ${ACTIVITY_COLUMNS}, NULL AS laps, NULL AS "detailFetchedAt" FROM fitness_activities
         WHERE tenant_id = $1 AND user_id = $2 AND ($3::text IS NULL OR provider = $3) AND ($4::text IS NULL OR sport = $4)
           AND ($5::timestamptz IS NULL OR start_time >= $5) AND ($6::timestamptz IS NULL OR start_time <= $6)
           AND ($7::timestamptz IS NULL OR (start_time, id) < ($7, $8::uuid))
         ORDER BY start_time DESC, id DESC LIMIT $9) a) AS activities`,
    values: [owner.tenantId, owner.userId, q.provider ?? null, q.sport ?? null, q.from ?? null, q.to ?? null, q.after?.startTime ?? null, q.after?.id ?? null, q.limit],
  });
  return { connections: connectionsFromJson(rows[0]!.connections), activities: rows[0]!.activities };
}

export async function findActivity(db: Queryable, owner: Owner, id: string): Promise<StoredActivity | undefined> {
  const { rows } = await db.query<StoredActivity>({
    name: "fitness-find-activity",
    text: `SELECT ${ACTIVITY_COLUMNS}, laps, detail_fetched_at AS "detailFetchedAt" FROM fitness_activities WHERE id = $1 AND tenant_id = $2 AND user_id = $3`,
    values: [id, owner.tenantId, owner.userId],
  });
  return rows[0];
}

export async function findStreams(db: Queryable, owner: Owner, activityId: string): Promise<ActivityStreams | undefined> {
  const { rows } = await db.query<ActivityStreams>(
    `SELECT time_seconds AS "timeSeconds", heart_rate AS "heartRate", power_watts AS "powerWatts", speed_mps AS "speedMps",
       altitude_meters AS "altitudeMeters" FROM fitness_activity_streams WHERE activity_id = $1 AND tenant_id = $2 AND user_id = $3`,
    [activityId, owner.tenantId, owner.userId],
  );
  const row = rows[0];
  if (!row) return undefined;
  // Absent sensors come back as NULL columns; the model says absent.
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)) as ActivityStreams;
}

export interface StatsRow {
  period: string;
  sport: Sport;
  count: number;
  distanceMeters: number;
  movingSeconds: number;
  elevationGainMeters: number;
  calories: number;
}

/** Totals per sport and local calendar period (week starts Monday), over local dates `from`..`to` inclusive. */
export async function activityTotals(db: Queryable, owner: Owner, q: { period: "week" | "month" | "year"; from: string; to: string; provider?: ProviderId }): Promise<StatsRow[]> {
  const { rows } = await db.query<StatsRow>(
    `SELECT to_char(date_trunc($3, start_time AT TIME ZONE 'UTC' + make_interval(secs => utc_offset_seconds)), 'YYYY-MM-DD') AS period,
       sport, count(*)::int AS count,
       -- Rounded to 0.1 in numeric: a double-precision sum shows 557479.7999999999 m to the model.
       round(coalesce(sum(distance_meters), 0)::numeric, 1)::float8 AS "distanceMeters",
       round(coalesce(sum(coalesce(moving_seconds, elapsed_seconds)), 0)::numeric, 1)::float8 AS "movingSeconds",
       round(coalesce(sum(elevation_gain_meters), 0)::numeric, 1)::float8 AS "elevationGainMeters",
       round(coalesce(sum(calories), 0)::numeric, 1)::float8 AS calories
     FROM fitness_activities WHERE tenant_id = $1 AND user_id = $2
       AND start_time BETWEEN $4::date - interval '1 day' AND $5::date + interval '2 days'
       AND (start_time AT TIME ZONE 'UTC' + make_interval(secs => utc_offset_seconds))::date BETWEEN $4 AND $5 AND ($6::text IS NULL OR provider = $6)
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [owner.tenantId, owner.userId, q.period, q.from, q.to, q.provider ?? null],
  );
  return rows;
}

export interface StoredSleep extends Omit<SleepRecord, "id"> {
  hrvRmssdMs: number | null;
}

export async function querySleep(db: Queryable, owner: Owner, q: { from: string; to: string; provider?: ProviderId }): Promise<StoredSleep[]> {
  const { rows } = await db.query<StoredSleep & { deep: number | null; light: number | null; rem: number | null }>(
    `SELECT s.provider_id AS provider, to_char(s.sleep_date, 'YYYY-MM-DD') AS date,
       to_char(s.start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "startTime",
       to_char(s.end_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "endTime", s.utc_offset_seconds AS "utcOffsetSeconds",
       s.minutes_asleep AS "minutesAsleep", s.minutes_awake AS "minutesAwake", s.deep_minutes AS deep, s.light_minutes AS light,
       s.rem_minutes AS rem, s.is_main_sleep AS "isMainSleep", s.synthetic, h.rmssd_ms AS "hrvRmssdMs"
     FROM (SELECT sr.*, c.provider AS provider_id FROM sleep_records sr JOIN provider_connections c ON c.id = sr.connection_id
           WHERE sr.tenant_id = $1 AND sr.user_id = $2 AND sr.sleep_date BETWEEN $3 AND $4 AND ($5::text IS NULL OR c.provider = $5)) s
     LEFT JOIN hrv_records h ON h.connection_id = s.connection_id AND h.hrv_date = s.sleep_date
     ORDER BY s.sleep_date, s.start_time`,
    [owner.tenantId, owner.userId, q.from, q.to, q.provider ?? null],
  );
  return rows.map(({ deep, light, rem, ...rest }) => ({
    ...rest,
    stages: deep === null || light === null || rem === null ? null : { deepMinutes: deep, lightMinutes: light, remMinutes: rem, awakeMinutes: rest.minutesAwake ?? 0 },
  }));
}
