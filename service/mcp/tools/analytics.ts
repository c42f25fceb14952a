// The training analytics tools: thin wrappers that read through service/training and answer with the
// engine's results (service/intelligence) as structuredContent plus a sentence to quote.
import { z } from "zod";
import {
  analyzeActivity,
  compareActivities,
  dayOf,
  dateOf,
  performanceTrend,
  personalizedZones,
} from "../../intelligence/index.js";
import { fitnessScoreNow, trainingBasis, withThresholds } from "../../training/analytics.js";
import { findActivity } from "../../training/data.js";
import { recentInputs } from "../../training/inputs.js";
import { saveInsight } from "../../training/insights.js";
import {
  patternsReport,
  patternsSummary,
  racePredictionReport,
  racePredictionSummary,
  raceTargetInput,
  recommendationsReport,
  recommendationsSummary,
  trainingLoadReport,
  trainingLoadSummary,
  targetMetersOf,
} from "../../training/reports.js";
import { one, provenanceNote } from "../../training/format.js";
import { defineTool } from "./tool.js";
import {
  activityAnalysisSchema,
  comparisonSchema,
  fitnessScoreSchema,
  patternsSchema,
  racePredictionSchema,
  recommendationsSchema,
  trainingLoadSchema,
  trendSchema,
  zonesSchema,
} from "./training-schemas.js";
import { mayStoreInsight, notFound, now, ownerOf, readOnly } from "./training-support.js";

const activityId = z.uuid({ message: "expected an activity id (a UUID) as returned by get_activities" });

export const analyzeTrainingLoadTool = defineTool({
  name: "analyze_training_load",
  title: "Training load (CTL / ATL / TSB)",
  description:
    "Fitness (CTL, 42-day), fatigue (ATL, 7-day) and form (TSB = CTL - ATL) from the daily training stress of all " +
    "stored activities through today, rest days included, with the form band, overtraining flags and the last `days` " +
    "days. save: true also stores the analysis as an insight. Example: {\"days\": 28}.",
  requiredScope: "fitness:read",
  annotations: mayStoreInsight,
  reusable: ({ save }) => !save,
  syncsFirst: true,
  input: z.strictObject({
    days: z.number().int().min(1).max(730).default(42).describe("How many days of the daily series to return"),
    save: z.boolean().default(false).describe("Store this analysis in the insights for later"),
  }),
  output: trainingLoadSchema.extend({ insightId: z.string().nullable() }),
  async run({ days, save }, { principal, db }) {
    const owner = ownerOf(principal);
    const load = trainingLoadReport(await trainingBasis(db, owner, now()), days);
    const insightId = save ? await saveInsight(db, owner, "training_load", load) : null;
    return { ...load, insightId };
  },
  summary: trainingLoadSummary,
});

export const analyzeActivityTool = defineTool({
  name: "analyze_activity",
  title: "Analyze one activity",
  description:
    "Training stress (TSS by power, heart rate or pace, with the method), Banister TRIMP, pace, variability index and " +
    "time in heart-rate and power zones for one stored activity. Example: {\"activity_id\": \"<uuid>\"}.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({ activity_id: activityId }),
  output: activityAnalysisSchema.extend({ name: z.string() }),
  async run({ activity_id }, { principal, db }) {
    const owner = ownerOf(principal);
    const [basis, activity] = await Promise.all([trainingBasis(db, owner, now()), findActivity(db, owner, activity_id)]);
    if (!activity) notFound("activity", activity_id);
    return { name: activity.name, ...analyzeActivity(activity, basis.thresholds, basis.config.merged) };
  },
  summary: (a) =>
    `${a.name} (${a.stress.date}): TSS ${one(a.stress.tss)} by ${a.stress.method}, IF ${a.stress.intensityFactor.toFixed(2)}` +
    `${a.trimp === null ? "" : `, TRIMP ${one(a.trimp)}`}.${provenanceNote(a)}`,
});

export const compareActivitiesTool = defineTool({
  name: "compare_activities",
  title: "Compare two activities",
  description:
    "Side by side distance, time, pace, heart rate, power, TSS and efficiency factor of two stored activities, and " +
    "the differences (second minus first). Example: {\"first_id\": \"<uuid>\", \"second_id\": \"<uuid>\"}.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({ first_id: activityId, second_id: activityId }),
  output: comparisonSchema,
  async run({ first_id, second_id }, { principal, db }) {
    const owner = ownerOf(principal);
    const [basis, first, second] = await Promise.all([
      trainingBasis(db, owner, now()),
      findActivity(db, owner, first_id),
      findActivity(db, owner, second_id),
    ]);
    if (!first) notFound("activity", first_id);
    if (!second) notFound("activity", second_id);
    return compareActivities(first, second, basis.thresholds, basis.config.merged);
  },
  summary: (c) =>
    `${c.first.date} vs ${c.second.date}: TSS ${one(c.first.tss)} vs ${one(c.second.tss)}` +
    `${c.difference.paceSecPerKm === null ? "" : `, pace ${c.difference.paceSecPerKm > 0 ? "+" : ""}${one(c.difference.paceSecPerKm)} s/km`}` +
    `${c.sameSport ? "" : " (different sports)"}.${provenanceNote(c)}`,
});

