// Threshold pace as the pace sustainable for one hour at a given VDOT: the running counterpart of FTP's
// one-hour definition. At 60 min the Daniels fraction is 0.888, which is Daniels' T pace (~88% VO2max).
import { sustainableFraction, velocityForOxygenCost } from "./vdot.js";

export function thresholdPaceForVdot(vdot: number): number {
  const metersPerMinute = velocityForOxygenCost(vdot * sustainableFraction(60));
  return 60_000 / metersPerMinute;
}
