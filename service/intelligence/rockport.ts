// VO2max (ml/kg/min) from the Rockport one-mile walk test: Kline et al., "Estimation of VO2max from a
// one-mile track walk, gender, age, and body weight", Med Sci Sports Exerc 19 (1987) 253-259:
//   132.853 - 0.0769 weight_lb - 0.3877 age + 6.315 (male = 1) - 3.2649 time_min - 0.1565 HR.
// For runners, VDOT is already a VO2max-like value in ml/kg/min and needs no conversion.
import type { Sex } from "./types.js";

const POUNDS_PER_KG = 2.20462;

export function rockportVo2max(weightKg: number, age: number, sex: Sex, mileMinutes: number, finishHeartRate: number): number {
  return 132.853 - 0.0769 * weightKg * POUNDS_PER_KG - 0.3877 * age + (sex === "male" ? 6.315 : 0) - 3.2649 * mileMinutes - 0.1565 * finishHeartRate;
}
