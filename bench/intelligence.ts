// CPU time per intelligence-engine computation (not a test): `npm run bench:intelligence`.
// Input: a seeded synthetic athlete over two years (runs and rides 5-7 times a week, rides with 1 Hz power
// and heart-rate streams, runs with heart rate, nightly sleep and HRV), generated here so every run of the
// bench sees the same data. Each computation runs for ITERATIONS calls after a warm-up; reported per call:
// mean CPU time (process.cpuUsage, user + system) and wall-clock p50/p99.
// The split mirrors how the server should use the engine: buildDailyTssSeries (with stream NP) and
// resolveThresholds run at sync time and are cached; analyzeTrainingLoad answers from the cached series.
// Results go to stdout and bench/results/intelligence.json. Knob: BENCH_ITERATIONS (default 200).
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import {
  analyzeActivity,
  analyzeTrainingLoad,
  activityStress,
  buildDailyTssSeries,
  compareActivities,
  dailyNutrition,
  dateOf,
  dayOf,
  detectPatterns,
  fitnessScore,
  goalFeasibility,
  goalProgress,
  hrvStatus,
  performanceTrend,
  personalizedZones,
  predictRaceTime,
  recentActivities,
  RECENT_FITNESS_DAYS,
  recoveryScore,
  resolveThresholds,
  sleepQuality,
  sleepTrends,
  suggestGoals,
  suggestRestDay,
  trainingRecommendations,
  type ActivityInput,
  type FitnessConfig,
  type GoalInput,
  type HrvSample,
  type SleepNight,
} from "../service/intelligence/index.js";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const TODAY = "2026-11-30";
const DAYS = 730;

