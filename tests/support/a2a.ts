// A2A for tests: two service instances on one database behind one public URL (as two Cloud Run instances
// behind the load balancer), an A2A client registered and granted like the admin CLI does, its token from
// the real token endpoint, and the SDK's own client talking to either instance.
import { randomBytes, randomUUID } from "node:crypto";
import { Role, type AgentCard, type Message, type Part } from "@a2a-js/sdk";
import { ClientFactory, ClientFactoryOptions, createAuthenticatingFetchWithRetry, JsonRpcTransportFactory, type Client } from "@a2a-js/sdk/client";
import type pg from "pg";
import { SCOPES } from "../../service/identity/scopes.js";
import { createA2aClient, grantA2aAccess } from "../../service/oauth/a2a-clients.js";
import type { Account } from "./mcp.js";
import { createTestDatabase } from "./database.js";
import { startTestServer, type TestServer } from "./server.js";

export interface A2aPair {
  /** The instance whose URL is the public one (PUBLIC_BASE_URL of both). */
  first: TestServer;
  second: TestServer;
  close(): Promise<void>;
}

/** `env`: more configuration for both instances. */
export async function startA2aPair(env: Record<string, string> = {}): Promise<A2aPair> {
  env = { DATABASE_URL: await createTestDatabase(), TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"), ...env };
  const first = await startTestServer(env);
  const second = await startTestServer({ ...env, PUBLIC_BASE_URL: first.url });
  return { first, second, close: async () => void (await Promise.all([first.close(), second.close()])) };
}

export interface A2aAgent {
  clientId: string;
  clientSecret: string;
}

/** An A2A client of the account's tenant acting for the account's user (create-a2a-client + grant-a2a-access). */
export async function registerA2aAgent(pool: pg.Pool, account: Account, scopes: readonly string[] = SCOPES): Promise<A2aAgent> {
  const { client, secret } = await createA2aClient(pool, { tenantId: account.tenant.id, name: `${account.tenant.slug} agent` });
  const consent = await grantA2aAccess(pool, client, account.user.id, scopes, new Date(Date.now() + 86_400_000));
  if (!consent) throw new Error("the account's user is not in the client's tenant");
  return { clientId: client.id, clientSecret: secret };
}

/** POST /oauth2/token with grant_type=client_credentials (client_secret_basic). */
export function requestA2aToken(server: Pick<TestServer, "url">, agent: A2aAgent, scope?: string): Promise<Response> {
  const body = new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) });
  const basic = Buffer.from(`${encodeURIComponent(agent.clientId)}:${encodeURIComponent(agent.clientSecret)}`).toString("base64");
  return fetch(`${server.url}/oauth2/token`, { method: "POST", headers: { authorization: `Basic ${basic}` }, body });
}

export async function a2aToken(server: Pick<TestServer, "url">, agent: A2aAgent): Promise<string> {
  const response = await requestA2aToken(server, agent);
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A fetch that sends the bearer token, as the SDK's authentication handler does. */
export function bearerFetch(token: string): typeof fetch {
  return createAuthenticatingFetchWithRetry(fetch, {
    headers: async () => ({ authorization: `Bearer ${token}` }),
    shouldRetryWithHeaders: async () => undefined,
  });
}

function factory(token: string): ClientFactory {
  return new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { transports: [new JsonRpcTransportFactory({ fetchImpl: bearerFetch(token) })] }));
}

/** The SDK client from the card `server` publishes (which names the public URL's /a2a). */
export function discoverA2aClient(server: Pick<TestServer, "url">, token: string): Promise<Client> {
  return factory(token).createFromUrl(server.url);
}

/** The SDK client from a card, pointed at `server`'s own /a2a (the other instance behind the same public URL). */
export function a2aClientAt(server: Pick<TestServer, "url">, card: AgentCard, token: string): Promise<Client> {
  const supportedInterfaces = card.supportedInterfaces.map((entry) => ({ ...entry, url: `${server.url}/a2a` }));
  return factory(token).createFromAgentCard({ ...card, supportedInterfaces });
}

export function textPart(text: string): Part {
  return { content: { $case: "text", value: text }, mediaType: "text/plain", filename: "", metadata: undefined };
}

export function dataPart(value: unknown): Part {
  return { content: { $case: "data", value }, mediaType: "application/json", filename: "", metadata: undefined };
}

/** A user message asking for `skill` with `args` (a data part), or a follow-up on `taskId`. */
export function skillMessage(skill: string | undefined, args?: Record<string, unknown>, options: { text?: string; taskId?: string } = {}): Message {
  const parts = [textPart(options.text ?? "Please."), ...(args ? [dataPart(args)] : [])];
  return {
    messageId: randomUUID(),
    contextId: "",
    taskId: options.taskId ?? "",
    role: Role.ROLE_USER,
    parts,
    metadata: skill ? { skill } : undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

/** A JSON-RPC request to `server`'s /a2a as raw JSON (for what the SDK client would never send). */
export function postA2a(server: Pick<TestServer, "url">, body: unknown, token?: string): Promise<Response> {
  return fetch(`${server.url}/a2a`, {
    method: "POST",
    headers: { "content-type": "application/json", "a2a-version": "1.0", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
