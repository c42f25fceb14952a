// seedSyntheticHistory: writes the synthetic athlete's history (service/providers/synthetic, deterministic
// per user id) straight into the fitness tables of 0008 with plain multi-row INSERTs: the rows a sync of the
// synthetic provider stores, without a connection's token or a service, for the training tests, the
// data-version tests and bench/training.ts.
import type pg from "pg";
import type { Activity } from "../../service/fitness/model.js";
import { physiology, type Physiology } from "../../service/providers/synthetic/athlete.js";
import { generateHistory, type History } from "../../service/providers/synthetic/history.js";
import { seedFor } from "../../service/providers/synthetic/random.js";

const DAY_MS = 86_400_000;

export interface SeededHistory extends History {
  physiology: Physiology;
  connectionId: string;
}

/** Multi-row INSERT of `rows` (each an array of column values) in chunks that stay under pg's 65,535 parameters. */
async function insertRows(pool: pg.Pool, head: string, rows: unknown[][], tail = ""): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  if (rows.length === 0) return out;
  const width = rows[0].length;
  const chunk = Math.floor(60_000 / width);
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const tuples = part.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(", ")})`);
    const { rows: returned } = await pool.query(`${head} VALUES ${tuples.join(", ")} ${tail}`, part.flat());
    out.push(...returned);
  }
  return out;
}

/**
 * The user's synthetic history for the `days` days ending yesterday (athlete's local calendar) as of
 * `nowMs`, with streams for the last `streamDays` days; a 'synthetic' connection row owns the records.
 */
export async function seedSyntheticHistory(
  pool: pg.Pool,
  owner: { tenantId: string; userId: string },
  options: { nowMs?: number; days?: number; streamDays?: number } = {},
): Promise<SeededHistory> {
  const nowMs = options.nowMs ?? Date.now();
  const p = physiology(seedFor(owner.userId));
  const lastDay = Math.floor((nowMs + p.utcOffsetSeconds * 1000) / DAY_MS) - 1;
  const history = generateHistory(p, lastDay, options.days ?? 730);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO provider_connections (tenant_id, user_id, provider, status, connected_at) VALUES ($1, $2, 'synthetic', 'connected', now()) RETURNING id`,
    [owner.tenantId, owner.userId],
  );
  const connectionId = rows[0].id;
  const base = [owner.tenantId, owner.userId, connectionId];

  const activityRows = history.activities.map((a: Activity) => [
    ...base, a.provider, a.id, a.sport, a.providerSport, a.name, a.startTime, a.utcOffsetSeconds, a.elapsedSeconds,
    a.movingSeconds, a.distanceMeters, a.elevationGainMeters, a.avgHeartRate, a.maxHeartRate, a.avgPowerWatts,
    a.normalizedPowerWatts, a.avgSpeedMps, a.calories, a.device, a.synthetic,
  ]);
  const inserted = await insertRows(
    pool,
    `INSERT INTO fitness_activities (tenant_id, user_id, connection_id, provider, external_id, sport, provider_sport, name, start_time,
       utc_offset_seconds, elapsed_seconds, moving_seconds, distance_meters, elevation_gain_meters, avg_heart_rate, max_heart_rate,
       avg_power_watts, normalized_power_watts, avg_speed_mps, calories, device, synthetic)`,
    activityRows,
    "RETURNING id, external_id",
  );
  const idOf = new Map(inserted.map((row) => [row.external_id as string, row.id as string]));

  const streamsFrom = new Date(nowMs - (options.streamDays ?? 90) * DAY_MS).toISOString();
  const streamRows = history.activities
    .filter((a) => a.streams && a.startTime >= streamsFrom)
    .map((a) => [idOf.get(a.id), owner.tenantId, owner.userId, a.streams!.timeSeconds, a.streams!.heartRate ?? null, a.streams!.powerWatts ?? null, a.streams!.speedMps ?? null, a.streams!.altitudeMeters ?? null]);
  // Stream arrays are large: a few activities per statement.
  for (let start = 0; start < streamRows.length; start += 20) {
    await insertRows(
      pool,
      "INSERT INTO fitness_activity_streams (activity_id, tenant_id, user_id, time_seconds, heart_rate, power_watts, speed_mps, altitude_meters)",
      streamRows.slice(start, start + 20),
    );
  }

  await insertRows(
    pool,
    `INSERT INTO sleep_records (tenant_id, user_id, connection_id, external_id, sleep_date, start_time, end_time, utc_offset_seconds,
       minutes_asleep, minutes_awake, deep_minutes, light_minutes, rem_minutes, is_main_sleep, synthetic)`,
    history.sleep.map((s) => [
      ...base, s.id, s.date, s.startTime, s.endTime, s.utcOffsetSeconds, s.minutesAsleep, s.minutesAwake,
      s.stages?.deepMinutes ?? null, s.stages?.lightMinutes ?? null, s.stages?.remMinutes ?? null, s.isMainSleep, s.synthetic,
    ]),
  );
  await insertRows(
    pool,
    "INSERT INTO hrv_records (tenant_id, user_id, connection_id, hrv_date, rmssd_ms, deep_sleep_rmssd_ms, synthetic)",
    history.hrv.map((h) => [...base, h.date, h.rmssdMs, h.deepSleepRmssdMs, h.synthetic]),
  );
  return { ...history, physiology: p, connectionId };
}
