// Banister's training impulse with the sex-specific weighting of Morton, Fitz-Clarke & Banister,
// "Modeling human performance in running", J Appl Physiol 69 (1990) 1171-1177:
//   TRIMP = minutes x HRr x 0.64 e^(1.92 HRr) (men), x 0.86 e^(1.67 HRr) (women),
//   HRr = (avg HR - resting HR) / (max HR - resting HR).
import type { Sex } from "./types.js";

const WEIGHTING: Record<Sex, { a: number; b: number }> = {
  male: { a: 0.64, b: 1.92 },
  female: { a: 0.86, b: 1.67 },
};

export function banisterTrimp(minutes: number, averageHr: number, restingHr: number, maxHr: number, sex: Sex): number {
  const reserve = Math.min(1, Math.max(0, (averageHr - restingHr) / (maxHr - restingHr)));
  const { a, b } = WEIGHTING[sex];
  return minutes * reserve * a * Math.exp(b * reserve);
}
