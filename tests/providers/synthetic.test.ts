import { describe, expect, it } from "vitest";
import { type Activity, activitySchema, hrvRecordSchema, sleepRecordSchema } from "../../service/fitness/model.js";
import { physiology } from "../../service/providers/synthetic/athlete.js";
import { generateHistory } from "../../service/providers/synthetic/history.js";
import { createSyntheticProvider } from "../../service/providers/synthetic/index.js";
import { SAMPLE_SECONDS } from "../../service/providers/synthetic/materialize.js";
import { weekOf } from "../../service/providers/synthetic/plan.js";
import { seedFor } from "../../service/providers/synthetic/random.js";
import type { FitnessProvider, ProviderAuth } from "../../service/providers/types.js";
import { FakeClock } from "../support/fakes/http.js";

const REDIRECT = "http://127.0.0.1:9/api/oauth/callback/synthetic";
const DAY = 86_400_000;

async function connect(provider: FitnessProvider, subject: string): Promise<ProviderAuth> {
  const url = provider.authorizationUrl({ state: "s-1", redirectUri: REDIRECT, codeChallenge: "", subject });
  // No browser: the "authorization" is the callback itself.
  expect(url.origin + url.pathname).toBe(REDIRECT);
  expect(url.searchParams.get("state")).toBe("s-1");
  return provider.exchangeCode({ code: url.searchParams.get("code")!, redirectUri: REDIRECT, codeVerifier: "" });
}

async function everything(provider: FitnessProvider, auth: ProviderAuth, cursor: string | null = null) {
  const activities: Activity[] = [];
  for (let guard = 0; guard < 20; guard++) {
    const page = await provider.listActivities(auth, { cursor });
    activities.push(...page.activities);
    cursor = page.cursor;
    if (!page.hasMore) return { activities, cursor };
  }
  throw new Error("did not finish");
}

// One two-year history shared by the realism checks (generation is deterministic, so this is not state).
const clock = new FakeClock();
const athlete = physiology(seedFor("realism-user"));
const lastDay = Math.floor(clock.now() / DAY) - 1;
const history = generateHistory(athlete, lastDay);
const dayOf = (a: Activity) => Math.floor((Date.parse(a.startTime) + a.utcOffsetSeconds * 1000) / DAY);

describe("synthetic provider", () => {
  it("is deterministic per user and differs between users", async () => {
    const a = createSyntheticProvider({ now: clock.now });
    const b = createSyntheticProvider({ now: clock.now });
    const first = await everything(a, await connect(a, "user-1"));
    const again = await everything(b, await connect(b, "user-1"));
    const other = await everything(a, await connect(a, "user-2"));
    expect(again.activities).toEqual(first.activities);
    expect(other.activities.map((x) => x.startTime)).not.toEqual(first.activities.map((x) => x.startTime));
    const one = first.activities[100]!;
    expect(await b.getActivity(await connect(b, "user-1"), one.id, { streams: true })).toEqual(
      await a.getActivity(await connect(a, "user-1"), one.id, { streams: true }),
    );
  });

  it("keeps a day's content when the window moves, and a stored cursor then yields only the new days", async () => {
    const provider = createSyntheticProvider({ now: clock.now });
    const auth = await connect(provider, "user-3");
    const before = await everything(provider, auth);
    expect(before.activities.length).toBeGreaterThan(400);
    const later = new FakeClock(clock.now() + 3 * DAY);
    const moved = createSyntheticProvider({ now: later.now });
    const after = await everything(moved, auth);
    const byId = new Map(after.activities.map((x) => [x.id, x]));
    const shared = before.activities.filter((x) => byId.has(x.id));
    expect(shared.length).toBeGreaterThan(before.activities.length - 10);
    for (const x of shared) expect(byId.get(x.id)).toEqual(x);
    const fresh = await everything(moved, auth, before.cursor);
    expect(fresh.activities.length).toBeGreaterThan(0);
    expect(fresh.activities.every((x) => x.startTime > before.activities.at(-1)!.startTime)).toBe(true);
    expect((await everything(moved, auth, fresh.cursor)).activities).toEqual([]);
  });

  it("lists summaries and serves one activity with laps and, on request, streams", async () => {
    const provider = createSyntheticProvider({ now: clock.now });
    const auth = await connect(provider, "realism-user");
    const page = await provider.listActivities(auth, { cursor: null });
    expect(page.activities).toHaveLength(200);
    expect(page.activities.every((a) => a.streams === undefined && a.laps === undefined)).toBe(true);
    const streamed = history.activities.find((a) => a.streams)!;
    const read = await provider.getActivity(auth, streamed.id, { streams: true });
    expect(read.streams).toEqual(streamed.streams);
    expect(read.laps!.length).toBeGreaterThan(0);
    expect((await provider.getActivity(auth, streamed.id, { streams: false })).streams).toBeUndefined();
    await expect(provider.getActivity(auth, "1999-01-01-1", { streams: false })).rejects.toMatchObject({
      kind: "bad_response",
      status: 404,
    });
    await expect(
      provider.getActivity({ accessToken: "not-synthetic" }, streamed.id, { streams: false }),
    ).rejects.toMatchObject({ kind: "access_token_rejected" });
    expect(await provider.getAthlete(auth)).toMatchObject({
      provider: "synthetic",
      synthetic: true,
      ftpWatts: athlete.ftpWatts,
      maxHeartRate: athlete.maxHeartRate,
    });
  });
});

