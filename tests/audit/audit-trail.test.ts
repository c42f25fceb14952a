// The audit trail: every audit_events row the service or the admin CLI writes is also a security_event
// log line (type, tenant bucket, target), neither holds a secret, and `admin audit` reads the trail back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantBucket } from "../../service/logging/events.js";
import { authorizationCode, authorizationUrl, createMember, exchangeCode, pkcePair, postForm, readJson, registerPublicClient, signIn, type TokenBody } from "../support/oauth.js";
import { runScript } from "../support/process.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let tokens: TokenBody;
let clientId: string;
let tenantId: string;

beforeAll(async () => {
  server = await startTestServer();
  const member = await createMember(server, "audited@example.com", ["audited"]);
  tenantId = member.tenantIds[0];
  const client = await registerPublicClient(server);
  clientId = client.client_id;
  // A failed sign-in, then the grant.
  const { challenge } = pkcePair();
  const url = authorizationUrl(server, { client_id: clientId, redirect_uri: client.redirect_uris[0], code_challenge: challenge, state: "s" });
  expect((await signIn(url, { email: "audited@example.com", password: "not the password" })).status).toBe(401);
  const { code, verifier } = await authorizationCode(server, client, "audited@example.com");
  tokens = await readJson<TokenBody>(await exchangeCode(server, client, code, verifier));
  expect((await postForm(`${server.url}/oauth2/revoke`, { token: tokens.refresh_token!, client_id: clientId })).status).toBe(200);
});

afterAll(() => server?.close());

describe("audit trail of the service", () => {
  it("logs every audit_events row as a security_event with the same type and target, tenants as buckets", async () => {
    const { rows } = await server.pool.query<{ type: string; target: string; tenantId: string | null }>(
      `SELECT event_type AS type, target, tenant_id AS "tenantId" FROM audit_events WHERE event_type <> 'oauth.signing_key_rotated' ORDER BY id`,
    );
    expect(rows.map((row) => row.type)).toEqual(["oauth.client_registered", "oauth.login_failed", "oauth.login_succeeded", "oauth.token_family_revoked"]);
    const logged = server.logs.filter((line) => line.event === "security_event" && line.type !== "oauth.signing_key_rotated");
    expect(logged.map(({ type, target, tenantBucket: bucket }) => ({ type, target, bucket }))).toEqual(
      rows.map((row) => ({ type: row.type, target: row.target, bucket: row.tenantId ? tenantBucket(row.tenantId) : "none" })),
    );
    expect(logged.every((line) => line.severity === "NOTICE")).toBe(true);
  });

  it("logs the failed sign-in as an auth failure too, and no line holds a token, a password or a tenant id", () => {
    expect(server.logs.filter((line) => line.event === "auth_failure")).toEqual([
      expect.objectContaining({ surface: "oauth_sign_in", reason: "bad_password", clientId, attempts: 1 }),
    ]);
    const text = server.rawLogs.join("\n");
    for (const secret of [tokens.access_token, tokens.refresh_token!, "not the password", tenantId]) expect(text).not.toContain(secret);
  });
});

describe("audit trail of the admin CLI", () => {
  const admin = (...args: string[]) => runScript("service/entry/admin.ts", args, { DATABASE_URL: server.config.database.url!, PASSWORD_HASH_COST: "4" });

  it("records API key creation and revocation and every changing command, and reads them back with admin audit", async () => {
    const created = await admin("create-api-key", "--email", "audited@example.com", "--tenant", "audited", "--name", "ci");
    expect(created.code).toBe(0);
    const { apiKey, prefix } = JSON.parse(created.stdout);
    expect((await admin("revoke-api-key", "--tenant", "audited", "--prefix", prefix)).code).toBe(0);
    expect((await admin("list-api-keys", "--tenant", "audited")).code).toBe(0);

    const keys = await admin("audit", "--tenant", "audited", "--type", "api_key.");
    expect(keys.code).toBe(0);
    expect(JSON.parse(keys.stdout)).toEqual([
      expect.objectContaining({ type: "api_key.revoked", tenant: "audited", target: prefix }),
      expect.objectContaining({ type: "api_key.created", tenant: "audited", actor: "audited@example.com", target: prefix, details: { name: "ci" } }),
    ]);
    const commands = JSON.parse((await admin("audit", "--type", "admin.command", "--since", "1h")).stdout);
    // Read-only commands (list-api-keys, audit) are not recorded.
    expect(commands.map((row: { target: string }) => row.target)).toEqual(["revoke-api-key", "create-api-key"]);
    expect(commands[1].details).toMatchObject({ email: "audited@example.com", tenant: "audited", name: "ci", operator: expect.stringContaining("@") });

    // The CLI's security_event lines go to stderr (stdout is the result), without the key.
    const events = created.stderr.split("\n").filter(Boolean).map((line) => JSON.parse(line));
    expect(events.map((line) => [line.event, line.type, line.target])).toEqual([
      ["security_event", "api_key.created", prefix],
      ["security_event", "admin.command", "create-api-key"],
    ]);
    expect(created.stderr + JSON.stringify(commands)).not.toContain(apiKey);
  });

  it("reads the trail by type, by type family and by time, and refuses what it cannot read", async () => {
    // Newest first; the first signing key was made when the first token was issued.
    const oauth = JSON.parse((await admin("audit", "--type", "oauth.", "--limit", "3")).stdout);
    expect(oauth.map((row: { type: string }) => row.type)).toEqual(["oauth.token_family_revoked", "oauth.signing_key_rotated", "oauth.login_succeeded"]);
    expect(JSON.parse((await admin("audit", "--type", "oauth.login_failed")).stdout)).toEqual([
      expect.objectContaining({ type: "oauth.login_failed", target: clientId, ip: "127.0.0.1", details: { attempts: 1 } }),
    ]);
    await server.pool.query("UPDATE audit_events SET created_at = now() - interval '2 days' WHERE event_type = 'oauth.client_registered'");
    const lastDay = JSON.parse((await admin("audit", "--type", "oauth.")).stdout).map((row: { type: string }) => row.type);
    expect(lastDay).not.toContain("oauth.client_registered");
    expect(JSON.parse((await admin("audit", "--type", "oauth.", "--since", "3d")).stdout).map((row: { type: string }) => row.type)).toContain("oauth.client_registered");

    for (const bad of [["--since", "yesterday"], ["--type", "DROP TABLE"], ["--tenant", "nobody-here"], ["--limit", "0"]]) {
      const refused = await admin("audit", ...bad);
      expect(refused.code, bad.join(" ")).toBe(1);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
