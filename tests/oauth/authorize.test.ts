// GET/POST /oauth2/authorize: what is shown as a page, what goes back to the client, and the sign-in form.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  authorizationUrl, closeWithoutErrors, createMember, formToken, PASSWORD, pkcePair, postForm, postJson, redirectParams, registerPublicClient, signIn,
  type RegisteredClient,
} from "../support/oauth.js";

let server: TestServer;
let client: RegisteredClient;
const REDIRECT = "http://127.0.0.1:8976/callback";

beforeAll(async () => {
  server = await startTestServer();
  client = await registerPublicClient(server, REDIRECT);
  await createMember(server, "athlete@example.com");
});
afterAll(() => closeWithoutErrors(server));

function request(params: Record<string, string> = {}): URL {
  return authorizationUrl(server, { client_id: client.client_id, redirect_uri: REDIRECT, code_challenge: pkcePair().challenge, state: "xyz", ...params });
}

async function openPage(url: URL): Promise<{ response: Response; html: string }> {
  const response = await fetch(url, { redirect: "manual" });
  return { response, html: await response.text() };
}

describe("problems with the client or its redirect URI are shown, never redirected", () => {
  it.each([
    ["an unknown client_id", { client_id: "no-such-client" }, "Unknown application"],
    ["a missing client_id", { client_id: "" }, "Invalid request"],
    ["an unregistered redirect_uri", { redirect_uri: "https://attacker.example/cb" }, "Invalid redirect"],
    ["another path on the loopback host", { redirect_uri: "http://127.0.0.1:8976/elsewhere" }, "Invalid redirect"],
    ["another loopback host name", { redirect_uri: "http://localhost:8976/callback" }, "Invalid redirect"],
    ["user information on the loopback redirect", { redirect_uri: "http://evil@127.0.0.1:9/callback" }, "Invalid redirect"],
    ["a NUL in client_id", { client_id: "abc\u0000def" }, "Invalid request"],
    ["a NUL in state", { state: "xyz\u0000" }, "Invalid request"],
  ])("%s", async (_case, params, title) => {
    const { response, html } = await openPage(request(params));
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(html).toContain(title);
  });

  it("accepts a registered loopback redirect URI on any port (RFC 8252 §7.3)", async () => {
    const { response, html } = await openPage(request({ redirect_uri: "http://127.0.0.1:41234/callback" }));
    expect(response.status).toBe(200);
    expect(html).toContain('name="form_token"');
  });
});

describe("other problems go back to the client with state and iss", () => {
  it.each([
    ["no code_challenge", { code_challenge: "" }, "invalid_request"],
    ["the plain PKCE method", { code_challenge_method: "plain" }, "invalid_request"],
    ["a malformed challenge", { code_challenge: "short" }, "invalid_request"],
    ["response_type=token", { response_type: "token" }, "unsupported_response_type"],
    ["an unknown scope", { scope: "fitness:read admin" }, "invalid_scope"],
    ["another resource", { resource: "https://other.example/mcp" }, "invalid_target"],
  ])("%s", async (_case, params, error) => {
    const { response } = await openPage(request(params));
    const redirect = redirectParams(response);
    expect(response.headers.get("location")).toMatch(/^http:\/\/127\.0\.0\.1:8976\/callback\?/);
    expect(redirect.get("error")).toBe(error);
    expect(redirect.get("state")).toBe("xyz");
    expect(redirect.get("iss")).toBe(server.config.publicBaseUrl);
    expect(redirect.get("code")).toBeNull();
  });

  it("a repeated parameter", async () => {
    const url = request();
    url.searchParams.append("scope", "fitness:read");
    url.searchParams.append("scope", "fitness:write");
    expect(redirectParams((await openPage(url)).response).get("error")).toBe("invalid_request");
  });
});

