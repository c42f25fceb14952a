// Output schemas for the engine's results. Each `satisfies` the engine type it describes, so a field the
// engine adds or renames fails the compiler here instead of silently vanishing from structuredContent.
import { z } from "zod";
import {
  RACE_DISTANCES,
  WEEKDAYS,
  type ActivityAnalysis,
  type ActivityComparison,
  type FitnessScore,
  type PerformanceTrend,
  type PersonalizedZones,
  type RacePrediction,
  type RecoveryScore,
  type Recommendations,
  type RestDaySuggestion,
  type SleepQuality,
  type SleepTrends,
  type TrainingLoad,
  type TrainingPatterns,
  type HrvStatus,
  type ThresholdValue,
} from "../../intelligence/index.js";
import { provenance } from "./training-support.js";

const num = z.number();
const maybe = num.nullable();
const weekday = z.enum(WEEKDAYS);
const raceNames = Object.keys(RACE_DISTANCES) as [keyof typeof RACE_DISTANCES, ...(keyof typeof RACE_DISTANCES)[]];

export const thresholdValueSchema = z.object({
  value: maybe,
  source: z.enum(["configured", "estimated", "missing"]),
  method: z.string().nullable().describe("How an estimated value was obtained"),
}) satisfies z.ZodType<ThresholdValue>;

export const trainingLoadSchema = z.object({
  date: z.string().describe("The athlete's local today"),
  ctl: num.describe("Chronic training load (fitness), 42-day exponentially weighted daily TSS"),
  atl: num.describe("Acute training load (fatigue), 7-day"),
  tsb: num.describe("Training stress balance (form) = CTL - ATL"),
  form: z.enum(["overreaching", "productive", "fresh", "detraining"]),
  flags: z.array(z.string()),
  risk: z.enum(["low", "moderate", "high"]),
  confidence: z.enum(["full", "reduced"]).describe("Reduced with under 126 days of history"),
  historyDays: num,
  daily: z.array(z.object({ date: z.string(), tss: num, ctl: num, atl: num, tsb: num })),
  ...provenance,
}) satisfies z.ZodType<TrainingLoad>;

const activityStressSchema = z.object({
  activityId: z.string(),
  date: z.string(),
  tss: num,
  intensityFactor: num,
  method: z.enum(["power", "heart_rate", "pace", "duration"]),
  power: maybe,
  hours: num,
  ...provenance,
});

export const activityAnalysisSchema = z.object({
  stress: activityStressSchema,
  trimp: maybe.describe("Banister TRIMP"),
  paceSecPerKm: maybe,
  variabilityIndex: maybe,
  heartRateZoneSeconds: z.array(num).nullable(),
  powerZoneSeconds: z.array(num).nullable(),
  ...provenance,
}) satisfies z.ZodType<ActivityAnalysis>;

const comparedMetricsSchema = z.object({
  activityId: z.string(),
  sport: z.string(),
  date: z.string(),
  distanceMeters: maybe,
  seconds: num,
  paceSecPerKm: maybe,
  averageHeartRate: maybe,
  power: maybe,
  tss: num,
  efficiencyFactor: maybe,
});

export const comparisonSchema = z.object({
  first: comparedMetricsSchema,
  second: comparedMetricsSchema,
  difference: z.object({
    distanceMeters: maybe,
    seconds: maybe,
    paceSecPerKm: maybe,
    averageHeartRate: maybe,
    power: maybe,
    tss: maybe,
    efficiencyFactor: maybe,
  }),
  sameSport: z.boolean(),
  ...provenance,
}) satisfies z.ZodType<ActivityComparison>;

export const fitnessScoreSchema = z.object({
  score: num.describe("0-100"),
  components: z.object({ consistency: num, load: num, volume: num, balance: num }),
  sessionsPerWeek: num,
  hoursPerWeek: num,
  easyShare: maybe,
  ...provenance,
}) satisfies z.ZodType<FitnessScore>;

