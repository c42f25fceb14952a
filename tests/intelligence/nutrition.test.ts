// Mifflin-St Jeor against a published worked example, and macro targets per training day.
import { describe, expect, it } from "vitest";
import { ACTIVITY_FACTORS, dailyNutrition, mifflinStJeorBmr, trainingDayType } from "../../service/intelligence/index.js";

describe("Mifflin-St Jeor BMR", () => {
  it("man, 30 y, 70 kg, 175 cm: 1648.75 kcal/day (calculatorlib.com's worked example)", () => {
    expect(mifflinStJeorBmr(70, 175, 30, "male")).toBe(1648.75);
  });

  it("TDEE for that man at the five activity factors within 1 kcal of the page's 1,978 / 2,267 / 2,556 / 2,844 / 3,133", () => {
    const published = [1978, 2267, 2556, 2844, 3133];
    const tdee = Object.values(ACTIVITY_FACTORS).map((factor) => mifflinStJeorBmr(70, 175, 30, "male") * factor);
    tdee.forEach((value, i) => expect(Math.abs(value - published[i])).toBeLessThanOrEqual(1));
  });

  it("woman, 28 y, 65 kg, 165 cm (qaicalculator.com's example profile): 650 + 1031.25 - 140 - 161 = 1380.25", () => {
    expect(mifflinStJeorBmr(65, 165, 28, "female")).toBe(1380.25);
  });
});

describe("daily nutrition", () => {
  const athlete = { weightKg: 70, heightCm: 175, age: 30, sex: "male" as const };

  it("classifies training days by hours", () => {
    expect([0, 0.5, 1, 2, 5].map(trainingDayType)).toEqual(["rest", "light", "moderate", "high", "very_high"]);
  });

  it("moderate day: 6 g/kg carbohydrate, 1.7 g/kg protein, fat the rest within 20-35% of energy", () => {
    const plan = dailyNutrition(athlete, "very_active", 1);
    expect(plan.energyKcal).toBeCloseTo(1648.75 * 1.725, 9);
    expect(plan.carbsG).toBeCloseTo(420, 9);
    expect(plan.proteinG).toBeCloseTo(119, 9);
    const fatShare = (9 * plan.fatG!) / plan.energyKcal!;
    expect(fatShare).toBeGreaterThanOrEqual(0.2 - 1e-9);
    expect(fatShare).toBeLessThanOrEqual(0.35 + 1e-9);
  });

  it("a very long day needs more carbohydrate than a sedentary energy estimate: macros exceed it and say so", () => {
    const plan = dailyNutrition(athlete, "sedentary", 5);
    expect(plan.carbsG).toBeCloseTo(700, 9);
    expect(plan.macroKcal!).toBeGreaterThan(plan.energyKcal!);
  });

  it("without height, age or sex: per-kg targets only, the rest named missing", () => {
    const plan = dailyNutrition({ weightKg: 60 }, "moderately_active", 0);
    expect(plan).toMatchObject({ bmrKcal: null, energyKcal: null, carbsG: 240, proteinG: 84, fatG: null });
    expect(plan.missing).toEqual(["heightCm", "age", "sex"]);
  });
});
