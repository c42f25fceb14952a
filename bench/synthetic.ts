// Bench (not a test): how long the synthetic athlete takes to generate a two-year history for a new user.
// Run: npx tsx bench/synthetic.ts. Every round uses a fresh user, so nothing is cached between rounds.
import { physiology } from "../service/providers/synthetic/athlete.js";
import { generateHistory, HISTORY_DAYS } from "../service/providers/synthetic/history.js";
import { seedFor } from "../service/providers/synthetic/random.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const lastDay = Math.floor(Date.now() / 86_400_000) - 1;

// Warm-up: let the JIT see the code once, as a running server would have.
generateHistory(physiology(seedFor("warm-up")), lastDay);

const times: number[] = [];
let counts = { activities: 0, withStreams: 0, samples: 0, sleep: 0, hrv: 0, jsonBytes: 0 };
for (let i = 0; i < ROUNDS; i++) {
  const started = process.hrtime.bigint();
  const h = generateHistory(physiology(seedFor(`bench-user-${i}`)), lastDay);
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
  if (i === 0) {
    const streamed = h.activities.filter((a) => a.streams);
    counts = {
      activities: h.activities.length,
      withStreams: streamed.length,
      samples: streamed.reduce((n, a) => n + a.streams!.timeSeconds.length, 0),
      sleep: h.sleep.length,
      hrv: h.hrv.length,
      jsonBytes: Buffer.byteLength(JSON.stringify(h)),
    };
  }
}
times.sort((a, b) => a - b);
const pct = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
console.log(`synthetic history: ${HISTORY_DAYS} days, ${ROUNDS} fresh users`);
console.log(
  `  first user: ${counts.activities} activities (${counts.withStreams} with streams, ${counts.samples} samples), ${
    counts.sleep
  } nights, ${counts.hrv} HRV values, ${(counts.jsonBytes / 1e6).toFixed(1)} MB as JSON`,
);
console.log(
  `  generation ms: min ${times[0]!.toFixed(1)}  p50 ${pct(0.5)}  p90 ${pct(0.9)}  max ${times[
    times.length - 1
  ]!.toFixed(1)}`,
);
