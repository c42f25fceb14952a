// Periodization and the weekly template. A day's plan depends only on (athlete, date): the 16-week macro
// cycle is anchored to the calendar (shifted per athlete), so any window of days sees the same sessions.
import type { Sport } from "../../fitness/model.js";
import type { Physiology } from "./athlete.js";
import { between, mix, rng } from "./random.js";

export type Phase = "build" | "recovery" | "peak" | "taper" | "race";
export type SessionKind = "intervals" | "endurance" | "long" | "easy" | "race";

/** Three build blocks of three loading weeks and a recovery week, two peak weeks, a taper, then race week. */
export const CYCLE: readonly { phase: Phase; load: number }[] = [
  { phase: "build", load: 1.0 },
  { phase: "build", load: 1.1 },
  { phase: "build", load: 1.2 },
  { phase: "recovery", load: 0.65 },
  { phase: "build", load: 1.05 },
  { phase: "build", load: 1.15 },
  { phase: "build", load: 1.25 },
  { phase: "recovery", load: 0.65 },
  { phase: "build", load: 1.1 },
  { phase: "build", load: 1.2 },
  { phase: "build", load: 1.3 },
  { phase: "recovery", load: 0.7 },
  { phase: "peak", load: 1.35 },
  { phase: "peak", load: 1.4 },
  { phase: "taper", load: 0.6 },
  { phase: "race", load: 0.45 },
];

export interface PlannedSession {
  slot: number;
  sport: Sport;
  kind: SessionKind;
  name: string;
  /** Seconds after local midnight. */
  startLocalSeconds: number;
  durationSeconds: number;
  /** Intensity factor relative to threshold. */
  intensity: number;
  /** Recorded with HR (and power on rides) streams. */
  withStreams: boolean;
  raceDistanceMeters: number | null;
}

const RACES = [
  { sport: "run" as const, name: "Half Marathon", distance: 21_097.5, intensity: 0.97 },
  { sport: "ride" as const, name: "Gran Fondo", distance: 120_000, intensity: 0.8 },
  { sport: "run" as const, name: "10K Road Race", distance: 10_000, intensity: 1.03 },
];

/** Days since 1970-01-05, the first Monday of the epoch. */
const MONDAY_EPOCH_DAY = 4;

export function weekOf(p: Physiology, dayNumber: number) {
  const week = Math.floor((dayNumber - MONDAY_EPOCH_DAY) / 7) + p.cycleOffsetWeeks;
  const dayOfWeek = (((dayNumber - MONDAY_EPOCH_DAY) % 7) + 7) % 7; // 0 = Monday
  const cycle = Math.floor(week / CYCLE.length);
  return { ...CYCLE[((week % CYCLE.length) + CYCLE.length) % CYCLE.length]!, dayOfWeek, cycle };
}

type Template = [Sport, SessionKind, string, number, number]; // sport, kind, name, minutes, intensity

function template(phase: Phase, dayOfWeek: number): Template[] {
  const easyWeek = phase === "recovery" || phase === "taper";
  if (phase === "race") {
    return (
      [
        [],
        [["run", "easy", "Easy run with strides", 40, 0.7]],
        [["ride", "endurance", "Endurance ride", 60, 0.68]],
        [["swim", "easy", "Easy swim", 30, 0.7]],
        [],
        [["run", "easy", "Shakeout run", 25, 0.68]],
        [], // race day, added by planDay
      ] as Template[][]
    )[dayOfWeek]!;
  }
  return (
    [
      [],
      [easyWeek ? ["run", "easy", "Easy run", 45, 0.7] : ["run", "intervals", "Run intervals 6x3 min", 60, 0.88]],
      [["ride", "endurance", "Endurance ride", 80, 0.72]],
      [["swim", "endurance", "Swim: aerobic sets", 50, 0.78]],
      [["run", "easy", "Recovery run", 40, 0.68]],
      [["ride", "long", "Long ride", 160, 0.72]],
      [["run", "long", "Long run", 95, 0.76]],
    ] as Template[][]
  )[dayOfWeek]!;
}

export function planDay(p: Physiology, dayNumber: number): PlannedSession[] {
  const r = rng(mix(p.seed, dayNumber));
  const { phase, load, dayOfWeek, cycle } = weekOf(p, dayNumber);
  const weekend = dayOfWeek >= 5;
  const sessions: PlannedSession[] = [];
  for (const [sport, kind, name, minutes, intensity] of template(phase, dayOfWeek)) {
    // Life happens: some sessions are skipped, and Friday's recovery run is optional.
    if (r() < 0.07 || (dayOfWeek === 4 && r() < 0.5)) continue;
    sessions.push({
      slot: sessions.length + 1,
      sport,
      kind,
      name,
      startLocalSeconds: Math.round((weekend ? between(r, 7.5, 9.5) : between(r, 6, 7.5)) * 3600),
      // Race week's template is already short; other weeks scale with the week's load.
      durationSeconds: Math.round(minutes * 60 * (phase === "race" ? 1 : load) * between(r, 0.9, 1.1)),
      intensity: intensity * between(r, 0.97, 1.03),
      withStreams: r() < 0.35,
      raceDistanceMeters: null,
    });
  }
  if (phase === "race" && dayOfWeek === 6) {
    const race = RACES[cycle % RACES.length]!;
    const speed = race.sport === "run" ? p.thresholdRunMps * race.intensity : rideSpeed(p.ftpWatts * race.intensity);
    sessions.push({
      slot: sessions.length + 1,
      sport: race.sport,
      kind: "race",
      name: `${race.name} (race)`,
      startLocalSeconds: 8 * 3600,
      durationSeconds: Math.round(race.distance / speed),
      intensity: race.intensity,
      withStreams: true,
      raceDistanceMeters: race.distance,
    });
  }
  return sessions;
}

/** Flat-road speed for a sustained power: drag grows with v³, so speed grows with the cube root of power. */
export function rideSpeed(watts: number): number {
  return 1.45 * Math.cbrt(Math.max(watts, 20));
}

/** Training stress of a planned session (hours x IF² x 100). */
export const plannedStress = (s: PlannedSession) => (s.durationSeconds / 3600) * s.intensity ** 2 * 100;
