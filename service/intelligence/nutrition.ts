// Daily energy and macronutrient targets.
//   BMR: Mifflin et al., "A new predictive equation for resting energy expenditure in healthy
//     individuals", Am J Clin Nutr 51 (1990) 241-247: 10 kg + 6.25 cm - 5 age + 5 (men) / - 161 (women).
//   TDEE = BMR x activity factor 1.2 / 1.375 / 1.55 / 1.725 / 1.9 (sedentary .. extra active).
//   Carbohydrate by the day's training (Thomas, Erdman & Burke, ACSM/AND/DC joint position statement
//     "Nutrition and Athletic Performance", Med Sci Sports Exerc 48 (2016) 543-568): light 3-5 g/kg,
//     moderate (~1 h) 5-7, high (1-3 h) 6-10, very high (>4 h) 8-12; we take the middle of each band.
//   Protein 1.2-2.0 g/kg/day (same statement): 1.4 on rest/light days, 1.7 on training days.
//   Fat: the energy left, kept within 20-35% of energy.
import type { FitnessConfig, Provenance, Sex } from "./types.js";

export const ACTIVITY_FACTORS = {
  sedentary: 1.2,
  lightly_active: 1.375,
  moderately_active: 1.55,
  very_active: 1.725,
  extra_active: 1.9,
} as const;
export type ActivityLevel = keyof typeof ACTIVITY_FACTORS;

export type TrainingDayType = "rest" | "light" | "moderate" | "high" | "very_high";

const CARBS_G_PER_KG: Record<TrainingDayType, number> = { rest: 4, light: 4, moderate: 6, high: 8, very_high: 10 };
const PROTEIN_G_PER_KG: Record<TrainingDayType, number> = { rest: 1.4, light: 1.4, moderate: 1.7, high: 1.7, very_high: 1.7 };

export function mifflinStJeorBmr(weightKg: number, heightCm: number, age: number, sex: Sex): number {
  return 10 * weightKg + 6.25 * heightCm - 5 * age + (sex === "male" ? 5 : -161);
}

/** The day type for `trainingHours` of training that day. */
export function trainingDayType(trainingHours: number): TrainingDayType {
  if (trainingHours <= 0) return "rest";
  if (trainingHours < 0.75) return "light";
  if (trainingHours < 1.5) return "moderate";
  if (trainingHours <= 4) return "high";
  return "very_high";
}

export interface DailyNutrition extends Provenance {
  bmrKcal: number | null;
  activityFactor: number;
  energyKcal: number | null;
  dayType: TrainingDayType;
  proteinG: number | null;
  carbsG: number | null;
  fatG: number | null;
  /** Energy the macro targets add up to; above energyKcal when the carbohydrate need exceeds it. */
  macroKcal: number | null;
}

export function dailyNutrition(config: FitnessConfig, activityLevel: ActivityLevel, trainingHours: number): DailyNutrition {
  const dayType = trainingDayType(trainingHours);
  const activityFactor = ACTIVITY_FACTORS[activityLevel];
  const { weightKg, heightCm, age, sex } = config;
  const missing = (["weightKg", "heightCm", "age", "sex"] as const).filter((field) => config[field] === undefined);
  if (weightKg === undefined || heightCm === undefined || age === undefined || sex === undefined) {
    const perKg = (grams: number) => (weightKg === undefined ? null : grams * weightKg);
    return {
      bmrKcal: null,
      activityFactor,
      energyKcal: null,
      dayType,
      proteinG: perKg(PROTEIN_G_PER_KG[dayType]),
      carbsG: perKg(CARBS_G_PER_KG[dayType]),
      fatG: null,
      macroKcal: null,
      estimated: [],
      missing: [...missing],
    };
  }
  const bmr = mifflinStJeorBmr(weightKg, heightCm, age, sex);
  const energy = bmr * activityFactor;
  const protein = PROTEIN_G_PER_KG[dayType] * weightKg;
  const carbs = CARBS_G_PER_KG[dayType] * weightKg;
  const fatKcal = Math.min(0.35 * energy, Math.max(0.2 * energy, energy - 4 * (protein + carbs)));
  const fat = fatKcal / 9;
  return {
    bmrKcal: bmr,
    activityFactor,
    energyKcal: energy,
    dayType,
    proteinG: protein,
    carbsG: carbs,
    fatG: fat,
    macroKcal: 4 * (protein + carbs) + 9 * fat,
    estimated: [],
    missing: [],
  };
}
