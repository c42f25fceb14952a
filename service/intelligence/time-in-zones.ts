// Seconds spent in each zone, from a stream resampled to 1 Hz (pauses excluded). Values below the first
// zone count in none; values above the last count in the last.
import { resampleTo1Hz } from "./resample.js";
import type { Samples } from "./types.js";
import type { Zone } from "./zones.js";

export function timeInZones(time: readonly number[], values: Samples, zones: readonly Zone[]): number[] {
  const seconds = new Array<number>(zones.length).fill(0);
  for (const value of resampleTo1Hz(time, values)) {
    for (let i = zones.length - 1; i >= 0; i -= 1) {
      if (value >= zones[i].min) {
        seconds[i] += 1;
        break;
      }
    }
  }
  return seconds;
}
