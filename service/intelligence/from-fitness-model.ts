// Reading the normalized fitness model (service/fitness/model.ts: what providers map into and sync
// stores) as engine inputs. The model says "not reported" with null and keeps offsets in seconds; the
// engine's own types use absent fields and minutes. Only types cross: the engine stays free of zod and I/O.
import type { Activity, AthleteProfile, HrvRecord, SleepRecord } from "../fitness/model.js";
import type { ActivityInput, FitnessConfig, HrvSample, SleepNight } from "./types.js";

const present = (value: number | null): number | undefined => (value === null ? undefined : value);

export function activityInput(activity: Activity): ActivityInput {
  const { streams } = activity;
  return {
    id: activity.id,
    sport: activity.sport,
    startTime: activity.startTime,
    utcOffsetMinutes: activity.utcOffsetSeconds / 60,
    elapsedSeconds: activity.elapsedSeconds,
    movingSeconds: present(activity.movingSeconds),
    distanceMeters: present(activity.distanceMeters),
    elevationGainMeters: present(activity.elevationGainMeters),
    averageHeartRate: present(activity.avgHeartRate),
    maxHeartRate: present(activity.maxHeartRate),
    averagePower: present(activity.avgPowerWatts),
    normalizedPower: present(activity.normalizedPowerWatts),
    averageSpeed: present(activity.avgSpeedMps),
    streams: streams && {
      time: streams.timeSeconds,
      heartrate: streams.heartRate,
      watts: streams.powerWatts,
      speed: streams.speedMps,
      altitude: streams.altitudeMeters,
    },
  };
}

export function sleepNightOf(record: SleepRecord): SleepNight {
  return {
    start: record.startTime,
    end: record.endTime,
    durationMinutes: record.minutesAsleep,
    deepMinutes: record.stages?.deepMinutes,
    remMinutes: record.stages?.remMinutes,
    lightMinutes: record.stages?.lightMinutes,
    awakeMinutes: record.stages?.awakeMinutes ?? present(record.minutesAwake),
  };
}

export function hrvSampleOf(record: HrvRecord): HrvSample {
  return { date: record.date, rmssd: record.rmssdMs };
}

/**
 * The user's configuration with gaps filled from the provider's athlete profile (Strava's FTP, Fitbit's
 * resting heart rate...): what the athlete set wins over what a provider reports.
 */
export function withProfileDefaults(config: FitnessConfig, profile: AthleteProfile | null): FitnessConfig {
  if (!profile) return config;
  const sex = profile.sex === "male" || profile.sex === "female" ? profile.sex : undefined;
  return {
    ...config,
    ftp: config.ftp ?? present(profile.ftpWatts),
    maxHr: config.maxHr ?? present(profile.maxHeartRate),
    restingHr: config.restingHr ?? present(profile.restingHeartRate),
    weightKg: config.weightKg ?? present(profile.weightKg),
    sex: config.sex ?? sex,
  };
}
