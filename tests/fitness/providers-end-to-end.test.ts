import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { garminActivityDetail, garminHrv, garminSleep } from "../support/fakes/garmin.js";
import { googleExercise, googleHrv, googleSleep } from "../support/fakes/google-health.js";
import { browse, mcpClient, startFitnessStack, type FitnessStack } from "../support/fitness-server.js";
import { createAccount } from "../support/fitness.js";

const DAY = 86_400;
let stack: FitnessStack;
let client: Client;

beforeAll(async () => {
  stack = await startFitnessStack();
  const account = await createAccount(stack.server.pool, "providers-e2e");
  client = await mcpClient(stack.server, account.apiKey);
});
afterAll(async () => {
  await client.close();
  await stack.close();
});

const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const isoDate = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

async function connect(provider: string) {
  const started = await call("connect_provider", { provider });
  expect((await browse((started.structuredContent as { authorizationUrl: string }).authorizationUrl)).status).toBe(200);
}

describe("the same flow against each provider's fake", () => {
  it("Fitbit through the Google Health API: activities, sleep and HRV", async () => {
    stack.google.points.exercise = [googleExercise(300), googleExercise(310, "BIKING")];
    stack.google.points.sleep = [googleSleep("2026-11-20")];
    stack.google.points["daily-heart-rate-variability"] = [googleHrv("2026-11-20", 58.5)];
    await connect("fitbit");
    const activities = await call("get_activities", { provider: "fitbit" });
    expect((activities.structuredContent as { activities: { sport: string; provider: string }[] }).activities.map((a) => [a.provider, a.sport])).toEqual([
      ["fitbit", "ride"],
      ["fitbit", "run"],
    ]);
    const sleep = await call("get_sleep", { provider: "fitbit", from: "2026-11-01", to: "2026-11-30" });
    expect((sleep.structuredContent as { nights: unknown[] }).nights).toEqual([expect.objectContaining({ provider: "fitbit", date: "2026-11-20", hrvRmssdMs: 58.5 })]);
  });

  it("Garmin: activities, sleep and HRV from its upload windows", async () => {
    const now = Math.floor(stack.clock.now() / 1000);
    stack.garmin.uploads.activityDetails = [{ uploadedAt: now - 3 * DAY, summary: garminActivityDetail(now - 3 * DAY - 4000, 1) }];
    const night = isoDate(now - DAY);
    stack.garmin.uploads.sleeps = [{ uploadedAt: now - DAY, summary: garminSleep(night, now - DAY - 30_000) }];
    stack.garmin.uploads.hrv = [{ uploadedAt: now - DAY, summary: garminHrv(night, 48) }];
    await connect("garmin");
    const activities = await call("get_activities", { provider: "garmin" });
    expect((activities.structuredContent as { activities: { provider: string }[] }).activities).toEqual([expect.objectContaining({ provider: "garmin", sport: "ride" })]);
    const sleep = await call("get_sleep", { provider: "garmin", from: isoDate(now - 7 * DAY), to: isoDate(now) });
    expect((sleep.structuredContent as { nights: unknown[] }).nights).toEqual([expect.objectContaining({ provider: "garmin", date: night, minutesAsleep: 435, hrvRmssdMs: 48 })]);

    // Garmin has no activity-by-id read, but its list carries samples and laps: the sync stored them.
    const id = (activities.structuredContent as { activities: { id: string }[] }).activities[0]!.id;
    const reads = stack.garmin.calls("activityDetails.pull");
    const detail = await call("get_activity", { activityId: id, streams: true });
    expect(detail.structuredContent).toMatchObject({ note: null, laps: [expect.anything(), expect.anything()], streamSummary: { samples: 240 } });
    expect((detail.structuredContent as { streams: { timeSeconds: number[] } }).streams.timeSeconds).toHaveLength(240);
    expect(stack.garmin.calls("activityDetails.pull")).toBe(reads);
  });
});
