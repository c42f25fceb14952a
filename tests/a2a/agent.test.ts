// The A2A door itself: the card an agent discovers (one contract with the MCP tool catalog), the client
// credentials grant and who may use the token where, tenants kept apart, the same rate limits and tiers
// as /mcp, and bad input answered with protocol errors, never a 5xx. Real PostgreSQL, real sockets.
import { AGENT_CARD_PATH, TaskState, type Task } from "@a2a-js/sdk";
import type { Client } from "@a2a-js/sdk/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { AGENT_CARD_ROUTE, MESSAGE_LIMITS } from "../../service/a2a/router.js";
import { SKILLS } from "../../service/a2a/skills.js";
import { createToolCatalog, PIERRE_TOOLS } from "../../service/mcp/tools/index.js";
import { TOOL_TIERS } from "../../service/mcp/tools/tiers.js";
import { addMembership, createUser } from "../../service/identity/users.js";
import { createA2aClient, grantA2aAccess, revokeA2aAccess } from "../../service/oauth/a2a-clients.js";
import { createAccount, postMcp, toolCall, type Account } from "../support/mcp.js";
import {
  a2aClientAt,
  a2aToken,
  discoverA2aClient,
  postA2a,
  registerA2aAgent,
  requestA2aToken,
  skillMessage,
  startA2aPair,
  type A2aAgent,
  type A2aPair,
} from "../support/a2a.js";

let pair: A2aPair;
let pro: Account;
let agent: A2aAgent;
let token: string;
let client: Client;

const send = (to: Client, skill: string | undefined, args?: Record<string, unknown>) =>
  to.sendMessage({ tenant: "", message: skillMessage(skill, args), configuration: undefined, metadata: undefined }) as Promise<Task>;

beforeAll(async () => {
  pair = await startA2aPair();
  pro = await createAccount(pair.first.pool, "a2a-pro", { tenantTier: "pro", userTier: "pro" });
  agent = await registerA2aAgent(pair.first.pool, pro);
  token = await a2aToken(pair.first, agent);
  client = await discoverA2aClient(pair.first, token);
});
afterAll(() => pair.close());

describe("agent card", () => {
  it("is served at the SDK's well-known path, names the real endpoint, token URL, provider and version", async () => {
    expect(AGENT_CARD_ROUTE).toBe(`/${AGENT_CARD_PATH}`);
    const card = await client.getAgentCard();
    expect(card.supportedInterfaces).toEqual([{ url: `${pair.first.url}/a2a`, protocolBinding: "JSONRPC", tenant: "", protocolVersion: "1.0" }]);
    expect(card.version).toBe(packageJson.version);
    expect(card.provider).toEqual({ organization: "Pierre", url: pair.first.url });
    expect(card.capabilities).toMatchObject({ streaming: true, pushNotifications: true });
    expect(card.defaultInputModes).toEqual(["text/plain", "application/json"]);
    const scheme = card.securitySchemes.pierre_oauth2.scheme;
    expect(scheme?.$case).toBe("oauth2SecurityScheme");
    const flow = scheme?.$case === "oauth2SecurityScheme" ? scheme.value.flows?.flow : undefined;
    expect(flow?.$case).toBe("clientCredentials");
    const credentials = flow?.$case === "clientCredentials" ? flow.value : undefined;
    expect(credentials?.tokenUrl).toBe(`${pair.first.url}/oauth2/token`);
    expect(Object.keys(credentials?.scopes ?? {})).toEqual(["fitness:read", "fitness:write"]);
    // On the wire, the protocol's JSON (what a client in any language reads).
    const wire = (await (await fetch(`${pair.first.url}${AGENT_CARD_ROUTE}`)).json()) as { securitySchemes: Record<string, unknown> };
    expect(wire.securitySchemes.pierre_oauth2).toMatchObject({ oauth2SecurityScheme: { flows: { clientCredentials: { tokenUrl: `${pair.first.url}/oauth2/token` } } } });
    // The second instance publishes the same card (one public URL).
    expect(await (await fetch(`${pair.second.url}${AGENT_CARD_ROUTE}`)).json()).toEqual(await (await fetch(`${pair.first.url}${AGENT_CARD_ROUTE}`)).json());
  });

  it("describes each skill from the MCP tool catalog: tools, tier, scopes, descriptions, examples", async () => {
    const card = await client.getAgentCard();
    const tools = createToolCatalog(PIERRE_TOOLS);
    const rank = ["free", "pro", "enterprise"];
    expect(card.skills.map((skill) => skill.id)).toEqual(["weekly_training_review", "race_time_prediction", "recovery_check", "goal_feasibility"]);
    for (const [index, skill] of card.skills.entries()) {
      const defined = SKILLS[index];
      const tier = defined.tools.map((name) => TOOL_TIERS[name]).sort((a, b) => rank.indexOf(b) - rank.indexOf(a))[0];
      expect(skill.tags).toEqual([...defined.tools, `tier:${tier}`]);
      for (const name of defined.tools) expect(skill.description).toContain(tools.find(name)!.definition.description);
      expect(skill.examples.length).toBeGreaterThan(0);
      expect(skill.securityRequirements).toEqual([{ schemes: { pierre_oauth2: { list: ["fitness:read"] } } }]);
    }
    expect(card.skills.find((skill) => skill.id === "recovery_check")!.tags).toContain("tier:free");
    expect(card.skills.find((skill) => skill.id === "weekly_training_review")!.tags).toContain("tier:pro");
  });
});

