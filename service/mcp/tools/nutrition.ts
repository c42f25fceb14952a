// calculate_daily_nutrition: energy and macro targets for a day from the fitness configuration and that
// day's stored training (or the hours given).
import { z } from "zod";
import { trainingSeconds } from "../../intelligence/activity-time.js";
import { ACTIVITY_FACTORS, dailyNutrition, dayOf, localDay, type DailyNutrition } from "../../intelligence/index.js";
import { effectiveFitnessConfig } from "../../training/fitness-config.js";
import { recentInputs } from "../../training/inputs.js";
import { provenanceNote } from "../../training/format.js";
import { defineTool } from "./tool.js";
import { now, ownerOf, provenance, readOnly } from "./training-support.js";

const activityLevels = Object.keys(ACTIVITY_FACTORS) as [keyof typeof ACTIVITY_FACTORS, ...(keyof typeof ACTIVITY_FACTORS)[]];

const nutritionSchema = z.object({
  bmrKcal: z.number().nullable().describe("Mifflin-St Jeor basal metabolic rate"),
  activityFactor: z.number(),
  energyKcal: z.number().nullable().describe("BMR x activity factor"),
  dayType: z.enum(["rest", "light", "moderate", "high", "very_high"]),
  proteinG: z.number().nullable(),
  carbsG: z.number().nullable(),
  fatG: z.number().nullable(),
  macroKcal: z.number().nullable().describe("Energy of the macro targets; above energyKcal when the carbohydrate need exceeds it"),
  ...provenance,
}) satisfies z.ZodType<DailyNutrition>;

export const calculateDailyNutritionTool = defineTool({
  name: "calculate_daily_nutrition",
  title: "Daily nutrition targets",
  description:
    "Energy (Mifflin-St Jeor BMR x activity factor) and protein/carbohydrate/fat targets for a day, scaled by that day's " +
    "training: the stored activities of `date` (the athlete's local date, default today) or `training_hours` when given. " +
    "Needs weight, height, age and sex in the fitness configuration (set_fitness_config). " +
    "Example: {\"activity_level\": \"very_active\", \"training_hours\": 1.5}.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({
    activity_level: z.enum(activityLevels).default("moderately_active"),
    training_hours: z.number().min(0).max(24).optional(),
    date: z.iso.date().optional(),
  }),
  output: nutritionSchema.extend({ date: z.string(), trainingHours: z.number(), trainingHoursFrom: z.enum(["input", "activities"]) }),
  async run({ activity_level, training_hours, date }, { principal, db }) {
    const owner = ownerOf(principal);
    const [config, inputs] = await Promise.all([effectiveFitnessConfig(db, owner.tenantId, owner.userId), recentInputs(db, owner, now(), { days: 0 })]);
    const day = date ?? inputs.today;
    let hours = training_hours;
    if (hours === undefined) {
      // Beyond the recent window (90 days) the day's activities are not loaded: ask with training_hours instead.
      const target = dayOf(day);
      hours = inputs.activities.recent
        .filter((a) => localDay(a.startTime, a.utcOffsetMinutes) === target)
        .reduce((sum, a) => sum + trainingSeconds(a) / 3600, 0);
    }
    return {
      date: day,
      trainingHours: hours,
      trainingHoursFrom: training_hours === undefined ? ("activities" as const) : ("input" as const),
      ...dailyNutrition(config.merged, activity_level, hours),
    };
  },
  summary: (n) =>
    `${n.date} (${n.dayType}, ${n.trainingHours.toFixed(1)} h training): ` +
    (n.energyKcal === null
      ? "energy unknown"
      : `${Math.round(n.energyKcal)} kcal, protein ${Math.round(n.proteinG!)} g, carbohydrate ${Math.round(n.carbsG!)} g, fat ${Math.round(n.fatG!)} g`) +
    `.${provenanceNote(n)}`,
});
