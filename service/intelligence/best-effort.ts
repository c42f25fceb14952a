// The best sustained average over a window (e.g. 20 min), for threshold estimation from streams.
import { resampleTo1Hz, rollingMeans } from "./resample.js";
import type { Samples } from "./types.js";

export function bestRollingAverage(time: readonly number[], values: Samples, windowSeconds: number): number | undefined {
  const rolling = rollingMeans(resampleTo1Hz(time, values), windowSeconds);
  if (rolling.length === 0) return undefined;
  let best = -Infinity;
  for (const value of rolling) if (value > best) best = value;
  return best;
}