/** mulberry32: a small seeded PRNG, so the synthetic athlete is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Athlete {
  config: FitnessConfig;
  activities: ActivityInput[];
  nights: SleepNight[];
  hrv: HrvSample[];
}

function syntheticAthlete(seed: number): Athlete {
  const random = prng(seed);
  const activities: ActivityInput[] = [];
  const nights: SleepNight[] = [];
  const hrv: HrvSample[] = [];
  const first = dayOf(TODAY) - DAYS + 1;
  for (let day = first; day <= dayOf(TODAY); day += 1) {
    const date = dateOf(day);
    const weekday = (day + 3) % 7;
    const fitness = 0.85 + 0.15 * ((day - first) / DAYS); // slowly improving over the two years
    if (weekday !== 0 && random() < 0.85) {
      const ride = weekday === 5 || (weekday % 2 === 0 && random() < 0.5);
      const seconds = Math.round((weekday === 5 ? 2.5 : 0.75 + random()) * 3600);
      if (ride) {
        const base = 150 + 60 * fitness + 30 * random();
        const time = Array.from({ length: seconds }, (_, t) => t);
        const watts = time.map((t) => Math.max(0, base + (t % 600 < 120 ? 90 : 0) + 25 * (random() - 0.5)));
        const heartrate = watts.map((w) => 95 + w * 0.28);
        const avg = watts.reduce((a, b) => a + b, 0) / seconds;
        activities.push({
          id: `r${day}`, sport: "Ride", startTime: `${date}T16:30:00Z`, utcOffsetMinutes: 60, elapsedSeconds: seconds + 300, movingSeconds: seconds,
          distanceMeters: seconds * (8 + 2 * fitness), averagePower: avg, averageHeartRate: 95 + avg * 0.28, maxHeartRate: 182, streams: { time, watts, heartrate },
        });
      } else {
        const speed = (2.9 + 0.6 * fitness) * (0.9 + 0.2 * random());
        activities.push({
          id: `u${day}`, sport: "Run", startTime: `${date}T06:15:00Z`, utcOffsetMinutes: 60, elapsedSeconds: seconds + 60, movingSeconds: seconds,
          distanceMeters: seconds * speed, averageHeartRate: 135 + 20 * random(), maxHeartRate: 176 + Math.round(8 * random()),
        });
      }
    }
    const asleep = 390 + 120 * random();
    nights.push({
      start: `${dateOf(day - 1)}T22:30:00Z`, end: `${date}T06:45:00Z`, durationMinutes: asleep,
      deepMinutes: asleep * (0.12 + 0.1 * random()), remMinutes: asleep * (0.18 + 0.1 * random()), awakeMinutes: 495 - asleep, efficiencyPercent: 80 + 15 * random(),
    });
    hrv.push({ date, rmssd: 45 + 20 * random() });
  }
  return { config: { weightKg: 72, heightCm: 180, age: 38, sex: "male" }, activities, nights, hrv };
}

interface Measurement {
  computation: string;
  calls: number;
  cpuMicrosPerCall: number;
  p50Ms: number;
  p99Ms: number;
}

function measure(computation: string, run: () => unknown, iterations = ITERATIONS): Measurement {
  for (let i = 0; i < Math.min(20, iterations); i += 1) run();
  const wall: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < iterations; i += 1) {
    const start = performance.now();
    run();
    wall.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  wall.sort((a, b) => a - b);
  const at = (q: number) => Number(wall[Math.min(wall.length - 1, Math.floor(q * wall.length))].toFixed(3));
  return { computation, calls: iterations, cpuMicrosPerCall: Math.round((cpu.user + cpu.system) / iterations), p50Ms: at(0.5), p99Ms: at(0.99) };
}

const athlete = syntheticAthlete(20_261_130);
const { activities, config, nights, hrv } = athlete;
const samples = activities.reduce((n, a) => n + (a.streams?.time.length ?? 0), 0);
console.log(`synthetic athlete: ${activities.length} activities over ${DAYS} days, ${samples.toLocaleString()} stream samples, ${nights.length} nights`);

// Sync-time work (cached by the server). Thresholds are estimated from the recent window only.
const recent = recentActivities(activities, TODAY, RECENT_FITNESS_DAYS);
const thresholds = resolveThresholds(config, recent);
const series = buildDailyTssSeries(activities, thresholds, TODAY);
const stresses = activities.map((a) => activityStress(a, thresholds));
const load = analyzeTrainingLoad(series, TODAY);
const lastNight = sleepQuality(nights[nights.length - 1]);
const hrvToday = hrvStatus(hrv, TODAY);
const recovery = recoveryScore({ tsb: load.tsb, sleep: lastNight, hrv: hrvToday });
const patterns = detectPatterns(activities, series, TODAY);
const goal: GoalInput = { id: "g", type: "distance", sport: "run", targetValue: 400_000, startDate: "2026-10-01", targetDate: "2026-12-31" };
const rides = activities.filter((a) => a.streams && a.movingSeconds! > 2 * 3600);
const longRide = rides[0];
const fitness = fitnessScore(stresses, load.ctl, TODAY);

const heavy = Math.max(5, Math.round(ITERATIONS / 20));
const results: Measurement[] = [
  measure("resolveThresholds (90 d, streams; sync time)", () => resolveThresholds(config, recentActivities(activities, TODAY, RECENT_FITNESS_DAYS)), heavy),
  measure("buildDailyTssSeries (2 y, stream NP; sync time)", () => buildDailyTssSeries(activities, thresholds, TODAY), heavy),
  measure("buildDailyTssSeries (2 y, summaries only)", () => buildDailyTssSeries(activities.map(({ streams: _s, ...a }) => a), thresholds, TODAY)),
  measure("analyzeTrainingLoad (cached 2 y series, 42 d window)", () => analyzeTrainingLoad(series, TODAY)),
  measure("analyzeTrainingLoad (cached 2 y series, 180 d window)", () => analyzeTrainingLoad(series, TODAY, 180)),
  measure("analyzeActivity (2.5 h ride, 1 Hz streams)", () => analyzeActivity(longRide, thresholds, config)),
  measure("compareActivities (two 2.5 h rides, 1 Hz streams)", () => compareActivities(rides[0], rides[rides.length - 1], thresholds, config)),
  measure("personalizedZones", () => personalizedZones(thresholds)),
  measure("fitnessScore (2 y of stresses)", () => fitnessScore(stresses, load.ctl, TODAY)),
  measure("detectPatterns (4 weeks of 2 y)", () => detectPatterns(activities, series, TODAY)),
  measure("performanceTrend (pace, 1 y)", () => performanceTrend(activities, { metric: "pace", from: "2025-11-30", today: TODAY, sport: "run" })),
  measure("predictRaceTime (90 d of runs, marathon)", () => predictRaceTime(recent, 42_195)),
  measure("sleepQuality (1 night)", () => sleepQuality(nights[0])),
  measure("sleepTrends (30 nights)", () => sleepTrends(nights.slice(-30))),
  measure("hrvStatus (2 y of samples)", () => hrvStatus(hrv, TODAY)),
  measure("recoveryScore + suggestRestDay", () =>
    suggestRestDay({ load, series, recovery: recoveryScore({ tsb: load.tsb, sleep: lastNight, hrv: hrvToday }), sleep: lastNight, hrv: hrvToday, acuteChronicRatio: patterns.loadJumps.currentRatio })),
  measure("trainingRecommendations (from computed state)", () => trainingRecommendations({ load, fitness, patterns, recovery })),
  measure("dailyNutrition", () => dailyNutrition(config, "very_active", 1.5)),
  measure("goalProgress (distance, 2 y)", () => goalProgress(goal, activities, TODAY)),
  measure("goalFeasibility (distance, 2 y)", () => goalFeasibility(goal, activities, TODAY)),
  measure("suggestGoals (2 y)", () => suggestGoals(activities, TODAY)),
];

console.table(results);
const report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
  input: { activities: activities.length, days: DAYS, streamSamples: samples, nights: nights.length },
  load: { ctl: load.ctl, atl: load.atl, tsb: load.tsb, methods: series.methods, estimated: thresholds.estimated },
  results,
};
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/intelligence.json", `${JSON.stringify(report, null, 2)}\n`);
console.log("written bench/results/intelligence.json");
