// The A2A skills: the training analyses other agents ask for. Each skill names the MCP tools whose
// analyses it answers (training/reports.ts computes and words them for both faces), so its tier, scope
// and card entry come from the tool catalog (card.ts), never from a second table: a skill is available
// from the highest tier of its tools. A skill's result is a text a model can read and the structured data.
import { z } from "zod";
import type { Queryable } from "../db/pool.js";
import { TIERS, type Tier } from "../identity/tiers.js";
import type { ToolCatalog } from "../mcp/tools/index.js";
import { trainingBasis } from "../training/analytics.js";
import { listGoals } from "../training/goals.js";
import type { Owner } from "../training/inputs.js";
import {
  goalFeasibilityReport,
  goalFeasibilitySummary,
  patternsReport,
  patternsSummary,
  racePredictionReport,
  racePredictionSummary,
  raceTargetInput,
  recommendationsReport,
  recommendationsSummary,
  recoveryReport,
  recoverySummary,
  restDayReport,
  restDaySummary,
  targetMetersOf,
  trainingLoadReport,
  trainingLoadSummary,
} from "../training/reports.js";

export interface SkillContext {
  db: Queryable;
  owner: Owner;
  /** "Today" is computed in the athlete's calendar from this instant. */
  nowMs: number;
}

export type SkillOutcome =
  | { state: "completed"; text: string; data: Record<string, unknown> }
  /** The skill needs the client to say more (e.g. which goal); it answers on the same task. */
  | { state: "input-required"; text: string; data: Record<string, unknown> };

export interface Skill {
  id: string;
  name: string;
  /** What the skill does, in one or two sentences; the card adds what the catalog says of its tools. */
  summary: string;
  /** The MCP tools whose analyses the skill answers. */
  tools: readonly string[];
  examples: readonly string[];
  /** Arguments, sent as a data part (an object); none means {}. */
  input: z.ZodType<Record<string, unknown>>;
  run(input: Record<string, unknown>, context: SkillContext): Promise<SkillOutcome>;
}

function defineSkill<I extends z.ZodType<Record<string, unknown>>>(
  spec: Omit<Skill, "input" | "run"> & { input: I; run(input: z.output<I>, context: SkillContext): Promise<SkillOutcome> },
): Skill {
  return spec as Skill;
}

const lines = (...parts: string[]) => parts.join("\n");

const weeklyTrainingReview = defineSkill({
  id: "weekly_training_review",
  name: "Weekly training review",
  summary:
    "Reviews the athlete's training week: fitness, fatigue and form (CTL / ATL / TSB) with the last 7 days, the training " +
    "rhythm and load jumps of the last `weeks` weeks, and prioritized recommendations.",
  tools: ["analyze_training_load", "detect_patterns", "generate_recommendations"],
  examples: ["Give me a weekly training review.", '{"weeks": 4}'],
  input: z.strictObject({ weeks: z.number().int().min(1).max(52).default(4) }),
  async run({ weeks }, { db, owner, nowMs }) {
    const basis = await trainingBasis(db, owner, nowMs);
    const load = trainingLoadReport(basis, 7);
    const [patterns, recommendations] = await Promise.all([patternsReport(db, owner, basis, weeks), recommendationsReport(db, owner, basis)]);
    return {
      state: "completed",
      text: lines(trainingLoadSummary(load), patternsSummary(patterns), recommendationsSummary(recommendations)),
      data: { load, patterns, recommendations },
    };
  },
});

const raceTimePrediction = defineSkill({
  id: "race_time_prediction",
  name: "Race time prediction",
  summary: "Predicts a race time (5k, 10k, half marathon, marathon or any distance) from the athlete's best run of the last 90 days.",
  tools: ["predict_performance"],
  examples: ["Predict my marathon time.", '{"race": "half_marathon"}', '{"distance_meters": 15000}'],
  input: raceTargetInput,
  async run(input, { db, owner, nowMs }) {
    const prediction = await racePredictionReport(db, owner, nowMs, targetMetersOf(input));
    return { state: "completed", text: racePredictionSummary(prediction), data: { prediction } };
  },
});

const recoveryCheck = defineSkill({
  id: "recovery_check",
  name: "Recovery check",
  summary: "Whether the athlete has recovered: a 0-100 recovery score from form, last night's sleep and HRV, and whether to rest today.",
  tools: ["calculate_recovery_score", "suggest_rest_day"],
  examples: ["Am I recovered enough to train hard today?", "{}"],
  input: z.strictObject({}),
  async run(_input, { db, owner, nowMs }) {
    const basis = await trainingBasis(db, owner, nowMs);
    const [recovery, restDay] = await Promise.all([recoveryReport(db, owner, basis), restDayReport(db, owner, basis)]);
    return { state: "completed", text: lines(recoverySummary(recovery), restDaySummary(restDay)), data: { recovery, restDay } };
  },
});

