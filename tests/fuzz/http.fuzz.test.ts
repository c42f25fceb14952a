// Property-based fuzzing of every endpoint a client can reach, over real sockets: arbitrary JSON, strings
// with NUL, unpaired surrogates and control characters, arbitrary header values. The invariant: no 5xx,
// no stack trace in a response, and the server still answers. The budget is bounded (RUNS per property)
// so `npm test` stays quick; a failure prints the seed and the shrunk input, which replays exactly with
// `fc.assert(..., { seed, path })`.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2A_METHODS } from "../../service/logging/events.js";
import { createAccount, MCP_HEADERS, type Account } from "../support/mcp.js";
import { a2aToken, registerA2aAgent } from "../support/a2a.js";
import { closeWithoutErrors, registerPublicClient, type RegisteredClient } from "../support/oauth.js";
import { startTestServer, type TestServer } from "../support/server.js";

// FUZZ_RUNS=2000 npx vitest run tests/fuzz for a deeper search than the default budget of npm test.
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

let server: TestServer;
let account: Account;
let client: RegisteredClient;
let agentToken: string;

beforeAll(async () => {
  // One trusted proxy, so each request can come from its own address and reach past the per-IP limits.
  server = await startTestServer({ TRUST_PROXY_HOPS: "1" });
  // Enterprise: the A2A token is charged to the user's own bucket (2,000 a minute), not the key's.
  account = await createAccount(server.pool, "fuzz", { userTier: "enterprise", tenantTier: "enterprise", key: { burstPerMinute: 1_000_000 } });
  client = await registerPublicClient(server);
  agentToken = await a2aToken(server, await registerA2aAgent(server.pool, account));
});
afterAll(() => closeWithoutErrors(server));

// Strings that have broken PostgreSQL, URL parsers or header handling somewhere, mixed with anything.
const nasty = fc.oneof(
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "\udfff", "x\ud83d", "\r\n", "\t", "\u2028", "%00", "%ZZ", "../../etc", "http://127.0.0.1:9/cb", "https:///x", "'; DROP TABLE users;--", "{}", "[]", "null", "é", "𝔘"),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 20 }),
);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(nasty, tie("value"), { maxKeys: 4 }),
  ),
})).value;
// Header values a real HTTP client can send (visible ASCII and spaces); the rest never reaches us.
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 60 });
const address = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join("."));

