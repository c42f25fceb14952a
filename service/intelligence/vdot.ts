// Daniels & Gilbert, "Oxygen Power" (1979), as used in Daniels' Running Formula (3rd ed., 2013):
//   VO2 (ml/kg/min) at velocity v (m/min):      -4.60 + 0.182258 v + 0.000104 v^2
//   fraction of VO2max sustainable for t min:   0.8 + 0.1894393 e^(-0.012778 t) + 0.2989558 e^(-0.1932605 t)
//   VDOT = VO2 / fraction.
// VDOT is already in ml/kg/min: it is not multiplied by 3.5 (a known mistake of the reference server),
// and the fraction is this exponential, not a step function.

export const RACE_DISTANCES = {
  "5k": 5000,
  "10k": 10_000,
  half_marathon: 21_097.5,
  marathon: 42_195,
} as const;
export type RaceName = keyof typeof RACE_DISTANCES;

/** Oxygen cost of running at `metersPerMinute`, ml/kg/min. */
export function oxygenCost(metersPerMinute: number): number {
  return -4.6 + 0.182258 * metersPerMinute + 0.000104 * metersPerMinute ** 2;
}

/** Fraction of VO2max an athlete can sustain for a race lasting `minutes`. */
export function sustainableFraction(minutes: number): number {
  return 0.8 + 0.1894393 * Math.exp(-0.012778 * minutes) + 0.2989558 * Math.exp(-0.1932605 * minutes);
}

/** VDOT of a race result. */
export function vdotFromRace(distanceMeters: number, seconds: number): number {
  const minutes = seconds / 60;
  return oxygenCost(distanceMeters / minutes) / sustainableFraction(minutes);
}

/** Velocity (m/min) whose oxygen cost is `vo2`: the positive root of the cost quadratic. */
export function velocityForOxygenCost(vo2: number): number {
  const a = 0.000104;
  const b = 0.182258;
  const c = -4.6 - vo2;
  return (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
}

/**
 * The race time (s) over `distanceMeters` that yields `vdot`. VDOT falls strictly as time grows (slower
 * pace, and the longer race allows a smaller fraction only partly offsetting it), so bisection converges.
 */
export function raceTimeForVdot(vdot: number, distanceMeters: number): number {
  let fast = 1; // seconds: faster than any human
  let slow = 48 * 3600;
  for (let i = 0; i < 80; i += 1) {
    const mid = (fast + slow) / 2;
    if (vdotFromRace(distanceMeters, mid) > vdot) fast = mid;
    else slow = mid;
  }
  return (fast + slow) / 2;
}

/** Equivalent 5k / 10k / half / marathon times (s) for a VDOT. */
export function equivalentRaceTimes(vdot: number): Record<RaceName, number> {
  const out = {} as Record<RaceName, number>;
  for (const [name, meters] of Object.entries(RACE_DISTANCES) as Array<[RaceName, number]>) {
    out[name] = raceTimeForVdot(vdot, meters);
  }
  return out;
}