const goalFeasibilitySkill = defineSkill({
  id: "goal_feasibility",
  name: "Goal feasibility",
  summary:
    "Whether one of the athlete's goals is realistic from the current training. Name it with goal_id; without one, the " +
    "only active goal is assessed, and with several the task asks which (input-required, answer on the same task).",
  tools: ["analyze_goal_feasibility"],
  examples: ["Is my goal realistic?", '{"goal_id": "<uuid>"}'],
  input: z.strictObject({ goal_id: z.uuid({ message: "expected a goal id (a UUID)" }).optional() }),
  async run({ goal_id }, { db, owner, nowMs }) {
    let goalId = goal_id;
    if (goalId === undefined) {
      const goals = (await listGoals(db, owner, "active")).map(({ id, type, sport, targetValue, unit, targetDate }) => ({
        id, type, sport: sport ?? null, targetValue, unit, targetDate,
      }));
      if (goals.length === 0) return { state: "completed", text: "No active goal to assess: set one first.", data: { feasibility: null, goals } };
      if (goals.length > 1) {
        const list = goals.map((g) => `${g.id}: ${g.type} ${g.targetValue} ${g.unit} by ${g.targetDate}`).join("; ");
        return { state: "input-required", text: `Which goal? Answer on this task with {"goal_id": "<id>"}. Active goals: ${list}.`, data: { goals } };
      }
      goalId = goals[0].id;
    }
    const feasibility = await goalFeasibilityReport(db, owner, goalId, nowMs);
    if (!feasibility) return { state: "input-required", text: `No goal ${goalId} for this athlete; answer with the id of an active goal.`, data: { goals: [] } };
    return { state: "completed", text: goalFeasibilitySummary(feasibility), data: { feasibility } };
  },
});

export const SKILLS: readonly Skill[] = [weeklyTrainingReview, raceTimePrediction, recoveryCheck, goalFeasibilitySkill];

export interface SkillCatalog {
  find(id: string): Skill | undefined;
  all: readonly Skill[];
  /** The first tier that may use the skill: the highest first tier of its tools. */
  tierOf(skill: Skill): Tier;
  /** The scopes the skill needs: its tools' required scopes. */
  scopesOf(skill: Skill): string[];
}

/** Refuses to build when a skill names a tool the MCP catalog lacks, so a renamed tool fails at start (and in tests). */
export function createSkillCatalog(tools: ToolCatalog, skills: readonly Skill[] = SKILLS): SkillCatalog {
  const byId = new Map(skills.map((skill) => [skill.id, skill]));
  if (byId.size !== skills.length) throw new Error("duplicate skill id");
  for (const skill of skills) {
    const missing = skill.tools.filter((name) => !tools.find(name));
    if (missing.length) throw new Error(`skill ${skill.id} names tools the catalog lacks: ${missing.join(", ")}`);
  }
  const rank = (tier: Tier) => TIERS.indexOf(tier);
  return {
    find: (id) => byId.get(id),
    all: skills,
    tierOf: (skill) => skill.tools.map((name) => tools.tierOf(name)).reduce((a, b) => (rank(b) > rank(a) ? b : a)),
    scopesOf: (skill) => [...new Set(skill.tools.map((name) => tools.find(name)!.requiredScope))],
  };
}

/** What a message asks for: the skill it names (metadata.skill), its text parts and its data parts. */
export interface SkillRequest {
  skill: unknown;
  texts: string[];
  data: unknown[];
}

export type SkillChoice = { skill: Skill; input: Record<string, unknown> } | { problem: string };

/**
 * The skill a message asks for and its parsed arguments. The skill is named by metadata.skill, else it is
 * `fallback` (the skill of the task a follow-up message answers), else the one skill a text part mentions
 * by id or name; the arguments are the first data part ({} without one).
 */
export function chooseSkill(catalog: SkillCatalog, request: SkillRequest, fallback?: Skill): SkillChoice {
  const known = catalog.all.map((s) => s.id).join(", ");
  let skill: Skill | undefined;
  if (request.skill !== undefined) {
    skill = typeof request.skill === "string" ? catalog.find(request.skill) : undefined;
    if (!skill) return { problem: `unknown skill ${JSON.stringify(request.skill)}; skills: ${known}` };
  } else {
    // A follow-up stays with its task's skill unless it names another one explicitly.
    const text = request.texts.join(" ").toLowerCase();
    const mentioned = catalog.all.filter((s) => text.includes(s.id) || text.includes(s.name.toLowerCase()));
    skill = fallback ?? (mentioned.length === 1 ? mentioned[0] : undefined);
    if (!skill) return { problem: `name a skill in metadata.skill (or mention one in the text); skills: ${known}` };
  }
  const args = request.data[0] ?? {};
  const parsed = skill.input.safeParse(args);
  if (!parsed.success) return { problem: `invalid arguments for ${skill.id}: ${z.prettifyError(parsed.error)}` };
  return { skill, input: parsed.data };
}