describe("synthetic athlete realism", () => {
  it("covers two years of runs, rides and swims, all valid and labelled synthetic", () => {
    for (const a of history.activities) activitySchema.parse(a);
    const days = new Set(history.activities.map(dayOf));
    expect(Math.max(...days) - Math.min(...days)).toBeGreaterThan(720);
    const count = (sport: string) => history.activities.filter((a) => a.sport === sport).length;
    expect(count("run")).toBeGreaterThan(150);
    expect(count("ride")).toBeGreaterThan(100);
    expect(count("swim")).toBeGreaterThan(60);
    expect([...history.activities, ...history.sleep, ...history.hrv].every((x) => x.synthetic)).toBe(true);
  });

  it("periodizes the weekly load: recovery and taper weeks are light, peak weeks heaviest", () => {
    const hours = new Map<number, { phase: string; hours: number }>();
    for (let d = lastDay - 729; d <= lastDay; d++) {
      const { phase } = weekOf(athlete, d);
      const week = Math.floor((d - 4) / 7);
      if (!hours.has(week)) hours.set(week, { phase, hours: 0 });
    }
    // Training load: the race itself is the point of race week, not part of its training.
    for (const a of history.activities)
      if (a.providerSport !== "race") hours.get(Math.floor((dayOf(a) - 4) / 7))!.hours += a.elapsedSeconds / 3600;
    const mean = (phase: string) => {
      const weeks = [...hours.values()].filter((w) => w.phase === phase).slice(1, -1);
      return weeks.reduce((s, w) => s + w.hours, 0) / weeks.length;
    };
    expect(mean("recovery")).toBeLessThan(0.75 * mean("build"));
    expect(mean("taper")).toBeLessThan(0.75 * mean("build"));
    expect(mean("peak")).toBeGreaterThan(mean("build"));
    expect(mean("race")).toBeLessThan(mean("taper"));
  });

  it("has rest days every week and races at the end of race weeks", () => {
    const active = new Set(history.activities.map(dayOf));
    let firstMonday = lastDay - 720;
    while (weekOf(athlete, firstMonday).dayOfWeek !== 0) firstMonday++;
    for (let monday = firstMonday; monday + 6 <= lastDay; monday += 7) {
      const restDays = [0, 1, 2, 3, 4, 5, 6].filter((i) => !active.has(monday + i));
      expect(restDays.length).toBeGreaterThanOrEqual(1);
    }
    const races = history.activities.filter((a) => a.providerSport === "race");
    expect(races.length).toBeGreaterThanOrEqual(5);
    for (const race of races) {
      expect(weekOf(athlete, dayOf(race))).toMatchObject({ phase: "race", dayOfWeek: 6 });
      expect(race.streams).toBeDefined();
    }
    expect(new Set(races.map((r) => r.name)).size).toBeGreaterThan(1);
  });

  it("records streams on some sessions, and every summary agrees with its streams", () => {
    const streamed = history.activities.filter((a) => a.streams);
    expect(streamed.length / history.activities.length).toBeGreaterThan(0.25);
    expect(streamed.length / history.activities.length).toBeLessThan(0.6);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    for (const a of streamed) {
      const s = a.streams!;
      const hr = s.heartRate as number[];
      expect(a.avgHeartRate).toBeCloseTo(sum(hr) / hr.length, 0);
      expect(a.maxHeartRate).toBe(Math.max(...hr));
      expect(Math.min(...hr)).toBeGreaterThanOrEqual(athlete.restingHeartRate);
      expect(a.maxHeartRate).toBeLessThanOrEqual(athlete.maxHeartRate);
      const travelled = sum((s.speedMps as number[]).slice(1)) * SAMPLE_SECONDS;
      expect(Math.abs(a.distanceMeters! - travelled)).toBeLessThan(1);
      if (s.altitudeMeters) {
        const alt = s.altitudeMeters as number[];
        const gain = sum(alt.slice(1).map((v, i) => Math.max(0, v - alt[i]!)));
        expect(a.elevationGainMeters).toBeCloseTo(gain, 0);
      }
      if (a.sport === "ride") {
        const watts = s.powerWatts as number[];
        expect(a.avgPowerWatts).toBeCloseTo(sum(watts) / watts.length, 0);
        // Normalized power recomputed the slow way: every 30 s rolling mean, to the 4th power.
        const w = 30 / SAMPLE_SECONDS;
        const rolling = watts.slice(w - 1).map((_, i) => sum(watts.slice(i, i + w)) / w);
        expect(a.normalizedPowerWatts).toBeCloseTo((sum(rolling.map((p) => p ** 4)) / rolling.length) ** 0.25, 0);
        expect(a.normalizedPowerWatts!).toBeGreaterThanOrEqual(a.avgPowerWatts!);
      } else {
        expect(s.powerWatts).toBeUndefined();
      }
      expect(sum(a.laps!.map((l) => l.distanceMeters!))).toBeCloseTo(a.distanceMeters!, -1);
    }
  });

  it("sleeps most nights with plausible stages, and HRV drops after hard days", () => {
    for (const s of history.sleep) sleepRecordSchema.parse(s);
    for (const h of history.hrv) hrvRecordSchema.parse(h);
    expect(history.sleep.length).toBeGreaterThan(680);
    expect(history.sleep.length).toBeLessThan(730);
    for (const s of history.sleep) {
      const st = s.stages!;
      expect(st.deepMinutes + st.lightMinutes + st.remMinutes).toBe(s.minutesAsleep);
      expect(s.minutesAsleep).toBeGreaterThanOrEqual(300);
      expect(Date.parse(s.endTime) - Date.parse(s.startTime)).toBe((s.minutesAsleep + s.minutesAwake!) * 60_000);
    }
    const load = new Map<number, number>();
    for (const a of history.activities) load.set(dayOf(a), (load.get(dayOf(a)) ?? 0) + a.elapsedSeconds);
    const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
    const afterHard = history.hrv
      .filter((h) => (load.get(dayNumber(h.date) - 1) ?? 0) > 2 * 3600)
      .map((h) => h.rmssdMs);
    const afterRest = history.hrv.filter((h) => !load.has(dayNumber(h.date) - 1)).map((h) => h.rmssdMs);
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(afterHard.length).toBeGreaterThan(30);
    expect(afterRest.length).toBeGreaterThan(30);
    expect(avg(afterHard)).toBeLessThan(avg(afterRest) * 0.95);
  });
});
