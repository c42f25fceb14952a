// Goal tools: stored targets (training/goals.ts), progress, feasibility and suggestions from the engine;
// results can be kept in insights (save: true) and read back with list_insights.
import { z } from "zod";
import {
  goalProgress,
  RACE_DISTANCES,
  suggestGoals,
  type GoalFeasibility,
  type GoalProgress,
  type GoalSuggestions,
} from "../../intelligence/index.js";
import { createGoal, deleteGoal, listGoals, type StoredGoal } from "../../training/goals.js";
import { recentInputs, type Owner } from "../../training/inputs.js";
import { listInsights, saveInsight } from "../../training/insights.js";
import { goalFeasibilityReport, goalFeasibilitySummary, goalInputs } from "../../training/reports.js";
import type { Queryable } from "../../db/pool.js";
import { clock, one, provenanceNote } from "../../training/format.js";
import { defineTool } from "./tool.js";
import { mayStoreInsight, notFound, now, ownerOf, provenance, readOnly } from "./training-support.js";

const goalType = z.enum(["distance", "volume", "race_time", "frequency"]);
const goalStatus = z.enum(["active", "completed", "abandoned"]);
const goalId = z.uuid({ message: "expected a goal id (a UUID) as returned by set_goal or list_goals" });
const raceNames = Object.keys(RACE_DISTANCES) as [keyof typeof RACE_DISTANCES, ...(keyof typeof RACE_DISTANCES)[]];
const save = z.boolean().default(false).describe("Also store the result in the insights");

const goalSchema = z.object({
  id: z.string(),
  type: goalType,
  sport: z.string().nullable(),
  targetValue: z.number(),
  unit: z.string(),
  raceDistanceMeters: z.number().nullable(),
  startDate: z.string(),
  targetDate: z.string(),
  status: goalStatus,
  createdAt: z.iso.datetime(),
});
const toOutput = (g: StoredGoal): z.input<typeof goalSchema> => ({
  ...g,
  sport: g.sport ?? null,
  raceDistanceMeters: g.raceDistanceMeters ?? null,
  createdAt: g.createdAt.toISOString(),
});

export const setGoalTool = defineTool({
  name: "set_goal",
  title: "Set a goal",
  description:
    "Creates a goal: distance (target_value in metres), volume (hours), frequency (sessions) between start_date and " +
    "target_date, or race_time (target_value in seconds for race or race_distance_meters by target_date). sport limits it " +
    "to one sport (run, ride, swim, walk). Example: {\"goal_type\": \"distance\", \"target_value\": 200000, \"sport\": \"run\", " +
    "\"target_date\": \"2026-12-31\"}.",
  requiredScope: "fitness:write",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  input: z
    .strictObject({
      goal_type: goalType,
      target_value: z.number().positive().max(10_000_000),
      sport: z.string().min(1).max(40).optional(),
      race: z.enum(raceNames).optional().describe("race_time goals: the race distance by name"),
      race_distance_meters: z.number().min(800).max(100_000).optional().describe("race_time goals: the race distance in metres"),
      start_date: z.iso.date().optional().describe("Default: today (UTC)"),
      target_date: z.iso.date(),
    })
    .refine((g) => g.goal_type !== "race_time" || (g.race === undefined) !== (g.race_distance_meters === undefined), {
      message: "a race_time goal needs exactly one of race or race_distance_meters",
    })
    .refine((g) => g.goal_type === "race_time" || (g.race === undefined && g.race_distance_meters === undefined), {
      message: "race and race_distance_meters are for race_time goals only",
    })
    .refine((g) => (g.start_date ?? new Date(now()).toISOString().slice(0, 10)) <= g.target_date, {
      message: "target_date must not be before start_date (or today)",
    }),
  output: z.object({ goal: goalSchema }),
  async run(input, { principal, db }) {
    const raceDistance = input.race_distance_meters ?? (input.race ? RACE_DISTANCES[input.race] : undefined);
    const goal = await createGoal(db, ownerOf(principal), {
      type: input.goal_type,
      sport: input.sport ?? (input.goal_type === "race_time" ? "run" : undefined),
      targetValue: input.target_value,
      raceDistanceMeters: raceDistance,
      startDate: input.start_date ?? new Date(now()).toISOString().slice(0, 10),
      targetDate: input.target_date,
    });
    return { goal: toOutput(goal) };
  },
  summary: ({ goal }) => `Goal ${goal.id}: ${goal.type} ${goal.targetValue} ${goal.unit} by ${goal.targetDate}.`,
});

export const listGoalsTool = defineTool({
  name: "list_goals",
  title: "List goals",
  description: "Lists the caller's goals, soonest target date first; status filters (active, completed, abandoned).",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  input: z.strictObject({ status: goalStatus.optional() }),
  output: z.object({ goals: z.array(goalSchema) }),
  async run({ status }, { principal, db }) {
    return { goals: (await listGoals(db, ownerOf(principal), status ?? null)).map(toOutput) };
  },
  summary: ({ goals }) => `${goals.length} goal${goals.length === 1 ? "" : "s"}.`,
});

export const deleteGoalTool = defineTool({
  name: "delete_goal",
  title: "Delete a goal",
  description: "Deletes one of the caller's goals. Example: {\"goal_id\": \"<uuid>\"}.",
  requiredScope: "fitness:write",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({ goal_id: goalId }),
  output: z.object({ deleted: z.literal(true) }),
  async run({ goal_id }, { principal, db }) {
    if (!(await deleteGoal(db, ownerOf(principal), goal_id))) notFound("goal", goal_id);
    return { deleted: true as const };
  },
  summary: () => "Goal deleted.",
});

async function requireGoalInputs(db: Queryable, owner: Owner, id: string) {
  return (await goalInputs(db, owner, id, now())) ?? notFound("goal", id);
}