export const calculateFitnessScoreTool = defineTool({
  name: "calculate_fitness_score",
  title: "Fitness score",
  description:
    "A 0-100 fitness score over the last 6 weeks: consistency (sessions/week) 25%, load (CTL) 35%, volume (hours/week) " +
    "25%, intensity balance (share of easy sessions against 80%) 15%.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({}),
  output: fitnessScoreSchema,
  async run(_input, { principal, db }) {
    const owner = ownerOf(principal);
    const basis = await trainingBasis(db, owner, now());
    return withThresholds(basis, (await fitnessScoreNow(db, owner, basis)).fitness);
  },
  summary: (f) =>
    `Fitness score ${Math.round(f.score)}/100: ${one(f.sessionsPerWeek)} sessions and ${one(f.hoursPerWeek)} h per week.${provenanceNote(f)}`,
});

export const detectPatternsTool = defineTool({
  name: "detect_patterns",
  title: "Training patterns",
  description:
    "Weekly rhythm (usual training and rest days), the usual long-session day, consistency streaks and sudden load " +
    "jumps (acute:chronic ratio above 1.5) over the last `weeks` weeks. Example: {\"weeks\": 8}.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({ weeks: z.number().int().min(1).max(52).default(4) }),
  output: patternsSchema,
  async run({ weeks }, { principal, db }) {
    const owner = ownerOf(principal);
    return patternsReport(db, owner, await trainingBasis(db, owner, now()), weeks);
  },
  summary: patternsSummary,
});

const PERIOD_DAYS = { week: 7, month: 30, quarter: 91, half_year: 182, year: 365 } as const;

export const analyzePerformanceTrendsTool = defineTool({
  name: "analyze_performance_trends",
  title: "Performance trends",
  description:
    "Trend of one metric (pace, heart_rate, power, distance, duration) per activity over a period, as a least-squares " +
    "slope per week with its 95% confidence interval and p-value, so 'improving' means statistically significant. " +
    "Example: {\"metric\": \"pace\", \"period\": \"quarter\", \"sport\": \"run\"}.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({
    metric: z.enum(["pace", "heart_rate", "power", "distance", "duration"]),
    period: z.enum(Object.keys(PERIOD_DAYS) as [keyof typeof PERIOD_DAYS]).default("quarter"),
    sport: z.string().min(1).max(40).optional().describe("A sport family (run, ride, swim, walk) or provider type"),
  }),
  output: trendSchema.extend({ from: z.string(), to: z.string() }),
  async run({ metric, period, sport }, { principal, db }) {
    const days = PERIOD_DAYS[period];
    const { today, activities } = await recentInputs(db, ownerOf(principal), now(), { days });
    const from = dateOf(dayOf(today) - days + 1);
    return { from, to: today, ...performanceTrend(activities.all, { metric, from, today, sport }) };
  },
  summary: (t) =>
    `${t.metric} from ${t.from} to ${t.to}: ${t.direction}` +
    `${t.slopePerWeek === null ? "" : ` (${t.slopePerWeek.toFixed(2)} ${t.unit}/week, p = ${t.pValue?.toFixed(3)})`}.${provenanceNote(t)}`,
});

export const predictPerformanceTool = defineTool({
  name: "predict_performance",
  title: "Race time prediction",
  description:
    "Predicts a race time from the best run of the last 90 days: Daniels VDOT equivalent and Riegel's formula, plus " +
    "VDOT-equivalent 5k/10k/half/marathon times. Give race (5k, 10k, half_marathon, marathon; marathon when neither " +
    "is given) or distance_meters. " +
    "Example: {\"race\": \"marathon\"}.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: raceTargetInput,
  output: racePredictionSchema,
  async run(input, { principal, db }) {
    return racePredictionReport(db, ownerOf(principal), now(), targetMetersOf(input));
  },
  summary: racePredictionSummary,
});

export const calculatePersonalizedZonesTool = defineTool({
  name: "calculate_personalized_zones",
  title: "Personalized training zones",
  description:
    "Heart-rate zones (Karvonen, 60/70/80/90% of heart-rate reserve), power zones (Coggan, 55/75/90/105/120% FTP) and " +
    "Daniels pace zones from the configured or estimated thresholds.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({}),
  output: zonesSchema,
  async run(_input, { principal, db }) {
    const basis = await trainingBasis(db, ownerOf(principal), now());
    return personalizedZones(basis.thresholds);
  },
  summary: (z) =>
    `Zones: heart rate ${z.heartRate ? "yes" : "no"}, power ${z.power ? "yes" : "no"}, pace ${z.pace ? `yes (VDOT ${one(z.vdot ?? 0)})` : "no"}.${provenanceNote(z)}`,
});

export const generateRecommendationsTool = defineTool({
  name: "generate_recommendations",
  title: "Training recommendations",
  description: "Prioritized recommendations from the training load, fitness score, patterns and recovery, each with its reason.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({}),
  output: recommendationsSchema,
  async run(_input, { principal, db }) {
    const owner = ownerOf(principal);
    return recommendationsReport(db, owner, await trainingBasis(db, owner, now()));
  },
  summary: recommendationsSummary,
});


