// Race-time prediction for a target distance from the athlete's best run, two ways: Daniels' VDOT
// equivalence (primary) and Riegel's power law (for comparison). Both assume training suited to the
// distance: a marathon predicted from a 5k assumes marathon mileage.
import { bestVdot } from "./best-vdot.js";
import { riegelTime } from "./riegel.js";
import type { ActivityInput, Provenance } from "./types.js";
import { equivalentRaceTimes, raceTimeForVdot, type RaceName } from "./vdot.js";

export interface RacePrediction extends Provenance {
  targetMeters: number;
  /** Null when there is no qualifying run. */
  basis: { activityId: string; distanceMeters: number; seconds: number; vdot: number } | null;
  vdotSeconds: number | null;
  riegelSeconds: number | null;
  equivalentTimes: Record<RaceName, number> | null;
}

export function predictRaceTime(activities: readonly ActivityInput[], targetMeters: number): RacePrediction {
  const best = bestVdot(activities);
  if (!best) {
    return { targetMeters, basis: null, vdotSeconds: null, riegelSeconds: null, equivalentTimes: null, estimated: [], missing: ["a run of 1500 m to 4 h"] };
  }
  return {
    targetMeters,
    basis: { activityId: best.activityId, distanceMeters: best.distanceMeters, seconds: best.seconds, vdot: best.vdot },
    vdotSeconds: raceTimeForVdot(best.vdot, targetMeters),
    riegelSeconds: riegelTime(best.seconds, best.distanceMeters, targetMeters),
    equivalentTimes: equivalentRaceTimes(best.vdot),
    // A training run is not a race: the best one stands in for a race effort.
    estimated: ["race fitness (best recorded run taken as a race effort)"],
    missing: [],
  };
}
