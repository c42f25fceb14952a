// Password guessing on the sign-in page: failures are counted per account (and per account and address)
// in PostgreSQL, not per form; the delay grows, is capped, passes with time, and never keeps the real
// user out from an address they signed in from. Time passes by moving the rows' timestamps back, on the
// database's own clock, instead of sleeping.
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PER_ACCOUNT, PER_ADDRESS, throttleDelaySeconds } from "../../service/identity/sign-in-throttle.js";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  authorizationUrl, closeWithoutErrors, createMember, formToken, PASSWORD, pkcePair, postForm, redirectParams,
  registerPublicClient, type RegisteredClient,
} from "../support/oauth.js";

let server: TestServer;
let client: RegisteredClient;

beforeAll(async () => {
  // Behind one proxy, so each test picks the client's address with X-Forwarded-For.
  server = await startTestServer({ TRUST_PROXY_HOPS: "1" });
  client = await registerPublicClient(server);
});
afterAll(() => closeWithoutErrors(server));

/** Opens a fresh sign-in page and posts it from `address`. */
async function attempt(email: string, password: string, address: string): Promise<Response> {
  const url = authorizationUrl(server, { client_id: client.client_id, redirect_uri: client.redirect_uris[0], code_challenge: pkcePair().challenge });
  const page = await fetch(url, { headers: { "x-forwarded-for": address } });
  return postForm(`${server.url}/oauth2/authorize`, { form_token: formToken(await page.text()), email, password, action: "allow" }, { "x-forwarded-for": address });
}

/** Moves every failure of the account `seconds` into the past. */
async function elapse(seconds: number): Promise<void> {
  await server.pool.query(`UPDATE sign_in_failures SET last_failure_at = last_failure_at - make_interval(secs => $1)`, [seconds]);
}

describe("throttleDelaySeconds", () => {
  it("lets the free failures through, then doubles from 1 s up to the cap", () => {
    expect([4, 5, 6, 7, 14].map((failures) => throttleDelaySeconds(failures, PER_ADDRESS))).toEqual([0, 1, 2, 4, 512]);
    expect(throttleDelaySeconds(40, PER_ADDRESS)).toBe(15 * 60);
    expect(throttleDelaySeconds(19, PER_ACCOUNT)).toBe(0);
    expect(throttleDelaySeconds(60, PER_ACCOUNT)).toBe(5 * 60);
  });
});

describe("one address guessing one account", () => {
  it("is refused after five failures, with a new form and even with the right password, until the delay passes", async () => {
    await createMember(server, "guessed@example.com");
    for (let i = 0; i < 5; i++) expect((await attempt("guessed@example.com", `guess ${i}`, "198.51.100.1")).status).toBe(401);

    const throttled = await attempt("guessed@example.com", PASSWORD, "198.51.100.1");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("1");
    expect(await throttled.text()).toContain("Too many failed sign-ins for this account");

    await elapse(1);
    expect((await attempt("guessed@example.com", "guess 6", "198.51.100.1")).status).toBe(401);
    const longer = await attempt("guessed@example.com", PASSWORD, "198.51.100.1");
    expect(longer.status).toBe(429);
    expect(longer.headers.get("retry-after")).toBe("2");

    // Another address is not slowed by this one's failures, and its success clears the account.
    expect(redirectParams(await attempt("guessed@example.com", PASSWORD, "203.0.113.9")).get("code")).toBeTruthy();
  });

  it("throttles unknown emails exactly like real ones", async () => {
    for (let i = 0; i < 5; i++) expect((await attempt("nobody-here@example.com", "x", "198.51.100.2")).status).toBe(401);
    expect((await attempt("nobody-here@example.com", "x", "198.51.100.2")).status).toBe(429);
  });

  it("forgets failures a day old", async () => {
    for (let i = 0; i < 6; i++) await attempt("forgotten@example.com", "x", "198.51.100.3");
    expect((await attempt("forgotten@example.com", "x", "198.51.100.3")).status).toBe(429);
    await elapse(24 * 3600 + 1);
    expect((await attempt("forgotten@example.com", "x", "198.51.100.3")).status).toBe(401);
  });
});

describe("many addresses guessing one account", () => {
  it("slow the account down, but not the user's own address", async () => {
    await createMember(server, "targeted@example.com");
    // The user signed in from home before the attack.
    expect(redirectParams(await attempt("targeted@example.com", PASSWORD, "192.0.2.10")).get("code")).toBeTruthy();

    // A botnet: four guesses from each of five addresses stay under every per-address limit.
    for (let bot = 0; bot < 5; bot++) {
      for (let i = 0; i < 4; i++) expect((await attempt("targeted@example.com", `bot ${bot}-${i}`, `198.51.100.${50 + bot}`)).status).toBe(401);
    }
    // Twenty failures on the account: the next guess, from a fresh address, waits.
    expect((await attempt("targeted@example.com", "bot next", "198.51.100.99")).status).toBe(429);
    // The user at home is not locked out.
    expect(redirectParams(await attempt("targeted@example.com", PASSWORD, "192.0.2.10")).get("code")).toBeTruthy();
  });
});

describe("password hashes", () => {
  it("hashes new passwords with scrypt at the configured cost", async () => {
    const { userId } = await createMember(server, "fresh-hash@example.com");
    const { rows } = await server.pool.query("SELECT password_hash FROM users WHERE id = $1", [userId]);
    expect(rows[0].password_hash).toMatch(new RegExp(`^\\$scrypt\\$ln=${server.config.passwordHashCost},r=8,p=1\\$`));
  });

  it("accepts a bcrypt hash from before scrypt and replaces it at sign-in", async () => {
    const { userId } = await createMember(server, "legacy@example.com");
    await server.pool.query("UPDATE users SET password_hash = $1 WHERE id = $2", [await bcrypt.hash(PASSWORD, 4), userId]);
    expect((await attempt("legacy@example.com", "wrong", "198.51.100.7")).status).toBe(401);
    expect(redirectParams(await attempt("legacy@example.com", PASSWORD, "198.51.100.7")).get("code")).toBeTruthy();
    const { rows } = await server.pool.query("SELECT password_hash FROM users WHERE id = $1", [userId]);
    expect(rows[0].password_hash).toMatch(/^\$scrypt\$/);
    // And the new hash works.
    expect(redirectParams(await attempt("legacy@example.com", PASSWORD, "198.51.100.7")).get("code")).toBeTruthy();
  });
});
