// Streams are often recorded "smart" (irregular intervals) rather than every second. Rolling-window
// formulas (normalized power, best 20-minute efforts) are defined on 1 Hz data, so samples are held
// forward to whole seconds. A gap longer than MAX_HOLD_SECONDS is a pause (auto-pause, stopped recording):
// it is left out rather than filled, as riding time it never was. A dropout (null or non-finite sample)
// holds the last good value: the sensor lost contact, the athlete did not stop.
import type { Samples } from "./types.js";

export const MAX_HOLD_SECONDS = 10;

/** 1 Hz series of `values` over `time` (seconds), pauses removed, dropouts held (0 before any good sample). */
export function resampleTo1Hz(time: readonly number[], values: Samples): number[] {
  const n = Math.min(time.length, values.length);
  const out: number[] = [];
  let last = 0;
  for (let i = 0; i < n; i += 1) {
    const sample = values[i];
    const value = sample !== null && Number.isFinite(sample) ? sample : last;
    last = value;
    const next = i + 1 < n ? time[i + 1] : time[i] + 1;
    const hold = Math.round(next - time[i]);
    const seconds = hold >= 1 && hold <= MAX_HOLD_SECONDS ? hold : 1;
    for (let s = 0; s < seconds; s += 1) out.push(value);
  }
  return out;
}

/** Rolling means over a trailing window of `window` samples; empty when the series is shorter. */
export function rollingMeans(series: readonly number[], window: number): number[] {
  if (series.length < window || window < 1) return [];
  const out = new Array<number>(series.length - window + 1);
  let sum = 0;
  for (let i = 0; i < window; i += 1) sum += series[i];
  out[0] = sum / window;
  for (let i = window; i < series.length; i += 1) {
    sum += series[i] - series[i - window];
    out[i - window + 1] = sum / window;
  }
  return out;
}
