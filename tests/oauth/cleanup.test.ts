// Expired OAuth state is deleted, live state is kept. The rows come from the real flow over HTTP, then
// are aged in the database (as time would) before deleteExpiredOAuthState runs.
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../service/logging/index.js";
import { composeService } from "../../service/composition.js";
import { createOAuth } from "../../service/oauth/index.js";
import { deleteExpiredOAuthState } from "../../service/oauth/cleanup.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { authorizationCode, closeWithoutErrors, createMember, exchangeCode, postForm, readJson, registerPublicClient, type TokenBody } from "../support/oauth.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => closeWithoutErrors(server));

const count = async (table: string) => Number((await server.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
const epoch = async () => (await server.pool.query("SELECT value::text FROM credential_epoch")).rows[0].value as string;

/** A grant from the real flow: its family id and tokens. */
async function grant(email: string) {
  await createMember(server, email);
  const client = await registerPublicClient(server);
  const { code, verifier } = await authorizationCode(server, client, email);
  const tokens = await readJson<TokenBody>(await exchangeCode(server, client, code, verifier));
  const { rows } = await server.pool.query("SELECT family_id FROM oauth2_auth_codes ORDER BY created_at DESC LIMIT 1");
  return { client, tokens, familyId: rows[0].family_id as string };
}

describe("deleteExpiredOAuthState", () => {
  it("deletes only what nothing can use any more, and bumps the credential epoch only when a family goes", async () => {
    const live = await grant("cleanup-live@example.com");
    const expired = await grant("cleanup-expired@example.com");
    const revoked = await grant("cleanup-revoked@example.com");
    expect((await postForm(`${server.url}/oauth2/revoke`, { token: revoked.tokens.access_token, client_id: revoked.client.client_id })).status).toBe(200);
    const before = { families: await count("oauth2_token_families"), revokedTokens: await count("oauth2_revoked_access_tokens") };

    // Nothing is due yet: nothing is deleted, and the epoch stays.
    const epochBefore = await epoch();
    expect(await deleteExpiredOAuthState(server.pool, 100)).toEqual({
      authorizationRequests: 0, authorizationCodes: 0, refreshTokens: 0, tokenFamilies: 0, revokedAccessTokens: 0, signInFailures: 0,
    });
    expect(await epoch()).toBe(epochBefore);

    // Age the "expired" grant past every lifetime, and the revoked token past its own expiry.
    await server.pool.query(
      "UPDATE oauth2_token_families SET created_at = now() - interval '31 days' WHERE id = $1", [expired.familyId]);
    await server.pool.query(
      "UPDATE oauth2_refresh_tokens SET expires_at = now() - interval '2 hours' WHERE family_id = $1", [expired.familyId]);
    await server.pool.query("UPDATE oauth2_auth_codes SET expires_at = now() - interval '2 days' WHERE family_id = $1", [expired.familyId]);
    await server.pool.query("UPDATE oauth2_revoked_access_tokens SET expires_at = now() - interval '1 minute'");
    await server.pool.query("UPDATE oauth2_authorization_requests SET expires_at = now() - interval '1 minute'");

    const result = await deleteExpiredOAuthState(server.pool, 100);
    expect(result).toMatchObject({ tokenFamilies: 1, revokedAccessTokens: before.revokedTokens });
    expect(result.authorizationRequests).toBeGreaterThan(0);
    expect(await epoch()).not.toBe(epochBefore);
    expect(await count("oauth2_token_families")).toBe(before.families - 1);
    expect(await count("oauth2_revoked_access_tokens")).toBe(0);
    expect(await count("oauth2_authorization_requests")).toBe(0);
    const families = (await server.pool.query("SELECT id FROM oauth2_token_families")).rows.map((row) => row.id);
    expect(families).toEqual(expect.arrayContaining([live.familyId, revoked.familyId]));
    expect(families).not.toContain(expired.familyId);
    // The expired family took its refresh tokens and codes with it; the live grant still refreshes.
    expect(Number((await server.pool.query("SELECT count(*) FROM oauth2_refresh_tokens WHERE family_id = $1", [expired.familyId])).rows[0].count)).toBe(0);
    const refreshed = await postForm(`${server.url}/oauth2/token`, { grant_type: "refresh_token", refresh_token: live.tokens.refresh_token!, client_id: live.client.client_id });
    expect(refreshed.status).toBe(200);
  });

  it("deletes a revoked family a day after its revocation, and stops at the batch size", async () => {
    const first = await grant("cleanup-old-revoked-1@example.com");
    const second = await grant("cleanup-old-revoked-2@example.com");
    await server.pool.query(
      "UPDATE oauth2_token_families SET revoked_at = now() - interval '25 hours', revoked_reason = 'client_revocation' WHERE id = ANY($1::uuid[])",
      [[first.familyId, second.familyId]],
    );
    expect(await deleteExpiredOAuthState(server.pool, 1)).toMatchObject({ tokenFamilies: 1 });
    expect(await deleteExpiredOAuthState(server.pool, 1)).toMatchObject({ tokenFamilies: 1 });
    const left = await server.pool.query("SELECT id FROM oauth2_token_families WHERE id = ANY($1::uuid[])", [[first.familyId, second.familyId]]);
    expect(left.rows).toEqual([]);
  });
});

describe("the OAuth routes", () => {
  it("run the clean-up when it is due", async () => {
    await grant("cleanup-routes@example.com");
    await server.pool.query("UPDATE oauth2_authorization_requests SET expires_at = now() - interval '1 minute'");
    expect(await count("oauth2_authorization_requests")).toBeGreaterThan(0);

    const app = express();
    const graph = composeService(server.config, createLogger({ level: "crit" }), { pool: server.pool, counterPool: server.pool });
    app.use(createOAuth({ ...graph, cleanupIntervalMs: 0 }).router);
    const listener = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => listener.once("listening", resolve));
    try {
      // A refused token request (no client) still passes the route that triggers the clean-up.
      const response = await postForm(`http://127.0.0.1:${(listener.address() as AddressInfo).port}/oauth2/token`, { grant_type: "password" });
      expect(response.status).toBe(401);
      await expect.poll(() => count("oauth2_authorization_requests")).toBe(0);
    } finally {
      listener.close();
    }
  });
});
