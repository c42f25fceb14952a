import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stravaActivity } from "../support/fakes/strava.js";
import { browse, mcpClient, startFitnessStack, type FitnessStack } from "../support/fitness-server.js";
import { createAccount, type Account } from "../support/fitness.js";
import type { TestServer } from "../support/server.js";

let stack: FitnessStack;
let second: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startFitnessStack();
  second = await stack.startInstance();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await stack.close();
});

interface Athlete {
  account: Account;
  one: Client;
  two: Client;
}

/** A new user with Strava connected through the first instance, and a client on each instance. */
async function stravaAthlete(slug: string): Promise<Athlete> {
  const account = await createAccount(stack.server.pool, slug);
  const one = await mcpClient(stack.server, account.apiKey);
  const two = await mcpClient(second, account.apiKey);
  clients.push(one, two);
  const started = await one.callTool({ name: "connect_provider", arguments: { provider: "strava" } });
  expect((await browse((started.structuredContent as { authorizationUrl: string }).authorizationUrl)).status).toBe(200);
  return { account, one, two };
}

const activitiesOf = async (client: Client, args: Record<string, unknown> = {}) => {
  const result = await client.callTool({ name: "get_activities", arguments: { provider: "strava", ...args } });
  return result.structuredContent as { activities: { externalId: string; id: string }[]; sources: { fresh: boolean; freshDataAvailableAt: string | null; note: string | null }[] };
};
const makeStale = (account: Account) =>
  stack.server.pool.query(
    `UPDATE provider_sync_state SET activities_synced_at = now() - interval '16 minutes'
     WHERE connection_id IN (SELECT id FROM provider_connections WHERE user_id = $1)`,
    [account.user.id],
  );
const expireSoon = (account: Account) =>
  stack.server.pool.query("UPDATE user_oauth_tokens SET expires_at = now() + interval '1 minute' WHERE user_id = $1", [account.user.id]);

describe("sync across instances", () => {
  it("syncs a connection once when two instances need it at the same moment, then incrementally", async () => {
    stack.strava.athlete.activities = [1, 2, 3].map((i) => stravaActivity(i));
    const { account, one, two } = await stravaAthlete("sync-lease");
    const lists = stack.strava.calls("activities.list");
    const [a, b] = await Promise.all([activitiesOf(one), activitiesOf(two)]);
    // One sync: the page with the three activities and the empty page that ends the list.
    expect(stack.strava.calls("activities.list") - lists).toBe(2);
    expect(a.activities.map((x) => x.externalId).sort()).toEqual(["10000000001", "10000000002", "10000000003"]);
    expect(b.activities).toEqual(a.activities);

    // Within the 15-minute lifetime nothing is fetched again.
    await activitiesOf(two);
    expect(stack.strava.calls("activities.list") - lists).toBe(2);

    // Past it, only what is new since the cursor is read: the stored activities are not rewritten.
    const { rows: before } = await stack.server.pool.query("SELECT external_id, fetched_at FROM fitness_activities WHERE user_id = $1 ORDER BY 1", [account.user.id]);
    stack.strava.athlete.activities.push(stravaActivity(4));
    await makeStale(account);
    const after = await activitiesOf(two);
    expect(after.activities.map((x) => x.externalId)).toContain("10000000004");
    const { rows } = await stack.server.pool.query("SELECT external_id, fetched_at FROM fitness_activities WHERE user_id = $1 AND external_id <> '10000000004' ORDER BY 1", [account.user.id]);
    expect(rows).toEqual(before);
  });

  it("answers from the cache with the time fresh data will be available when Strava says wait, on every instance", async () => {
    stack.strava.athlete.activities = [1, 2].map((i) => stravaActivity(i));
    const { account, one, two } = await stravaAthlete("sync-ratelimit");
    expect((await activitiesOf(one)).activities).toHaveLength(2);
    await makeStale(account);
    stack.strava.inject("activities.list", {
      status: 429,
      headers: { "x-ratelimit-limit": "200,2000", "x-ratelimit-usage": "201,300", "x-readratelimit-limit": "100,1000", "x-readratelimit-usage": "101,200" },
      body: { message: "Rate Limit Exceeded", errors: [{ resource: "Application", field: "rate limit", code: "exceeded" }] },
    });
    const limited = await activitiesOf(one);
    expect(limited.activities).toHaveLength(2);
    expect(limited.sources[0]).toMatchObject({ fresh: false, note: expect.stringMatching(/asked us to wait/) });
    expect(Date.parse(limited.sources[0]!.freshDataAvailableAt!)).toBeGreaterThan(Date.now());

    const calls = stack.strava.calls("activities.list");
    const elsewhere = await two.callTool({ name: "get_activities", arguments: { provider: "strava" } });
    expect(elsewhere.isError).toBeFalsy();
    expect((elsewhere.content as { text: string }[])[1]!.text).toMatch(/fresh data after/);
    expect(stack.strava.calls("activities.list")).toBe(calls);

    const logs = stack.server.logs;
    expect(logs).toContainEqual(expect.objectContaining({ event: "external_api_call", provider: "strava", endpointKind: "activities.list", status: 200, latencyMs: expect.any(Number) }));
    expect(logs).toContainEqual(expect.objectContaining({ event: "external_api_error", provider: "strava", endpointKind: "activities.list", status: 429 }));
    // Tokens never reach a log line (the fake's tokens start with sa_ and sr_).
    expect(stack.server.rawLogs.join("\n")).not.toMatch(/\bs[ar]_[0-9a-f]{32}/);
    await stack.server.pool.query("DELETE FROM provider_rate_limits");
  });
});

