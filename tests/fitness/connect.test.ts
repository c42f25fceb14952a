import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browse, mcpClient, startFitnessStack, type FitnessStack } from "../support/fitness-server.js";
import { createAccount, type Account } from "../support/fitness.js";

let stack: FitnessStack;
let ann: Account;
let client: Client;

beforeAll(async () => {
  stack = await startFitnessStack();
  ann = await createAccount(stack.server.pool, "connect-ann");
  client = await mcpClient(stack.server, ann.apiKey);
});
afterAll(async () => {
  await client.close();
  await stack.close();
});

async function authorizationUrl(provider: string): Promise<string> {
  const result = await client.callTool({ name: "connect_provider", arguments: { provider } });
  expect(result.structuredContent).toMatchObject({ provider, status: "authorization_required", expiresInSeconds: 600 });
  return (result.structuredContent as { authorizationUrl: string }).authorizationUrl;
}

/** Where the provider's consent screen sends the browser back to (our callback), without following it. */
async function providerRedirect(provider: string): Promise<string> {
  const response = await fetch(await authorizationUrl(provider), { redirect: "manual" });
  expect(response.status).toBe(302);
  const location = response.headers.get("location")!;
  expect(location.startsWith(`${stack.server.config.publicBaseUrl}/api/oauth/callback/${provider}?`)).toBe(true);
  return location;
}

const connectionOf = async (provider: string) =>
  (await stack.server.pool.query("SELECT status, scopes FROM provider_connections WHERE user_id = $1 AND provider = $2", [ann.user.id, provider])).rows[0];

describe("connect flow driven like a browser", () => {
  it.each(["strava", "fitbit", "garmin"])("connects %s through the provider's consent screen and the callback", async (provider) => {
    const page = await browse(await authorizationUrl(provider));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/connected/);
    expect(await connectionOf(provider)).toMatchObject({ status: "connected" });
    const { rows } = await stack.server.pool.query(
      "SELECT t.expires_at FROM user_oauth_tokens t JOIN provider_connections c ON c.id = t.connection_id WHERE c.user_id = $1 AND c.provider = $2",
      [ann.user.id, provider],
    );
    expect(rows).toHaveLength(1);
    const status = await client.callTool({ name: "get_connection_status", arguments: { provider } });
    expect(status.structuredContent).toMatchObject({ connections: [{ provider, status: "connected", available: true }] });
  });

  it("refuses a replayed callback: the state is single use and the code is not exchanged again", async () => {
    const callback = await providerRedirect("strava");
    expect((await fetch(callback)).status).toBe(200);
    const exchanges = stack.strava.calls("oauth.token");
    const replay = await fetch(callback);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toMatch(/already used or is older than 10 minutes/);
    expect(stack.strava.calls("oauth.token")).toBe(exchanges);
  });

  it("refuses an expired state, and a state issued for another provider", async () => {
    const callback = await providerRedirect("strava");
    await stack.server.pool.query("UPDATE provider_oauth_states SET expires_at = now() - interval '1 second' WHERE user_id = $1", [ann.user.id]);
    const exchanges = stack.strava.calls("oauth.token");
    const expired = await fetch(callback);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toMatch(/expired/);

    const stravaCallback = new URL(await providerRedirect("strava"));
    const crossed = await fetch(`${stack.server.url}/api/oauth/callback/garmin${stravaCallback.search}`);
    expect(crossed.status).toBe(400);
    expect(stack.strava.calls("oauth.token")).toBe(exchanges);
  });

  it("shows denied consent and a failed exchange as plain result pages", async () => {
    stack.strava.consent = { approve: false };
    const denied = await browse(await authorizationUrl("strava"));
    expect(denied.status).toBe(400);
    expect(await denied.text()).toMatch(/You declined access/);
    stack.strava.consent = { approve: true, scope: "read,activity:read_all,profile:read_all" };

    const callback = await providerRedirect("strava");
    stack.strava.inject("oauth.token", { status: 503, body: { message: "down" } });
    const failed = await fetch(callback);
    expect(failed.status).toBe(502);
    expect(await failed.text()).toMatch(/Exchanging the authorization with Strava failed/);
  });

  it("answers unknown providers and a callback without state without touching any provider", async () => {
    expect((await fetch(`${stack.server.url}/api/oauth/callback/myspace?code=x&state=y`)).status).toBe(404);
    const noState = await fetch(`${stack.server.url}/api/oauth/callback/strava?code=x&state=a&state=b`);
    expect(noState.status).toBe(400);
  });

  it("redirects a caller with credentials from /api/providers/{provider}/connect to the provider", async () => {
    expect((await fetch(`${stack.server.url}/api/providers/garmin/connect`, { redirect: "manual" })).status).toBe(401);
    const response = await fetch(`${stack.server.url}/api/providers/garmin/connect`, { redirect: "manual", headers: { "X-API-Key": ann.apiKey } });
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    expect(location.startsWith(`${stack.garmin.origin}/`)).toBe(true);
    expect((await browse(location)).status).toBe(200);
    expect(await connectionOf("garmin")).toMatchObject({ status: "connected" });
  });

  it("connects the synthetic athlete server-side, with no browser", async () => {
    const result = await client.callTool({ name: "connect_provider", arguments: { provider: "synthetic" } });
    expect(result.structuredContent).toEqual({ provider: "synthetic", status: "connected", authorizationUrl: null, expiresInSeconds: null });
    expect(await connectionOf("synthetic")).toMatchObject({ status: "connected", scopes: ["synthetic"] });
  });

  it("tells the model what is wrong with a bad provider", async () => {
    const result = await client.callTool({ name: "connect_provider", arguments: { provider: "myspace" } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toMatch(/Invalid arguments for connect_provider/);
  });

  it("disconnects: revokes at the provider, deletes the tokens and the connection", async () => {
    const deauthorizations = stack.strava.calls("oauth.deauthorize");
    const result = await client.callTool({ name: "disconnect_provider", arguments: { provider: "strava" } });
    expect(result.structuredContent).toEqual({ provider: "strava", disconnected: true, revokedAtProvider: true });
    expect(stack.strava.calls("oauth.deauthorize") - deauthorizations).toBe(1);
    expect(await connectionOf("strava")).toBeUndefined();
    const { rows } = await stack.server.pool.query("SELECT count(*)::int AS n FROM user_oauth_tokens WHERE user_id = $1 AND provider = 'strava'", [ann.user.id]);
    expect(rows[0].n).toBe(0);
    // Both ends of the connection are in the audit trail.
    const { rows: audit } = await stack.server.pool.query(
      "SELECT event_type, target, details FROM audit_events WHERE actor_user_id = $1 AND target = 'strava' ORDER BY id DESC LIMIT 2",
      [ann.user.id],
    );
    expect(audit).toEqual([
      { event_type: "provider.disconnected", target: "strava", details: { revokedAtProvider: true } },
      { event_type: "provider.connected", target: "strava", details: { scopes: ["read", "activity:read_all", "profile:read_all"] } },
    ]);
  });
});
