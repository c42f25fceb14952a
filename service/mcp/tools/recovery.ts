// Sleep and recovery tools over the stored sleep, HRV and training load.
import { z } from "zod";
import { dateOf, dayOf, sleepQuality, sleepTrends } from "../../intelligence/index.js";
import { trainingBasis } from "../../training/analytics.js";
import { recoveryReport, recoverySummary, restDayReport, restDaySummary } from "../../training/reports.js";
import { listSleep } from "../../training/data.js";

import { one, provenanceNote } from "../../training/format.js";
import { defineTool } from "./tool.js";
import { hrvStatusSchema, recoveryScoreSchema, restDaySchema, sleepQualitySchema, sleepTrendsSchema } from "./training-schemas.js";
import { now, ownerOf, provenance, readOnly } from "./training-support.js";

export const analyzeSleepQualityTool = defineTool({
  name: "analyze_sleep_quality",
  title: "Sleep quality",
  description:
    "Scores one night's main sleep 0-100: duration 40% (8-9 h best), stages 35% (deep 15-25%, REM 20-30%), efficiency 25%. " +
    "The night that ended on `date` (the athlete's local date, default today). Example: {\"date\": \"2026-11-29\"}.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({ date: z.iso.date().optional() }),
  output: z.object({ date: z.string(), night: sleepQualitySchema.nullable().describe("Null when no main sleep was recorded"), ...provenance }),
  async run({ date }, { principal, db }) {
    const owner = ownerOf(principal);
    const day = date ?? (await trainingBasis(db, owner, now())).today;
    const nights = await listSleep(db, owner, { from: day, to: day });
    if (nights.length === 0) return { date: day, night: null, estimated: [], missing: [`main sleep for the night ending ${day}`] };
    const night = sleepQuality(nights[nights.length - 1]);
    return { date: day, night, estimated: night.estimated, missing: night.missing };
  },
  summary: ({ date, night, ...p }) =>
    night ? `Night ending ${date}: sleep score ${Math.round(night.score)}/100, ${one(night.asleepHours)} h asleep.${provenanceNote(p)}` : `No sleep recorded for the night ending ${date}.`,
});

export const trackSleepTrendsTool = defineTool({
  name: "track_sleep_trends",
  title: "Sleep trends",
  description:
    "Average sleep duration and score over the last `nights` nights (7 to 90) and their trends (slope per night with p-value " +
    "and 95% confidence interval). Example: {\"nights\": 28}.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({ nights: z.number().int().min(7).max(90).default(14) }),
  output: sleepTrendsSchema.extend({ from: z.string(), to: z.string() }),
  async run({ nights }, { principal, db }) {
    const owner = ownerOf(principal);
    const { today } = await trainingBasis(db, owner, now());
    const from = dateOf(dayOf(today) - nights + 1);
    return { from, to: today, ...sleepTrends(await listSleep(db, owner, { from, to: today })) };
  },
  summary: (t) =>
    `${t.nights} nights from ${t.from}: ${t.averageHours === null ? "no data" : `${one(t.averageHours)} h on average, score ${Math.round(t.averageScore ?? 0)}`}.` +
    provenanceNote(t),
});

export const calculateRecoveryScoreTool = defineTool({
  name: "calculate_recovery_score",
  title: "Recovery score",
  description:
    "A 0-100 recovery score from training stress balance (40%), last night's sleep (40%) and HRV against its 7-day " +
    "baseline (20%); without HRV, TSB and sleep count 50% each.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({}),
  output: recoveryScoreSchema.extend({ tsb: z.number(), sleepScore: z.number().nullable(), hrv: hrvStatusSchema.nullable() }),
  async run(_input, { principal, db }) {
    const owner = ownerOf(principal);
    return recoveryReport(db, owner, await trainingBasis(db, owner, now()));
  },
  summary: recoverySummary,
});

export const suggestRestDayTool = defineTool({
  name: "suggest_rest_day",
  title: "Rest day suggestion",
  description:
    "Whether to rest today, with the reasons: overtraining flags, TSB, recovery score, last night's sleep, HRV, the " +
    "acute:chronic load ratio and consecutive training days.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({}),
  output: restDaySchema.extend({ recoveryScore: z.number().nullable(), date: z.string() }),
  async run(_input, { principal, db }) {
    const owner = ownerOf(principal);
    return restDayReport(db, owner, await trainingBasis(db, owner, now()));
  },
  summary: restDaySummary,
});


