// verifyAccessToken against tokens that must not pass, and signing-key rotation. Tokens with chosen
// claims are signed with the server's real private key (read through the same Keyring the server
// uses), so a rejection below is about the claim under test, not about the signature.
import { createHmac, generateKeyPairSync } from "node:crypto";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "../../service/crypto/envelope.js";
import type { OAuth } from "../../service/oauth/index.js";
import { SigningKeys } from "../../service/oauth/signing-keys.js";
import { captureLogger } from "../support/log-capture.js";
import { runScript } from "../support/process.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { authorizationCode, closeWithoutErrors, createMember, exchangeCode, otherInstance, readJson, registerPublicClient, type TokenBody } from "../support/oauth.js";

let server: TestServer;
let verifier: OAuth;
let token: string;
let claims: jwt.JwtPayload;

function signingKeys(): SigningKeys {
  return new SigningKeys(server.pool, new Keyring(server.pool, server.config.encryptionMasterKey!), captureLogger().logger);
}

async function jwks(): Promise<string[]> {
  const set = await readJson<{ keys: { kid: string }[] }>(await fetch(`${server.url}/.well-known/jwks.json`));
  return set.keys.map((key) => key.kid);
}

/** The real token's claims with `changes`, signed by the active key unless told otherwise. */
async function resign(changes: jwt.JwtPayload, options: { header?: Partial<jwt.JwtHeader>; keys?: SigningKeys } = {}): Promise<string> {
  const { kid, privateKey } = await (options.keys ?? signingKeys()).current();
  // An undefined change removes the claim.
  const payload = Object.fromEntries(Object.entries({ ...claims, ...changes }).filter(([, value]) => value !== undefined));
  return jwt.sign(payload, privateKey, { algorithm: "RS256", header: { alg: "RS256", typ: "at+jwt", kid, ...options.header } });
}

beforeAll(async () => {
  server = await startTestServer();
  verifier = otherInstance(server);
  const client = await registerPublicClient(server);
  await createMember(server, "verified@example.com");
  const { code, verifier: codeVerifier } = await authorizationCode(server, client, "verified@example.com");
  token = (await readJson<TokenBody>(await exchangeCode(server, client, code, codeVerifier))).access_token;
  claims = jwt.decode(token) as jwt.JwtPayload;
});
afterAll(() => closeWithoutErrors(server));

describe("verifyAccessToken", () => {
  it("accepts the issued token, and the same claims re-signed by the active key", async () => {
    expect(await verifier.verifyAccessToken(token)).toMatchObject({ userId: claims.sub, via: "oauth" });
    expect(await verifier.verifyAccessToken(await resign({}))).toMatchObject({ userId: claims.sub });
  });

  it.each([
    ["expired", () => ({ exp: Math.floor(Date.now() / 1000) - 5 })],
    ["for another audience", () => ({ aud: "https://other.example/mcp" })],
    ["for the server's origin rather than its MCP URL", () => ({ aud: server.config.publicBaseUrl })],
    ["whose audience list merely includes the MCP URL", () => ({ aud: [server.config.mcpResourceUrl, "https://other.example/api"] })],
    ["from another issuer", () => ({ iss: "https://issuer.example" })],
    ["with a trailing slash on the issuer", () => ({ iss: `${server.config.publicBaseUrl}/` })],
    ["without an expiry", () => ({ exp: undefined })],
    ["for a tenant the user does not belong to", () => ({ tenant_id: "00000000-0000-4000-8000-000000000000" })],
    ["for another user", () => ({ sub: "00000000-0000-4000-8000-000000000001" })],
    ["issued in the future", () => ({ iat: Math.floor(Date.now() / 1000) + 3600 })],
  ])("rejects a token %s", async (_case, changes) => {
    expect(await verifier.verifyAccessToken(await resign(changes()))).toBeUndefined();
  });

  it("rejects a token signed by another key under our kid", async () => {
    const { kid } = await signingKeys().current();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = jwt.sign(claims, privateKey, { algorithm: "RS256", header: { alg: "RS256", typ: "at+jwt", kid } });
    expect(await verifier.verifyAccessToken(forged)).toBeUndefined();
  });

  it("rejects HS256 signed with the public key (algorithm confusion), alg none, and another token type", async () => {
    const { kid } = await signingKeys().current();
    const { rows } = await server.pool.query("SELECT public_key_pem FROM rsa_keypairs WHERE kid = $1", [kid]);
    const hmac = [
      Buffer.from(JSON.stringify({ alg: "HS256", typ: "at+jwt", kid })).toString("base64url"),
      Buffer.from(JSON.stringify(claims)).toString("base64url"),
    ].join(".");
    const confused = `${hmac}.${createHmac("sha256", rows[0].public_key_pem).update(hmac).digest("base64url")}`;
    expect(await verifier.verifyAccessToken(confused)).toBeUndefined();

    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt", kid })).toString("base64url")}.${hmac.split(".")[1]}.`;
    expect(await verifier.verifyAccessToken(none)).toBeUndefined();

    expect(await verifier.verifyAccessToken(await resign({}, { header: { typ: "JWT" } }))).toBeUndefined();
  });

  it("rejects unknown kids and garbage without throwing", async () => {
    expect(await verifier.verifyAccessToken(await resign({}, { header: { kid: "unknown-kid" } }))).toBeUndefined();
    expect(await verifier.verifyAccessToken(await resign({}, { header: { kid: "'; DROP TABLE rsa_keypairs; --" } }))).toBeUndefined();
    for (const garbage of ["", "abc", "a.b.c", `${token}x`, "pk_live_notatoken"]) {
      expect(await verifier.verifyAccessToken(garbage)).toBeUndefined();
    }
  });
});