describe("the sign-in page", () => {
  it("names the client (escaped), the scopes and where the browser returns, with a CSP that allows that redirect", async () => {
    const registered = await postJson(`${server.url}/oauth2/register`, {
      client_name: `<script>alert("x")</script>`, redirect_uris: ["https://app.example.com/cb"], token_endpoint_auth_method: "none",
    });
    const hostile = (await registered.json()) as RegisteredClient;
    const { response, html } = await openPage(request({ client_id: hostile.client_id, redirect_uri: "https://app.example.com/cb", scope: "fitness:read" }));
    expect(response.status).toBe(200);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;");
    expect(html).toContain("Read your activities");
    expect(html).not.toContain("fitness:write");
    expect(html).toContain("https://app.example.com");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("form-action 'self' https://app.example.com;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(response.headers.get("cache-control")).toBe("no-store");
    // With helmet's no-referrer, browsers would post the form with `Origin: null`.
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
  });

  it("allows the loopback redirect on any port in the CSP", async () => {
    const { response } = await openPage(request());
    expect(response.headers.get("content-security-policy")).toContain("form-action 'self' http://127.0.0.1:*;");
  });

  it("answers a wrong password and an unknown email alike (401, same message), and audits the failure", async () => {
    const wrongPassword = await signIn(request(), { email: "athlete@example.com", password: "wrong password!" });
    const unknownEmail = await signIn(request(), { email: "nobody@example.com", password: "wrong password!" });
    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.status).toBe(401);
      expect(response.headers.get("location")).toBeNull();
      const html = await response.text();
      expect(html).toContain("Invalid email or password.");
      expect(html).toContain('name="form_token"');
    }
    const { rows } = await server.pool.query("SELECT count(*)::int AS n FROM audit_events WHERE event_type = 'oauth.login_failed' AND target = $1", [client.client_id]);
    expect(rows[0].n).toBeGreaterThanOrEqual(2);
  });

  it("lets the user retry after a wrong password on the same page", async () => {
    const failed = await signIn(request(), { email: "athlete@example.com", password: "wrong password!" });
    const token = formToken(await failed.text());
    const retried = await postForm(`${server.url}/oauth2/authorize`, { form_token: token, email: "athlete@example.com", password: PASSWORD, action: "allow" });
    expect(redirectParams(retried).get("code")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("gives up after five wrong passwords with access_denied", async () => {
    // Its own account: five failures also slow this account down (sign-in-throttle.test.ts).
    await createMember(server, "five-guesses@example.com");
    const page = await openPage(request());
    const token = formToken(page.html);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      last = await postForm(`${server.url}/oauth2/authorize`, { form_token: token, email: "five-guesses@example.com", password: `guess ${attempt}`, action: "allow" });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 303]);
    expect(redirectParams(last!).get("error")).toBe("access_denied");
    // The page is dead now, even with the right password.
    const after = await postForm(`${server.url}/oauth2/authorize`, { form_token: token, email: "five-guesses@example.com", password: PASSWORD, action: "allow" });
    expect(after.status).toBe(400);
  });

  it("sends access_denied with state and iss when the user denies", async () => {
    const { html } = await openPage(request());
    const redirect = redirectParams(await postForm(`${server.url}/oauth2/authorize`, { form_token: formToken(html), action: "deny" }));
    expect(redirect.get("error")).toBe("access_denied");
    expect(redirect.get("state")).toBe("xyz");
    expect(redirect.get("iss")).toBe(server.config.publicBaseUrl);
  });

  it("works once: posting the same form again does not issue a second code", async () => {
    const { html } = await openPage(request());
    const fields = { form_token: formToken(html), email: "athlete@example.com", password: PASSWORD, action: "allow" };
    expect(redirectParams(await postForm(`${server.url}/oauth2/authorize`, fields)).get("code")).toBeTruthy();
    const again = await postForm(`${server.url}/oauth2/authorize`, fields);
    expect(again.status).toBe(400);
    expect(again.headers.get("location")).toBeNull();
  });

  it("refuses a post from another origin and a made-up form token", async () => {
    const { html } = await openPage(request());
    const fields = { form_token: formToken(html), email: "athlete@example.com", password: PASSWORD, action: "allow" };
    const crossSite = await postForm(`${server.url}/oauth2/authorize`, fields, { Origin: "https://attacker.example" });
    expect(crossSite.status).toBe(403);
    const forged = await postForm(`${server.url}/oauth2/authorize`, { ...fields, form_token: "A".repeat(43) });
    expect(forged.status).toBe(400);
    // The genuine form still works from our own origin.
    const genuine = await postForm(`${server.url}/oauth2/authorize`, fields, { Origin: server.config.publicBaseUrl });
    expect(redirectParams(genuine).get("code")).toBeTruthy();
  });

  it("treats a disabled user like a wrong password", async () => {
    const { userId } = await createMember(server, "disabled@example.com");
    await server.pool.query("UPDATE users SET disabled_at = now() WHERE id = $1", [userId]);
    const response = await signIn(request(), { email: "disabled@example.com", password: PASSWORD });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("Invalid email or password.");
  });
});