describe("client credentials", () => {
  it("issues an RS256 token for the A2A endpoint with the granted scopes and no refresh token", async () => {
    const response = await requestA2aToken(pair.first, agent, "fitness:read");
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "Bearer", scope: "fitness:read", expires_in: expect.any(Number) });
    expect(body.refresh_token).toBeUndefined();
    const [header, payload] = String(body.access_token).split(".").slice(0, 2).map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
    expect(header).toMatchObject({ alg: "RS256", typ: "at+jwt" });
    expect(payload).toMatchObject({ aud: `${pair.first.url}/a2a`, iss: pair.first.url, sub: pro.user.id, tenant_id: pro.tenant.id, client_id: agent.clientId });
  });

  it("refuses a wrong secret, an unknown client, scopes beyond the grant and a client nobody granted access", async () => {
    expect((await requestA2aToken(pair.first, { ...agent, clientSecret: "nope" })).status).toBe(401);
    expect((await requestA2aToken(pair.first, { clientId: "00000000-0000-4000-8000-000000000000", clientSecret: "x" })).status).toBe(401);
    const readOnly = await registerA2aAgent(pair.first.pool, pro, ["fitness:read"]);
    const beyond = await requestA2aToken(pair.first, readOnly, "fitness:read fitness:write");
    expect(beyond.status).toBe(400);
    expect(await beyond.json()).toMatchObject({ error: "invalid_scope" });
    const { client: ungranted, secret } = await createA2aClient(pair.first.pool, { tenantId: pro.tenant.id, name: "ungranted" });
    const refused = await requestA2aToken(pair.first, { clientId: ungranted.id, clientSecret: secret });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("opens only its own door: an A2A token is refused by /mcp, an API key by /a2a, no credential by both", async () => {
    expect((await postMcp(pair.first.url, toolCall("whoami"), { authorization: `Bearer ${token}` })).status).toBe(401);
    const withKey = await postA2a(pair.first, { jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } }, pro.apiKey);
    expect(withKey.status).toBe(401);
    expect(withKey.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    const anonymous = await postA2a(pair.first, { jsonrpc: "2.0", id: 2, method: "GetTask", params: { id: "x" } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    // Refused before the body is read, so the id is unknown (null), as JSON-RPC prescribes.
    expect(await anonymous.json()).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32000 } });
  });

  it("stops working on every instance once the user's consent is revoked", async () => {
    const revocable = await registerA2aAgent(pair.first.pool, pro);
    const revocableToken = await a2aToken(pair.first, revocable);
    const onSecond = await a2aClientAt(pair.second, await client.getAgentCard(), revocableToken);
    expect((await send(onSecond, "recovery_check")).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const { rows } = await pair.first.pool.query("SELECT id, tenant_id AS \"tenantId\", name FROM a2a_clients WHERE id = $1", [revocable.clientId]);
    expect(await revokeA2aAccess(pair.first.pool, rows[0])).toBe(true);
    await expect(send(onSecond, "recovery_check")).rejects.toThrow(/Unauthorized: invalid access token/);
    expect((await requestA2aToken(pair.first, revocable)).status).toBe(400);
  });
});

