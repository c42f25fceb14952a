// Two instances on one database, as two Cloud Run instances are. Each caches the credentials it verified;
// every change that ends a credential (or changes what it authenticates as) must show on the very next
// request, on both, without waiting for the cache to expire.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../../service/identity/api-keys.js";
import { closeWithoutErrors, createMember, exchangeCode, authorizationCode, postForm, readJson, registerPublicClient, type TokenBody } from "../support/oauth.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createAccount, postMcp, toolCall } from "../support/mcp.js";

let first: TestServer;
let second: TestServer;

beforeAll(async () => {
  first = await startTestServer();
  // Same database, master key and public URL (the tokens' issuer and audience): another instance.
  second = await startTestServer({
    DATABASE_URL: first.config.database.url!,
    TOKEN_ENCRYPTION_KEY: first.config.encryptionMasterKey!.toString("base64"),
    PUBLIC_BASE_URL: first.config.publicBaseUrl,
  });
});
afterAll(async () => {
  await closeWithoutErrors(second);
  await closeWithoutErrors(first);
});

const instances = () => [first, second];

/** Calls whoami on both instances with these headers; returns the two statuses. */
async function whoamiEverywhere(headers: Record<string, string>): Promise<number[]> {
  return Promise.all(instances().map(async (server) => (await postMcp(server.url, toolCall("whoami"), headers)).status));
}

/** whoami's structuredContent from each instance, one after the other. */
async function whoamiResults(headers: Record<string, string>): Promise<Record<string, unknown>[]> {
  const results = [];
  for (const server of instances()) {
    const body = (await (await postMcp(server.url, toolCall("whoami"), headers)).json()) as { result: { structuredContent: Record<string, unknown> } };
    results.push(body.result.structuredContent);
  }
  return results;
}

describe("credentials cached by two instances", () => {
  it("stop at once on both when an API key is revoked through one of them", async () => {
    const account = await createAccount(first.pool, "cached-key");
    const headers = { "x-api-key": account.apiKey };
    expect(await whoamiEverywhere(headers)).toEqual([200, 200]);
    expect(await whoamiEverywhere(headers)).toEqual([200, 200]);

    expect(await revokeApiKey(first.pool, account.tenant.id, account.apiKeyPrefix)).toBe(true);
    expect(await whoamiEverywhere(headers)).toEqual([401, 401]);
  });

  it("are served from the cache, and only the credential epoch's trigger makes a revocation visible", async () => {
    const account = await createAccount(first.pool, "cached-proof");
    const headers = { "x-api-key": account.apiKey };
    expect(await whoamiEverywhere(headers)).toEqual([200, 200]);

    // Revoking behind the epoch's back: the cached verifications still stand, which shows they are used...
    await first.pool.query("ALTER TABLE api_keys DISABLE TRIGGER api_keys_credential_epoch");
    try {
      expect(await revokeApiKey(first.pool, account.tenant.id, account.apiKeyPrefix)).toBe(true);
      expect(await whoamiEverywhere(headers)).toEqual([200, 200]);
    } finally {
      await first.pool.query("ALTER TABLE api_keys ENABLE TRIGGER api_keys_credential_epoch");
    }
    // ...and any bump of the epoch (here an unrelated revocation) sends them back to the database.
    const other = await createAccount(first.pool, "cached-other");
    expect(await revokeApiKey(first.pool, other.tenant.id, other.apiKeyPrefix)).toBe(true);
    expect(await whoamiEverywhere(headers)).toEqual([401, 401]);
  });

  it("stop at once when the user is disabled or leaves the tenant", async () => {
    const disabled = await createAccount(first.pool, "cached-disabled");
    const leaving = await createAccount(first.pool, "cached-leaving");
    for (const account of [disabled, leaving]) expect(await whoamiEverywhere({ "x-api-key": account.apiKey })).toEqual([200, 200]);

    await first.pool.query("UPDATE users SET disabled_at = now() WHERE id = $1", [disabled.user.id]);
    await first.pool.query("DELETE FROM tenant_memberships WHERE user_id = $1", [leaving.user.id]);
    for (const account of [disabled, leaving]) expect(await whoamiEverywhere({ "x-api-key": account.apiKey })).toEqual([401, 401]);
  });

  it("show a tenant's new tier and limits on the next call", async () => {
    const account = await createAccount(first.pool, "cached-upgrade");
    const headers = { "x-api-key": account.apiKey };
    expect(await whoamiEverywhere(headers)).toEqual([200, 200]);

    await first.pool.query("UPDATE tenants SET tier = 'enterprise' WHERE id = $1", [account.tenant.id]);
    for (const result of await whoamiResults(headers)) expect(result.tenant).toMatchObject({ tier: "enterprise" });
  });

  it("show the account's new email, display name and role on the next call", async () => {
    const account = await createAccount(first.pool, "cached-renamed");
    const headers = { "x-api-key": account.apiKey };
    expect(await whoamiEverywhere(headers)).toEqual([200, 200]);

    await first.pool.query("UPDATE users SET email = 'renamed@example.com', display_name = 'Renamed' WHERE id = $1", [account.user.id]);
    await first.pool.query("UPDATE tenant_memberships SET role = 'admin' WHERE user_id = $1", [account.user.id]);
    for (const result of await whoamiResults(headers)) {
      expect(result).toMatchObject({ email: "renamed@example.com", displayName: "Renamed", role: "admin" });
    }
  });

  it("do not outlive the API key's expiry", async () => {
    const account = await createAccount(first.pool, "cached-expiring");
    const expiresAt = new Date(Date.now() + 1_500);
    const { key } = await createApiKey(first.pool, { tenantId: account.tenant.id, userId: account.user.id, name: "short", expiresAt });
    expect(await whoamiEverywhere({ "x-api-key": key })).toEqual([200, 200]);
    await sleep(expiresAt.getTime() - Date.now() + 50);
    expect(await whoamiEverywhere({ "x-api-key": key })).toEqual([401, 401]);
  });

  it("stop at once on both when an access token, then its whole grant, is revoked through one of them", async () => {
    await createMember(first, "cached-oauth@example.com");
    const client = await registerPublicClient(first);
    const issue = async () => {
      const { code, verifier } = await authorizationCode(first, client, "cached-oauth@example.com");
      return readJson<TokenBody>(await exchangeCode(first, client, code, verifier));
    };

    const single = await issue();
    expect(await whoamiEverywhere({ authorization: `Bearer ${single.access_token}` })).toEqual([200, 200]);
    expect((await postForm(`${first.url}/oauth2/revoke`, { token: single.access_token, client_id: client.client_id })).status).toBe(200);
    expect(await whoamiEverywhere({ authorization: `Bearer ${single.access_token}` })).toEqual([401, 401]);

    const grant = await issue();
    expect(await whoamiEverywhere({ authorization: `Bearer ${grant.access_token}` })).toEqual([200, 200]);
    // X-API-Key carries API keys only: the same token, cached on both instances, is refused there.
    expect(await whoamiEverywhere({ "x-api-key": grant.access_token })).toEqual([401, 401]);
    expect((await postForm(`${first.url}/oauth2/revoke`, { token: grant.refresh_token, client_id: client.client_id })).status).toBe(200);
    expect(await whoamiEverywhere({ authorization: `Bearer ${grant.access_token}` })).toEqual([401, 401]);
  });
});
