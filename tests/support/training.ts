// Factories for the intelligence engine's inputs: one activity, a stream, a sleep night. Defaults are a
// plain 1-hour run with nothing recorded but time and distance; tests add only what they exercise.
import type { ActivityInput, ActivityStreams, SleepNight } from "../../service/intelligence/index.js";

let sequence = 0;

export function activity(overrides: Partial<ActivityInput> = {}): ActivityInput {
  sequence += 1;
  return {
    id: `a${sequence}`,
    sport: "Run",
    startTime: "2026-01-05T08:00:00Z",
    utcOffsetMinutes: 0,
    elapsedSeconds: 3600,
    movingSeconds: 3600,
    distanceMeters: 10_000,
    ...overrides,
  };
}

/** `seconds` of samples every `step` s, each channel given as a constant or a function of elapsed time. */
export function stream(
  seconds: number,
  channels: { watts?: number | ((t: number) => number); heartrate?: number | ((t: number) => number) },
  step = 1,
): ActivityStreams {
  const time: number[] = [];
  for (let t = 0; t < seconds; t += step) time.push(t);
  const fill = (channel: number | ((t: number) => number)) => time.map((t) => (typeof channel === "number" ? channel : channel(t)));
  return {
    time,
    ...(channels.watts !== undefined ? { watts: fill(channels.watts) } : {}),
    ...(channels.heartrate !== undefined ? { heartrate: fill(channels.heartrate) } : {}),
  };
}

/** A night from 23:00 to 07:00 UTC ending on `date`, with stage minutes as given. */
export function sleepNight(date: string, overrides: Partial<SleepNight> = {}): SleepNight {
  const end = new Date(`${date}T07:00:00Z`);
  const start = new Date(end.getTime() - 8 * 3600_000);
  return { start: start.toISOString(), end: end.toISOString(), ...overrides };
}

/** Seconds from h:mm:ss. */
export function hms(text: string): number {
  return text.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}