describe("tenants", () => {
  it("keeps another tenant's client away from a task: not found on get, cancel and resubscribe, on either instance", async () => {
    const task = await send(client, "goal_feasibility");
    const other = await createAccount(pair.first.pool, "a2a-other", { tenantTier: "pro", userTier: "pro" });
    const otherToken = await a2aToken(pair.first, await registerA2aAgent(pair.first.pool, other));
    const intruder = await a2aClientAt(pair.second, await client.getAgentCard(), otherToken);
    await expect(intruder.getTask({ tenant: "", id: task.id, historyLength: undefined })).rejects.toThrow(/not found/i);
    await expect(intruder.cancelTask({ tenant: "", id: task.id, metadata: undefined })).rejects.toThrow(/not found/i);
    await expect(intruder.resubscribeTask({ tenant: "", id: task.id }).next()).rejects.toThrow(/not found/i);
    const named = await postA2a(pair.second, { jsonrpc: "2.0", id: 3, method: "GetTask", params: { id: task.id, tenant: pro.tenant.slug } }, otherToken);
    expect(await named.json()).toMatchObject({ id: 3, error: { code: -32602 } });
    expect((await client.getTask({ tenant: "", id: task.id, historyLength: undefined })).id).toBe(task.id);
  });

  it("shows a client's tasks only while it acts for the user they were for", async () => {
    const { client: registered, secret } = await createA2aClient(pair.first.pool, { tenantId: pro.tenant.id, name: "switching" });
    const grant = (userId: string) => grantA2aAccess(pair.first.pool, registered, userId, ["fitness:read"], new Date(Date.now() + 60_000));
    await grant(pro.user.id);
    const agentFor = async () => a2aClientAt(pair.first, await client.getAgentCard(), await a2aToken(pair.first, { clientId: registered.id, clientSecret: secret }));
    const task = await send(await agentFor(), "recovery_check");
    const colleague = await createUser(pair.first.pool, { email: "a2a-colleague@example.com", password: "correct horse battery" }, 4);
    await addMembership(pair.first.pool, { tenantId: pro.tenant.id, userId: colleague.id, role: "member" });
    await grant(colleague.id);
    await expect((await agentFor()).getTask({ tenant: "", id: task.id, historyLength: undefined })).rejects.toThrow(/not found/i);
  });

  it("grants access only to a member of the client's tenant", async () => {
    const outsider = await createAccount(pair.first.pool, "a2a-outsider");
    const { client: registered } = await createA2aClient(pair.first.pool, { tenantId: pro.tenant.id, name: "picky" });
    expect(await grantA2aAccess(pair.first.pool, registered, outsider.user.id, ["fitness:read"], new Date(Date.now() + 60_000))).toBeUndefined();
  });
});

describe("rate limits and tiers as for MCP", () => {
  it("charges the same tenant counter as /mcp and refuses both once it is spent", async () => {
    const account = await createAccount(pair.first.pool, "a2a-quota");
    const quotaToken = await a2aToken(pair.first, await registerA2aAgent(pair.first.pool, account));
    const bucket = `tenant:${account.tenant.id}:month`;
    const count = async () => (await pair.first.pool.query<{ count: number }>("SELECT count FROM rate_limit_counters WHERE bucket = $1", [bucket])).rows[0]?.count ?? 0;
    const getTask = () => postA2a(pair.second, { jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "00000000-0000-4000-8000-000000000000" } }, quotaToken);
    expect((await getTask()).status).toBe(200);
    expect(await count()).toBe(1);
    expect((await postMcp(pair.first.url, toolCall("whoami"), { "x-api-key": account.apiKey })).status).toBe(200);
    expect(await count()).toBe(2);
    await pair.first.pool.query("UPDATE rate_limit_counters SET count = 10000 WHERE bucket = $1", [bucket]);
    const refused = await getTask();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: -32000, message: expect.stringMatching(/rate limit/) } });
    expect((await postMcp(pair.first.url, toolCall("whoami"), { "x-api-key": account.apiKey })).status).toBe(429);
  });

  it("rejects a skill above the user's tier with the tier it needs, and serves the free ones", async () => {
    const free = await createAccount(pair.first.pool, "a2a-free");
    const freeClient = await a2aClientAt(pair.first, await client.getAgentCard(), await a2aToken(pair.first, await registerA2aAgent(pair.first.pool, free)));
    const rejected = await send(freeClient, "weekly_training_review");
    expect(rejected.status?.state).toBe(TaskState.TASK_STATE_REJECTED);
    expect(rejected.status?.message?.parts[0].content).toMatchObject({ value: expect.stringContaining("needs the pro tier") });
    expect((await send(freeClient, "recovery_check")).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });
});