describe("token refresh", () => {
  it("makes exactly one refresh call when two instances refresh the same grant at once", async () => {
    stack.strava.athlete.activities = [1].map((i) => stravaActivity(i));
    const { account, one, two } = await stravaAthlete("refresh-once");
    const [activity] = (await activitiesOf(one)).activities;
    await expireSoon(account);
    const refreshes = stack.strava.calls("oauth.token");
    const [a, b] = await Promise.all(
      [one, two].map((client) => client.callTool({ name: "get_activity", arguments: { activityId: activity!.id } })),
    );
    expect(a!.isError).toBeFalsy();
    expect(b!.isError).toBeFalsy();
    expect(stack.strava.calls("oauth.token") - refreshes).toBe(1);
    const refreshEvents = [...stack.server.logs, ...second.logs].filter((line) => line.event === "provider_token_refresh");
    expect(refreshEvents).toEqual([expect.objectContaining({ provider: "strava", outcome: "refreshed", tenantBucket: expect.stringMatching(/^t\d\d$/) })]);
    const { rows } = await stack.server.pool.query("SELECT expires_at FROM user_oauth_tokens WHERE user_id = $1", [account.user.id]);
    expect(rows[0].expires_at.getTime()).toBeGreaterThan(Date.now() + 3600_000);
  });

  it("marks a revoked grant reauthorization_required and says so plainly", async () => {
    stack.strava.athlete.activities = [1].map((i) => stravaActivity(i));
    const { account, one } = await stravaAthlete("refresh-revoked");
    await activitiesOf(one);
    await expireSoon(account);
    await makeStale(account);
    stack.strava.inject("oauth.token", { status: 400, body: { message: "Bad Request", errors: [{ resource: "RefreshToken", field: "refresh_token", code: "invalid" }] } });
    const result = await one.callTool({ name: "get_activities", arguments: { provider: "strava" } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toBe(
      'Strava must be reconnected: the authorization was revoked or has expired. Call connect_provider with provider "strava".',
    );
    expect(stack.server.logs.filter((line) => line.event === "provider_token_refresh").at(-1)).toMatchObject({ provider: "strava", outcome: "revoked" });
    const status = await one.callTool({ name: "get_connection_status", arguments: { provider: "strava" } });
    expect(status.structuredContent).toMatchObject({ connections: [{ status: "reauthorization_required", note: expect.stringMatching(/connect_provider/) }] });

    // Reconnecting brings it back.
    const again = await one.callTool({ name: "connect_provider", arguments: { provider: "strava" } });
    expect((await browse((again.structuredContent as { authorizationUrl: string }).authorizationUrl)).status).toBe(200);
    expect((await one.callTool({ name: "get_activities", arguments: { provider: "strava" } })).isError).toBeFalsy();
  });
});
