import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../service/identity/api-keys.js";
import { addMembership, createUser } from "../../service/identity/users.js";
import { callError, callOk, createAccount, type Account } from "../support/mcp.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { seedSyntheticHistory, type SeededHistory } from "../support/synthetic-history.js";

let server: TestServer;
let owner: Account;
let memberKey: string;
let other: Account;
let history: SeededHistory;

interface Threshold {
  value: number | null;
  source: string;
  method: string | null;
}
interface ConfigAnswer {
  effective: Record<string, unknown>;
  thresholds: Record<string, Threshold>;
  estimated: string[];
  missing: string[];
  tenantDefault: { values: Record<string, unknown> } | null;
  userOverride: { values: Record<string, unknown> } | null;
}

function bestTwentyMinutePower({ activities }: SeededHistory): number {
  const since = new Date(Date.now() - 60 * 86_400_000).toISOString();
  let best = 0;
  for (const { streams, startTime } of activities) {
    const watts = streams?.powerWatts;
    if (!watts || startTime < since) continue;
    for (let i = 0; i + 240 <= watts.length; i++) {
      let sum = 0;
      for (let j = i; j < i + 240; j++) sum += watts[j] ?? 0;
      best = Math.max(best, sum / 240);
    }
  }
  return best;
}

/** The best normalized (else average) power of a ride of 20 minutes or more in the last 90 days. */
function bestLongRidePower({ activities }: SeededHistory): number {
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString();
  let best = 0;
  for (const activity of activities) {
    if (activity.sport !== "ride" || activity.startTime < since) continue;
    const seconds = activity.movingSeconds && activity.movingSeconds > 0 ? activity.movingSeconds : activity.elapsedSeconds;
    if (seconds >= 1200) best = Math.max(best, activity.normalizedPowerWatts ?? activity.avgPowerWatts ?? 0);
  }
  return best;
}

beforeAll(async () => {
  server = await startTestServer();
  owner = await createAccount(server.pool, "cfg-owner", { tenantTier: "pro" });
  other = await createAccount(server.pool, "cfg-other");
  const member = await createUser(server.pool, { email: "cfg-member@example.com", password: "correct horse battery" }, 4);
  await addMembership(server.pool, { tenantId: owner.tenant.id, userId: member.id, role: "member" });
  memberKey = (await createApiKey(server.pool, { tenantId: owner.tenant.id, userId: member.id, name: "member key" })).key;
  history = await seedSyntheticHistory(server.pool, { tenantId: owner.tenant.id, userId: owner.user.id }, { days: 100, streamDays: 60 });
});
afterAll(() => server.close());

describe("fitness configuration tools", () => {
  it("estimates every threshold from the activities when nothing is configured, and says how", async () => {
    const answer = await callOk<ConfigAnswer>(server.url, owner.apiKey, "get_fitness_config");
    expect(answer.tenantDefault).toBeNull();
    expect(answer.userOverride).toBeNull();
    expect(answer.effective).toEqual({});
    expect(answer.thresholds.ftp).toMatchObject({ source: "estimated", method: expect.stringMatching(/^95% of best /) });
    // Recomputed from the seeded data: 95% of the larger lower bound, the best mean over 240 consecutive
    // 5-s stream samples or the best long ride's normalized power.
    const lowerBound = Math.max(bestTwentyMinutePower(history), bestLongRidePower(history));
    expect(answer.thresholds.ftp.value! / (0.95 * lowerBound)).toBeCloseTo(1, 2);
    expect(answer.thresholds.maxHr.value).toBeLessThanOrEqual(history.physiology.maxHeartRate + 1);
    expect(answer.estimated).toEqual(expect.arrayContaining(["ftp", "lthr", "maxHr", "restingHr", "thresholdPaceSecPerKm"]));
    expect(answer.missing).toEqual([]);
  });

  it("merges the tenant default under the user's override; null clears a field; deleting falls back", async () => {
    await callOk(server.url, owner.apiKey, "set_fitness_config", { scope: "tenant", values: { ftp: 240, weightKg: 70 } });
    await callOk(server.url, memberKey, "set_fitness_config", { values: { ftp: 265, age: 35 } });
    let member = await callOk<ConfigAnswer>(server.url, memberKey, "get_fitness_config");
    expect(member.effective).toEqual({ ftp: 265, weightKg: 70, age: 35 });
    expect(member.thresholds.ftp).toEqual({ value: 265, source: "configured", method: null });
    // The member has no activities: max HR comes from age (Tanaka), LTHR from it, pace is missing.
    expect(member.thresholds.maxHr).toMatchObject({ value: 208 - 0.7 * 35, source: "estimated" });
    expect(member.missing).toEqual(["thresholdPaceSecPerKm"]);

    await callOk(server.url, memberKey, "set_fitness_config", { values: { age: null, restingHr: 48 } });
    member = await callOk<ConfigAnswer>(server.url, memberKey, "get_fitness_config");
    expect(member.userOverride?.values).toEqual({ ftp: 265, restingHr: 48 });

    expect(await callOk(server.url, memberKey, "delete_fitness_config")).toEqual({ deleted: true });
    expect(await callOk(server.url, memberKey, "delete_fitness_config")).toEqual({ deleted: false });
    member = await callOk<ConfigAnswer>(server.url, memberKey, "get_fitness_config");
    expect(member.effective).toEqual({ ftp: 240, weightKg: 70 });

    const { configurations } = await callOk<{ configurations: { scope: string }[] }>(server.url, owner.apiKey, "list_fitness_configs");
    expect(configurations.map((c) => c.scope)).toEqual(["tenant"]);
  });

  it("keeps tenants apart and tenant defaults to owners and admins", async () => {
    const { configurations } = await callOk<{ configurations: unknown[] }>(server.url, other.apiKey, "list_fitness_configs");
    expect(configurations).toEqual([]);
    expect(await callError(server.url, memberKey, "set_fitness_config", { scope: "tenant", values: { ftp: 1 } })).toMatch(/owner or admin/);
    expect(await callError(server.url, memberKey, "delete_fitness_config", { scope: "tenant" })).toMatch(/owner or admin/);
  });

  it("refuses impossible values and unknown fields with a message naming them", async () => {
    expect(await callError(server.url, owner.apiKey, "set_fitness_config", { values: { ftp: -5 } })).toMatch(/values\.ftp/);
    expect(await callError(server.url, owner.apiKey, "set_fitness_config", { values: { vo2max: 60 } })).toMatch(/vo2max/);
    expect(await callError(server.url, owner.apiKey, "set_fitness_config", { values: {} })).toMatch(/at least one field/);
    expect(await callError(server.url, owner.apiKey, "set_fitness_config", { values: { sex: "x" } })).toMatch(/sex/);
  });
});