export const patternsSchema = z.object({
  weeks: num,
  rhythm: z.object({
    weekdays: z.array(z.object({ weekday, sessions: num, weekShare: num })),
    usualDays: z.array(weekday),
    restDays: z.array(weekday),
  }),
  longSession: z.object({ weekday: weekday.nullable(), share: num, weeksWithSessions: num }),
  streaks: z.object({ currentDayStreak: num, longestDayStreak: num, currentWeekStreak: num, longestWeekStreak: num, minSessionsPerWeek: num }),
  loadJumps: z.object({
    currentRatio: maybe.describe("Acute:chronic workload ratio today (7-day over 28-day mean daily TSS)"),
    jumps: z.array(z.object({ date: z.string(), acuteTssPerDay: num, chronicTssPerDay: num, ratio: num })),
  }),
  ...provenance,
}) satisfies z.ZodType<TrainingPatterns>;

export const trendSchema = z.object({
  metric: z.enum(["pace", "heart_rate", "power", "distance", "duration"]),
  unit: z.string(),
  points: num,
  slopePerWeek: maybe,
  ci95PerWeek: z.tuple([num, num]).nullable(),
  pValue: maybe,
  rSquared: maybe,
  direction: z.enum(["improving", "declining", "rising", "falling", "no significant change", "insufficient data"]),
  ...provenance,
}) satisfies z.ZodType<PerformanceTrend>;

export const racePredictionSchema = z.object({
  targetMeters: num,
  basis: z.object({ activityId: z.string(), distanceMeters: num, seconds: num, vdot: num }).nullable(),
  vdotSeconds: maybe.describe("Daniels VDOT equivalent time"),
  riegelSeconds: maybe.describe("Riegel T2 = T1 x (D2/D1)^1.06"),
  equivalentTimes: z.object(Object.fromEntries(raceNames.map((name) => [name, num])) as Record<(typeof raceNames)[number], typeof num>).nullable(),
  ...provenance,
}) satisfies z.ZodType<RacePrediction>;

const zoneSchema = z.object({ zone: num, name: z.string(), min: num, max: maybe });
export const zonesSchema = z.object({
  heartRate: z.array(zoneSchema).nullable(),
  power: z.array(zoneSchema).nullable(),
  pace: z.array(z.object({ name: z.enum(["easy", "marathon", "threshold", "interval", "repetition"]), fastestSecPerKm: num, slowestSecPerKm: num })).nullable(),
  vdot: maybe,
  ...provenance,
}) satisfies z.ZodType<PersonalizedZones>;

export const recommendationsSchema = z.object({
  recommendations: z.array(
    z.object({
      category: z.enum(["recovery", "load", "intensity", "consistency"]),
      priority: z.enum(["high", "medium", "low"]),
      recommendation: z.string(),
      reason: z.string(),
    }),
  ),
  ...provenance,
}) satisfies z.ZodType<Recommendations>;

export const sleepQualitySchema = z.object({
  score: num,
  asleepHours: num,
  components: z.object({ duration: num, stages: maybe, efficiency: maybe }),
  deepShare: maybe,
  remShare: maybe,
  efficiencyPercent: maybe,
  ...provenance,
}) satisfies z.ZodType<SleepQuality>;

const sleepTrendSchema = z.object({ slopePerNight: maybe, pValue: maybe, ci95: z.tuple([num, num]).nullable() });
export const sleepTrendsSchema = z.object({
  nights: num,
  averageHours: maybe,
  averageScore: maybe,
  duration: sleepTrendSchema,
  score: sleepTrendSchema,
  ...provenance,
}) satisfies z.ZodType<SleepTrends>;

export const hrvStatusSchema = z.object({ rmssd: num, baselineRmssd: num, z: num, score: num }) satisfies z.ZodType<HrvStatus>;

export const recoveryScoreSchema = z.object({
  score: maybe.describe("0-100"),
  status: z.enum(["well recovered", "recovering", "under-recovered", "unknown"]),
  components: z.object({ tsb: maybe, sleep: maybe, hrv: maybe }),
  weights: z.object({ tsb: num, sleep: num, hrv: num }),
  ...provenance,
}) satisfies z.ZodType<RecoveryScore>;

export const restDaySchema = z.object({
  restRecommended: z.boolean(),
  reasons: z.array(z.object({ reason: z.string(), strong: z.boolean() })),
  consecutiveTrainingDays: num,
  ...provenance,
}) satisfies z.ZodType<RestDaySuggestion>;