const progressSchema = z.object({
  goalId: z.string(),
  type: goalType,
  unit: z.string(),
  target: z.number(),
  current: z.number().nullable(),
  percentComplete: z.number().nullable(),
  expectedByNow: z.number().nullable(),
  projectedAtTargetDate: z.number().nullable(),
  onTrack: z.boolean().nullable(),
  daysElapsed: z.number(),
  daysRemaining: z.number(),
  ...provenance,
}) satisfies z.ZodType<GoalProgress>;

export const trackProgressTool = defineTool({
  name: "track_progress",
  title: "Goal progress",
  description:
    "Progress of a goal as of today: done so far against the steady-pace share of the target and the projection at the " +
    "target date; for race_time goals the predicted time now. Example: {\"goal_id\": \"<uuid>\", \"save\": true}.",
  requiredScope: "fitness:read",
  annotations: mayStoreInsight,
  reusable: ({ save }) => !save,
  syncsFirst: true,
  input: z.strictObject({ goal_id: goalId, save }),
  output: progressSchema.extend({ insightId: z.string().nullable() }),
  async run({ goal_id, save }, { principal, db }) {
    const owner = ownerOf(principal);
    const { goal, today, activities } = await requireGoalInputs(db, owner, goal_id);
    const progress = goalProgress(goal, activities, today);
    return { ...progress, insightId: save ? await saveInsight(db, owner, "goal_progress", progress) : null };
  },
  summary: (p) =>
    (p.type === "race_time"
      ? `Predicted ${p.current === null ? "unknown" : clock(p.current)} against the target ${clock(p.target)}`
      : `${one(p.current ?? 0)} of ${p.target} ${p.unit} (${one(p.percentComplete ?? 0)}%), ${p.daysRemaining} days left`) +
    `${p.onTrack === null ? "" : p.onTrack ? "; on track" : "; behind"}.${provenanceNote(p)}`,
});

const feasibilitySchema = z.object({
  goalId: z.string(),
  verdict: z.enum(["achieved", "likely", "possible", "unlikely", "unknown"]),
  required: z.number().nullable(),
  current: z.number().nullable(),
  ratio: z.number().nullable(),
  weeksRemaining: z.number(),
  reasons: z.array(z.string()),
  ...provenance,
}) satisfies z.ZodType<GoalFeasibility>;

export const analyzeGoalFeasibilityTool = defineTool({
  name: "analyze_goal_feasibility",
  title: "Goal feasibility",
  description:
    "Whether a goal is realistic from the current training: weekly volume needed against recent weekly volume (a safe ramp " +
    "is 1.3x), or for race_time goals the VDOT needed against the current VDOT and a plausible gain per week.",
  requiredScope: "fitness:read",
  annotations: mayStoreInsight,
  reusable: ({ save }) => !save,
  syncsFirst: true,
  input: z.strictObject({ goal_id: goalId, save }),
  output: feasibilitySchema.extend({ insightId: z.string().nullable() }),
  async run({ goal_id, save }, { principal, db }) {
    const owner = ownerOf(principal);
    const feasibility = (await goalFeasibilityReport(db, owner, goal_id, now())) ?? notFound("goal", goal_id);
    return { ...feasibility, insightId: save ? await saveInsight(db, owner, "goal_feasibility", feasibility) : null };
  },
  summary: goalFeasibilitySummary,
});

const suggestionsSchema = z.object({
  suggestions: z.array(
    z.object({
      type: goalType,
      sport: z.enum(["run", "ride", "swim", "walk", "other"]),
      targetValue: z.number(),
      raceDistanceMeters: z.number().nullable(),
      startDate: z.string(),
      targetDate: z.string(),
      rationale: z.string(),
    }),
  ),
  ...provenance,
}) satisfies z.ZodType<GoalSuggestions>;

export const suggestGoalsTool = defineTool({
  name: "suggest_goals",
  title: "Suggest goals",
  description: "Goals that fit the last 4 weeks of training (10% more distance, one more session a week, a 10k one VDOT point faster), each with its rationale; set_goal creates one.",
  requiredScope: "fitness:read",
  annotations: mayStoreInsight,
  reusable: ({ save }) => !save,
  syncsFirst: true,
  input: z.strictObject({ save }),
  output: suggestionsSchema.extend({ insightId: z.string().nullable() }),
  async run({ save }, { principal, db }) {
    const owner = ownerOf(principal);
    const { today, activities } = await recentInputs(db, owner, now(), { days: 28 });
    const suggestions = suggestGoals(activities.all, today);
    return { ...suggestions, insightId: save ? await saveInsight(db, owner, "goal_suggestions", suggestions) : null };
  },
  summary: (s) => (s.suggestions.length ? s.suggestions.map((x) => x.rationale).join("; ") + "." : "No suggestions without recent training.") + provenanceNote(s),
});

export const listInsightsTool = defineTool({
  name: "list_insights",
  title: "Saved insights",
  description: "The analyses saved with save: true (training load, goal progress, feasibility, suggestions), newest first.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  input: z.strictObject({
    kind: z.enum(["training_load", "goal_progress", "goal_feasibility", "goal_suggestions"]).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  }),
  output: z.object({ insights: z.array(z.object({ id: z.string(), kind: z.string(), content: z.unknown(), createdAt: z.iso.datetime() })) }),
  async run({ kind, limit }, { principal, db }) {
    const insights = await listInsights(db, ownerOf(principal), { kind, limit });
    return { insights: insights.map((i) => ({ ...i, createdAt: i.createdAt.toISOString() })) };
  },
  summary: ({ insights }) => `${insights.length} saved insight${insights.length === 1 ? "" : "s"}.`,
});


