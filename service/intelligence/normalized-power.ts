// Normalized power (Allen & Coggan, "Training and Racing with a Power Meter", 2nd ed. 2010, ch. 7):
// 30 s rolling average of power, each value raised to the 4th power, mean, then the 4th root.
import { resampleTo1Hz, rollingMeans } from "./resample.js";
import type { Samples } from "./types.js";

const WINDOW_SECONDS = 30;

/** NP in watts from a power stream; undefined when the stream is shorter than one 30 s window. */
export function normalizedPower(time: readonly number[], watts: Samples): number | undefined {
  const rolling = rollingMeans(resampleTo1Hz(time, watts), WINDOW_SECONDS);
  if (rolling.length === 0) return undefined;
  let sum = 0;
  for (const value of rolling) sum += value ** 4;
  return (sum / rolling.length) ** 0.25;
}
