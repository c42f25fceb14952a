// Riegel, "Athletic records and human endurance", American Scientist 69 (1981) 285-290:
// T2 = T1 x (D2 / D1)^1.06, valid for roughly 3.5 to 230 minutes of running.

export const RIEGEL_EXPONENT = 1.06;

export function riegelTime(knownSeconds: number, knownMeters: number, targetMeters: number, exponent = RIEGEL_EXPONENT): number {
  return knownSeconds * (targetMeters / knownMeters) ** exponent;
}
