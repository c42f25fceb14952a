// Deterministic randomness for the synthetic athlete: one 32-bit seed per user, one independent stream per
// (seed, day), so a day's sessions never depend on which window of days is being generated.
import { createHash } from "node:crypto";

export type Random = () => number;

export function seedFor(subject: string): number {
  return createHash("sha256").update(`pierre-synthetic:${subject}`).digest().readUInt32BE(0);
}

/** murmur3's finalizer: spreads a combined key into a well-mixed 32-bit seed. */
export function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: tiny, fast and good enough for plausible noise. */
export function rng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const between = (r: Random, min: number, max: number) => min + (max - min) * r();

/** Approximately normal (Irwin–Hall of 3), cheap and bounded. */
export const noise = (r: Random, sd: number) => (r() + r() + r() - 1.5) * 2 * sd;
