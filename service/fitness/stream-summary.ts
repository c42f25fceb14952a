// What an activity's streams say in a few numbers, for a tool answer that must stay small.
import { STREAM_KEYS, type ActivityStreams } from "./model.js";

export interface SeriesSummary {
  min: number;
  avg: number;
  max: number;
  /** Samples with a value (dropouts excluded). */
  samples: number;
}

export interface StreamSummary {
  samples: number;
  durationSeconds: number;
  series: Partial<Record<(typeof STREAM_KEYS)[number], SeriesSummary>>;
}

export function summarizeStreams(streams: ActivityStreams): StreamSummary {
  const series: StreamSummary["series"] = {};
  for (const key of STREAM_KEYS) {
    const values = (streams[key] ?? []).filter((v): v is number => v !== null);
    if (values.length === 0) continue;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    series[key] = { min, avg: Math.round((sum / values.length) * 10) / 10, max, samples: values.length };
  }
  const t = streams.timeSeconds;
  return { samples: t.length, durationSeconds: t.length ? t[t.length - 1]! - t[0]! : 0, series };
}
