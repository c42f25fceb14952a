// Helpers for the OAuth tests: users in tenants, PKCE pairs, and a "browser" that loads the sign-in
// page, reads its form and posts it, exactly as a person would.
import { createHash, randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { expect } from "vitest";
import { createLogger } from "../../service/logging/index.js";
import { composeService } from "../../service/composition.js";
import type { OAuth } from "../../service/oauth/index.js";
import { createTenant } from "../../service/identity/tenants.js";
import { addMembership, createUser } from "../../service/identity/users.js";
import type { TestServer } from "./server.js";

export const PASSWORD = "correct horse battery staple";

export async function createMember(server: TestServer, email: string, tenantSlugs: string[] = [`t-${randomBytes(4).toString("hex")}`]) {
  const user = await createUser(server.pool, { email, password: PASSWORD }, server.config.passwordHashCost);
  const tenantIds: string[] = [];
  for (const slug of tenantSlugs) {
    const tenant = await createTenant(server.pool, { slug, name: `Team ${slug}` });
    await addMembership(server.pool, { tenantId: tenant.id, userId: user.id });
    tenantIds.push(tenant.id);
  }
  return { userId: user.id, tenantIds };
}

export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

export async function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
}

export async function registerPublicClient(
  server: TestServer,
  redirectUri = "http://127.0.0.1:8976/callback",
  metadata: Record<string, unknown> = {},
): Promise<RegisteredClient> {
  const response = await postJson(`${server.url}/oauth2/register`, {
    client_name: "Test client", redirect_uris: [redirectUri], token_endpoint_auth_method: "none", ...metadata,
  });
  expect(response.status).toBe(201);
  return readJson<RegisteredClient>(response);
}

/** The hidden form token of a sign-in page. */
export function formToken(html: string): string {
  const match = /name="form_token" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no form token in page:\n${html}`);
  return match[1];
}

/** Plays the browser: opens the authorization URL, signs in, and returns the final response (a redirect or a page). */
export async function signIn(
  authorizationUrl: string | URL,
  credentials: { email: string; password: string; tenantId?: string },
): Promise<Response> {
  const page = await fetch(authorizationUrl, { redirect: "manual" });
  expect(page.status).toBe(200);
  const token = formToken(await page.text());
  const fields: Record<string, string> = { form_token: token, email: credentials.email, password: credentials.password, action: "allow" };
  if (credentials.tenantId) fields.tenant_id = credentials.tenantId;
  return postForm(new URL("/oauth2/authorize", authorizationUrl).href, fields);
}

/** The query of a redirect response's Location. */
export function redirectParams(response: Response): URLSearchParams {
  expect(response.status).toBe(303);
  return new URL(response.headers.get("location") ?? "").searchParams;
}

export function authorizationUrl(server: TestServer, params: Record<string, string>): URL {
  const url = new URL("/oauth2/authorize", server.url);
  for (const [name, value] of Object.entries({ response_type: "code", code_challenge_method: "S256", ...params })) {
    url.searchParams.set(name, value);
  }
  return url;
}

/** Runs the whole flow for a public client without the SDK: the authorization code and its verifier. */
export async function authorizationCode(
  server: TestServer,
  client: RegisteredClient,
  email: string,
  extra: Record<string, string> = {},
): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const url = authorizationUrl(server, { client_id: client.client_id, redirect_uri: client.redirect_uris[0], code_challenge: challenge, state: "s1", ...extra });
  const params = redirectParams(await signIn(url, { email, password: PASSWORD }));
  const code = params.get("code");
  if (!code) throw new Error(`no code: ${params.toString()}`);
  return { code, verifier };
}

export async function exchangeCode(server: TestServer, client: RegisteredClient, code: string, verifier: string, extra: Record<string, string> = {}) {
  return postForm(`${server.url}/oauth2/token`, {
    grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: client.redirect_uris[0], client_id: client.client_id, ...extra,
  });
}

/**
 * An in-memory OAuthClientProvider for the SDK's client-side `auth()`: it keeps what the SDK saves and
 * records the authorization URL instead of opening a browser (the test then plays the browser).
 */
export class TestOAuthProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier?: string;
  authorizationUrl?: URL;
  readonly stateValue = randomBytes(8).toString("hex");

  constructor(
    readonly redirectUrl: string,
    readonly clientMetadata: OAuthClientMetadata,
  ) {}

  state() {
    return this.stateValue;
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(client: OAuthClientInformationMixed) {
    this.client = client;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    if (!this.verifier) throw new Error("no code verifier saved");
    return this.verifier;
  }
  /** What the SDK asks a host to forget when the server rejected it (e.g. a refresh token of a revoked grant). */
  invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery") {
    if (scope === "all" || scope === "client") this.client = undefined;
    if (scope === "all" || scope === "tokens") this.saved = undefined;
    if (scope === "all" || scope === "verifier") this.verifier = undefined;
  }
}

/** A second OAuth instance on the same database, as another Cloud Run instance would be. */
export function otherInstance(server: TestServer): OAuth {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({ level: "error", stream: discard });
  return composeService(server.config, logger, { pool: server.pool, counterPool: server.pool }).oauth;
}

export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export interface ErrorBody {
  error: string;
  error_description?: string;
}

/** A JSON body, typed as what the test expects it to be (the assertions check it). */
export async function readJson<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Closes the server, then fails if it logged anything at ERROR or worse: no request here may cause a 500. */
export async function closeWithoutErrors(server: TestServer | undefined): Promise<void> {
  if (!server) return;
  const errors = server.logs.filter((line) => line.severity === "ERROR" || line.severity === "CRITICAL");
  await server.close();
  expect(errors).toEqual([]);
}
