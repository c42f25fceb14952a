// CPU time per intelligence-engine computation (not a test): `npm run bench:intelligence`.
// Input: the project's synthetic athlete (service/providers/synthetic, seeded) over two years: runs, rides
// and swims with power/heart-rate/speed streams on part of them, nightly sleep and HRV, read through the
// fitness-model adapter as the server will. Each computation runs ITERATIONS calls after a warm-up;
// reported per call: mean CPU time (process.cpuUsage, user + system) and wall-clock p50/p99 (the machine
// is shared, so wall p99 carries other processes' noise; CPU per call is the comparable figure).
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
  activityInput,
  hrvSampleOf,
  sleepNightOf,
  withProfileDefaults,
  type GoalInput,
} from "../service/intelligence/index.js";
import { physiology, profileOf } from "../service/providers/synthetic/athlete.js";
import { generateHistory } from "../service/providers/synthetic/history.js";
import { seedFor } from "../service/providers/synthetic/random.js";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const TODAY = "2026-11-30";

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

const physiologyOfAthlete = physiology(seedFor("bench-intelligence"));
const history = generateHistory(physiologyOfAthlete, dayOf(TODAY));
const activities = history.activities.map(activityInput);
const nights = history.sleep.map(sleepNightOf);
const hrv = history.hrv.map(hrvSampleOf);
const config = withProfileDefaults({ heightCm: 178, age: 38 }, profileOf(physiologyOfAthlete));
const samples = activities.reduce((n, a) => n + (a.streams?.time.length ?? 0), 0);
const DAYS = dayOf(TODAY) - dayOf(activities[0].startTime.slice(0, 10)) + 1;
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
const rides = activities.filter((a) => a.sport === "ride" && a.streams).sort((a, b) => b.elapsedSeconds - a.elapsedSeconds);
const longRide = rides[0];
const fitness = fitnessScore(stresses, load.ctl, TODAY);

const heavy = Math.max(5, Math.round(ITERATIONS / 20));
const results: Measurement[] = [
  measure("resolveThresholds (90 d, streams; sync time)", () => resolveThresholds(config, recentActivities(activities, TODAY, RECENT_FITNESS_DAYS)), heavy),
  measure("buildDailyTssSeries (2 y, stream NP; sync time)", () => buildDailyTssSeries(activities, thresholds, TODAY), heavy),
  measure("buildDailyTssSeries (2 y, summaries only)", () => buildDailyTssSeries(activities.map(({ streams: _s, ...a }) => a), thresholds, TODAY)),
  measure("analyzeTrainingLoad (cached 2 y series, 42 d window)", () => analyzeTrainingLoad(series, TODAY)),
  measure("analyzeTrainingLoad (cached 2 y series, 180 d window)", () => analyzeTrainingLoad(series, TODAY, 180)),
  measure("analyzeActivity (longest ride, streams)", () => analyzeActivity(longRide, thresholds, config)),
  measure("compareActivities (two longest rides, streams)", () => compareActivities(rides[0], rides[rides.length - 1], thresholds, config)),
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