describe("signing key rotation", () => {
  it("keeps verifying the old key's tokens and publishes both keys until the old one's verify_until", async () => {
    const oldKid = (jwt.decode(token, { complete: true }) as jwt.Jwt).header.kid!;
    // An instance that cached the keys before the rotation (it must look the new kid up).
    const warmed = otherInstance(server);
    expect(await warmed.verifyAccessToken(token)).toBeDefined();

    const { kid: newKid } = await verifier.rotateSigningKey();
    expect(newKid).not.toBe(oldKid);
    expect(await jwks()).toEqual([newKid, oldKid]);
    const { rows } = await server.pool.query(
      "SELECT kid, retired_at IS NOT NULL AS retired, verify_until - retired_at AS grace FROM rsa_keypairs ORDER BY created_at",
    );
    expect(rows).toMatchObject([{ kid: oldKid, retired: true, grace: { hours: 1, minutes: 15 } }, { kid: newKid, retired: false }]);

    const fresh = signingKeys();
    expect((await fresh.current()).kid).toBe(newKid);
    const newToken = await resign({}, { keys: fresh });
    for (const instance of [verifier, warmed, otherInstance(server)]) {
      expect(await instance.verifyAccessToken(token)).toBeDefined();
      expect(await instance.verifyAccessToken(newToken)).toBeDefined();
    }

    // Past verify_until the old key neither verifies nor appears in the JWKS.
    await server.pool.query("UPDATE rsa_keypairs SET verify_until = now() - interval '1 second' WHERE kid = $1", [oldKid]);
    expect(await otherInstance(server).verifyAccessToken(token)).toBeUndefined();
    expect(await jwks()).toEqual([newKid]);
  });

  it("replaces the active key by itself once it is 90 days old", async () => {
    const { kid: before } = await signingKeys().current();
    await server.pool.query("UPDATE rsa_keypairs SET created_at = now() - interval '91 days' WHERE kid = $1", [before]);
    const [a, b] = await Promise.all([signingKeys().current(), signingKeys().current()]);
    expect(a.kid).toBe(b.kid);
    expect(a.kid).not.toBe(before);
    const { rows } = await server.pool.query("SELECT count(*)::int AS n FROM rsa_keypairs WHERE retired_at IS NULL");
    expect(rows[0].n).toBe(1);
    expect(await jwks()).toEqual([a.kid, before]);
    const audit = await server.pool.query("SELECT target, details->>'reason' AS reason FROM audit_events WHERE event_type = 'oauth.signing_key_rotated' ORDER BY id");
    expect(audit.rows.slice(-1)).toEqual([{ target: a.kid, reason: "scheduled" }]);
  });

  it("rotates from the admin CLI, with the same master key as the server", async () => {
    const before = await jwks();
    const run = await runScript("service/entry/admin.ts", ["rotate-signing-key"], {
      DATABASE_URL: server.config.database.url!, TOKEN_ENCRYPTION_KEY: server.config.encryptionMasterKey!.toString("base64"),
    });
    expect(run.code).toBe(0);
    const { kid } = JSON.parse(run.stdout) as { kid: string };
    expect(await jwks()).toEqual([kid, ...before]);
    const rotated = signingKeys();
    expect((await rotated.current()).kid).toBe(kid);
    expect(await verifier.verifyAccessToken(await resign({}, { keys: rotated }))).toBeDefined();
  });
});