/** Sends and checks the invariant for one request: no 5xx, no stack trace, no JSON-RPC internal error. */
async function expectHandled(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<void> {
  const response = await fetch(`${server.url}${path}`, { redirect: "manual", ...init });
  const body = await response.text();
  const context = `${init.method ?? "GET"} ${path} -> ${response.status}: ${body.slice(0, 300)}`;
  expect(response.status, context).toBeLessThan(500);
  expect(body, context).not.toMatch(/\n\s+at |Error: |node_modules/);
  // A client's input is never our internal error (-32603): bad params are -32602.
  expect(body, context).not.toContain('"code":-32603');
}

function form(fields: Record<string, unknown>): string {
  // Anything that is not a string goes as its JSON text: the form encoder only carries strings.
  const pairs = Object.entries(fields).map(([name, value]): [string, string] => [name, typeof value === "string" ? value : JSON.stringify(value)]);
  return new URLSearchParams(pairs).toString();
}

describe("fuzzing", () => {
  it("POST /mcp: arbitrary JSON-RPC messages, batches and headers", async () => {
    // Mostly well-formed envelopes, so the hostile part reaches the protocol layer and the tools.
    const mostly = <T, U>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<U>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: other });
    const message = fc.record(
      {
        jsonrpc: mostly(fc.constant("2.0"), nasty),
        id: mostly(fc.integer(), fc.oneof(nasty, fc.constant(null))),
        method: mostly(fc.constantFrom("initialize", "tools/list", "tools/call", "ping", "notifications/initialized", "resources/list"), nasty),
        params: fc.oneof(
          json,
          fc.record({ name: mostly(fc.constantFrom("whoami", "get_connection_status", "list_api_keys"), json), arguments: json }, { requiredKeys: [] }),
        ),
      },
      { requiredKeys: ["jsonrpc", "id", "method"] },
    );
    const body = fc.oneof(message, fc.array(message, { maxLength: 5 }), json);
    const headers = fc.record(
      { "mcp-protocol-version": fc.oneof(fc.constantFrom("2025-11-25", "2025-06-18"), headerValue), accept: headerValue, "content-type": headerValue, origin: headerValue },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body, headers, fc.boolean(), async (payload, extra, raw) => {
        await expectHandled("/mcp", {
          method: "POST",
          headers: { ...MCP_HEADERS, "x-api-key": account.apiKey, ...(raw ? extra : {}) },
          body: JSON.stringify(payload),
        });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("POST /a2a: arbitrary JSON-RPC requests, messages and parts", async () => {
    const mostly = <T, U>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<U>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: other });
    const part = fc.record({ text: mostly(fc.string({ maxLength: 20 }), json), data: json, url: nasty, raw: nasty, mediaType: nasty, metadata: json }, { requiredKeys: [] });
    const message = fc.record(
      {
        messageId: mostly(fc.uuid(), json), taskId: mostly(fc.uuid(), json), contextId: json, role: mostly(fc.constant("ROLE_USER"), json),
        parts: mostly(fc.array(part, { maxLength: 3 }), json),
        metadata: mostly(fc.record({ skill: mostly(fc.constantFrom("weekly_training_review", "recovery_check", "goal_feasibility"), json) }), json),
      },
      { requiredKeys: [] },
    );
    const params = fc.oneof(
      json,
      fc.record({ message, configuration: json, id: mostly(fc.uuid(), json), taskId: json, url: nasty, tenant: nasty, pageSize: json, historyLength: json }, { requiredKeys: [] }),
    );
    const request = fc.record(
      { jsonrpc: mostly(fc.constant("2.0"), nasty), id: mostly(fc.integer(), json), method: mostly(fc.constantFrom(...A2A_METHODS), nasty), params },
      { requiredKeys: ["jsonrpc", "method"] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 5, arbitrary: request }, { weight: 1, arbitrary: json }), mostly(fc.constant("1.0"), headerValue), async (payload, version) => {
        await expectHandled("/a2a", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${agentToken}`, "a2a-version": version },
          body: JSON.stringify(payload),
        });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("POST /oauth2/register: arbitrary client metadata", async () => {
    const metadata = fc.record(
      {
        client_name: nasty, redirect_uris: fc.oneof(fc.array(nasty, { maxLength: 3 }), json), token_endpoint_auth_method: nasty,
        grant_types: json, contacts: json, software_id: nasty, scope: nasty, logo_uri: nasty,
      },
      { requiredKeys: [] },
    );
    // Mostly a valid registration with some fields replaced, so the hostile value gets as far as it can.
    const valid = { client_name: "Fuzz", redirect_uris: ["http://127.0.0.1:9000/cb"], token_endpoint_auth_method: "none" };
    const payloads = fc.oneof({ weight: 3, arbitrary: metadata.map((changes) => ({ ...valid, ...changes })) }, { weight: 1, arbitrary: json });
    await fc.assert(
      fc.asyncProperty(payloads, address, async (payload, from) => {
        await expectHandled("/oauth2/register", {
          method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": from }, body: JSON.stringify(payload),
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("POST /oauth2/token and /oauth2/revoke: arbitrary parameters, form or JSON", async () => {
    const params = fc.record(
      {
        grant_type: fc.oneof(fc.constantFrom("authorization_code", "refresh_token", "client_credentials"), nasty),
        client_id: fc.oneof(fc.constant(client.client_id), nasty), code: nasty, refresh_token: nasty, token: nasty,
        redirect_uri: fc.oneof(fc.constant(client.redirect_uris[0]), nasty), code_verifier: nasty, scope: nasty, resource: nasty,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("/oauth2/token", "/oauth2/revoke"), params, fc.boolean(), headerValue, address, async (path, fields, asJson, authorization, from) => {
        await expectHandled(path, {
          method: "POST",
          headers: {
            "content-type": asJson ? "application/json" : "application/x-www-form-urlencoded", "x-forwarded-for": from,
            ...(authorization ? { authorization: `Basic ${Buffer.from(authorization).toString("base64")}` } : {}),
          },
          body: asJson ? JSON.stringify(fields) : form(fields),
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("GET and POST /oauth2/authorize: arbitrary query and form", async () => {
    const query = fc.record(
      {
        client_id: fc.oneof(fc.constant(client.client_id), nasty), redirect_uri: fc.oneof(fc.constant(client.redirect_uris[0]), nasty),
        response_type: fc.oneof(fc.constant("code"), nasty), code_challenge: nasty, code_challenge_method: fc.oneof(fc.constant("S256"), nasty),
        state: nasty, scope: nasty, resource: nasty,
      },
      { requiredKeys: [] },
    );
    const fields = fc.record({ form_token: nasty, email: nasty, password: nasty, action: nasty, tenant_id: nasty }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(query, fields, address, async (params, posted, from) => {
        await expectHandled(`/oauth2/authorize?${form(params)}`, { headers: { "x-forwarded-for": from } });
        await expectHandled("/oauth2/authorize", {
          method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": from }, body: form(posted),
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("discovery and unknown paths: arbitrary paths and queries", async () => {
    const path = fc.oneof(
      fc.constantFrom("/.well-known/oauth-authorization-server", "/.well-known/oauth-protected-resource/mcp", "/.well-known/jwks.json", "/.well-known/agent-card.json", "/health", "/ready", "/mcp", "/a2a"),
      nasty.filter((segment) => segment.isWellFormed()).map((segment) => `/${encodeURIComponent(segment)}`),
    );
    await fc.assert(
      fc.asyncProperty(path, fc.dictionary(nasty, nasty, { maxKeys: 3 }), fc.constantFrom("GET", "DELETE", "PUT", "OPTIONS"), async (target, params, method) => {
        await expectHandled(`${target}?${form(params)}`, { method });
      }),
      { numRuns: RUNS },
    );
  });

  it("leaves the server answering", async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
  });
});