describe("bad input", () => {
  const message = (parts: unknown[], metadata: Record<string, unknown> = { skill: "recovery_check" }) => ({
    jsonrpc: "2.0",
    id: 7,
    method: "SendMessage",
    params: { message: { messageId: "m-1", role: "ROLE_USER", parts, metadata } },
  });
  const cases: [string, unknown, number, number][] = [
    ["malformed JSON", "{\"jsonrpc\": \"2.0\",", 400, -32700],
    ["a batch", [{ jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } }], 200, -32600],
    ["not JSON-RPC", { hello: "world" }, 200, -32600],
    ["an unknown method", { jsonrpc: "2.0", id: 7, method: "tasks/explode", params: {} }, 200, -32601],
    ["a message without a message", { jsonrpc: "2.0", id: 7, method: "SendMessage", params: {} }, 200, -32602],
    ["an unknown skill", message([{ text: "hi" }], { skill: "world_domination" }), 200, -32602],
    ["no skill at all", message([{ text: "hello there" }], {}), 200, -32602],
    ["arguments the skill refuses", message([{ data: { weeks: 0 } }], { skill: "weekly_training_review" }), 200, -32602],
    ["an oversized text part", message([{ text: "x".repeat(MESSAGE_LIMITS.textChars + 1) }]), 200, -32602],
    ["an oversized data part", message([{ data: { pad: "x".repeat(MESSAGE_LIMITS.dataBytes) } }]), 200, -32602],
    ["too many parts", message(Array.from({ length: MESSAGE_LIMITS.parts + 1 }, () => ({ text: "x" }))), 200, -32602],
    ["a file part", message([{ url: "https://example.com/a.fit" }]), 200, -32005],
    ["a webhook on a private address (SSRF)", { jsonrpc: "2.0", id: 7, method: "CreateTaskPushNotificationConfig", params: { taskId: "t", url: "https://169.254.169.254/latest" } }, 200, -32602],
    ["a plain-http webhook in a message", { ...message([{ text: "hi" }]), params: { ...message([{ text: "hi" }]).params, configuration: { taskPushNotificationConfig: { url: "http://example.com/hook" } } } }, 200, -32602],
    ["a task id that is no task", { jsonrpc: "2.0", id: 7, method: "GetTask", params: { id: "not-a-uuid" } }, 200, -32001],
    ["a body over the limit", message([{ text: "x".repeat(200_000) }]), 413, -32000],
  ];

  it.each(cases)("answers %s with a JSON-RPC error, never a 5xx", async (_name, body, status, code) => {
    const response = await postA2a(pair.second, body, token);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ jsonrpc: "2.0", error: { code } });
  });

  it("logs every A2A request as an a2a_request event with its method, skill and outcome", async () => {
    await send(client, "recovery_check");
    await postA2a(pair.first, message([{ text: "hi" }], { skill: "world_domination" }), token);
    const events = pair.first.logs.filter((line) => line.event === "a2a_request");
    expect(events).toContainEqual(expect.objectContaining({ method: "SendMessage", skill: "recovery_check", outcome: "ok" }));
    expect(events).toContainEqual(expect.objectContaining({ method: "SendMessage", skill: "none", outcome: "protocol_error" }));
    expect(pair.first.logs.filter((line) => line.event === "http_request" && line.route === "a2a").length).toBeGreaterThan(0);
  });
});
