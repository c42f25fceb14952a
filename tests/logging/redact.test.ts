import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { API_KEY_PATTERN as ISSUED_API_KEY } from "../../service/identity/api-keys.js";
import {
  API_KEY_PATTERN,
  describeBody,
  isSensitiveKey,
  redact,
  redactText,
  REDACTED,
} from "../../service/logging/index.js";

const SECRET = "s3cr3t-Value_0123456789";

/** snake_case name -> the spellings callers actually use. */
function spellings(snake: string): string[] {
  const words = snake.split("_");
  const capitalized = words.map((word) => word[0].toUpperCase() + word.slice(1));
  return [
    ...new Set([
      snake,
      words[0] + capitalized.slice(1).join(""), // camelCase
      words.join("-"), // kebab-case
      snake.toUpperCase(), // SCREAMING_SNAKE
      capitalized.join(""), // PascalCase
    ]),
  ];
}

const SENSITIVE_FIELDS = [
  "password",
  "client_secret",
  "access_token",
  "refresh_token",
  "id_token",
  "api_key",
  "secret",
  "private_key",
  "code_verifier",
  "code",
  "token",
  "encryption_key",
  "data_key",
  "master_key",
  "signing_key",
  "password_hash",
  "jwt_secret",
  "session_id",
  "client_assertion",
].flatMap(spellings);

const SENSITIVE_HEADERS = [
  "authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "proxy-authorization",
  "x-auth-token",
  "x-csrf-token",
  "x-goog-iap-jwt-assertion",
  "x-amz-security-token",
].flatMap((name) => [name, name.replace(/(^|-)[a-z]/g, (s) => s.toUpperCase()), name.toUpperCase()]);

// Fields whose names resemble credentials but must stay readable in logs.
const ORDINARY_FIELDS = [
  "statusCode",
  "status_code",
  "zipCode",
  "errorCode",
  "state",
  "token_type",
  "tokenType",
  "expires_in",
  "code_challenge",
  "code_challenge_method",
  "public_key",
  "cacheKey",
  "token_endpoint",
  "secretName",
  "grant_type",
  "client_id",
  "redirect_uri",
  "scope",
];

describe("sensitive fields", () => {
  it.each(SENSITIVE_FIELDS)("redacts body field %s", (name) => {
    expect(isSensitiveKey(name)).toBe(true);
    expect(redact({ [name]: SECRET, kept: "visible" })).toEqual({ [name]: REDACTED, kept: "visible" });
  });

  it.each(SENSITIVE_HEADERS)("redacts header %s inside a nested headers object", (name) => {
    const output = redact({ request: { headers: { [name]: SECRET, accept: "application/json" } } });
    expect(output).toEqual({ request: { headers: { [name]: REDACTED, accept: "application/json" } } });
  });

  it.each(ORDINARY_FIELDS)("keeps ordinary field %s", (name) => {
    expect(isSensitiveKey(name)).toBe(false);
    expect(redact({ [name]: "plain" })).toEqual({ [name]: "plain" });
  });

  it("redacts non-string credentials (numbers, objects, arrays) as a whole", () => {
    const output = redact({ code: 123456, credentials: { user: "pierre", pass: SECRET }, tokens: [SECRET] });
    expect(output).toEqual({ code: REDACTED, credentials: REDACTED, tokens: REDACTED });
  });

  it("keeps null, undefined and booleans: they only say whether a credential exists", () => {
    expect(redact({ refresh_token: null, access_token: undefined, hasPassword: true })).toEqual({
      refresh_token: null,
      access_token: undefined,
      hasPassword: true,
    });
  });
});

const JWT =
  "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
const UNSIGNED_JWT = "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.";
const JWE =
  "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A.XFBoMYUZodetZdvTiFvSkQ";
const API_KEY = "pk_live_4eC39HqLyjWDarjtT1zdp7dc";

describe("credentials inside strings", () => {
  it.each([
    ["Bearer token", `Authorization: Bearer ${SECRET}.abc~+/==`, `Authorization: Bearer ${REDACTED}`],
    ["lower-case bearer", `sent bearer ${SECRET} upstream`, `sent bearer ${REDACTED} upstream`],
    ["JWT in a sentence", `token ${JWT} rejected`, `token ${REDACTED} rejected`],
    ["unsigned JWT", `got ${UNSIGNED_JWT} from client`, `got ${REDACTED} from client`],
    ["JWE (five segments)", `id_token=${JWE}`, `id_token=${REDACTED}`],
    ["JWT glued to other text", `cookie:session${JWT};`, `cookie:session${REDACTED};`],
    ["live API key", `key ${API_KEY} used`, `key ${REDACTED} used`],
    ["test API key after underscore", "key my_pk_test_ABCDEFGHIJKLMNOPQRST", `key my_${REDACTED}`],
    [
      "password in a URL",
      "connecting to postgres://pierre:hunter2@10.0.0.3:5432/pierre",
      `connecting to postgres://pierre:${REDACTED}@10.0.0.3:5432/pierre`,
    ],
    [
      "credential query parameters",
      "GET /oauth/callback?code=4/0AbCd&state=xyz&access_token=at1&api_key=k1&client_secret=cs&code_verifier=cv",
      `GET /oauth/callback?code=${REDACTED}&state=xyz&access_token=${REDACTED}&api_key=${REDACTED}&client_secret=${REDACTED}&code_verifier=${REDACTED}`,
    ],
    [
      "form body quoted in an error",
      "token exchange failed: grant_type=refresh_token&refresh_token=rt-123&client_id=42",
      `token exchange failed: grant_type=refresh_token&refresh_token=${REDACTED}&client_id=42`,
    ],
    [
      "JSON text embedded in a string",
      'body {"client_id":"pierre","client_secret":"cs-1","accessToken" : "at-2"}',
      `body {"client_id":"pierre","client_secret":"${REDACTED}","accessToken" : "${REDACTED}"}`,
    ],
  ])("%s", (_case, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each([
    "GET /v1/activities?limit=20&state=xyz 200",
    "strava responded 429 from api.strava.com after 1.2.3 retries",
    "Bearer-less text about tokens and secrets",
    "order id=42, status=ok",
  ])("leaves ordinary text alone: %s", (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe("emails", () => {
  it.each([
    ["john.doe@example.com", "j***@e***.com"],
    ["a@b.co", "a***@b***.co"],
    ["first.last+tag@mail.example.co.uk", "f***@m***.uk"],
    ["Contact: Jane_Roe@Sub.Domain.ORG.", "Contact: J***@S***.ORG."],
    ["two: x@y.io, z@w.dev", "two: x***@y***.io, z***@w***.dev"],
  ])("masks %s", (input, expected) => {
    expect(redactText(input)).toBe(expected);
    // Masking twice changes nothing: safe when already-redacted text is logged again.
    expect(redactText(expected)).toBe(expected);
  });

  it("masks emails in metadata values at any depth", () => {
    expect(redact({ users: [{ email: "john.doe@example.com" }] })).toEqual({ users: [{ email: "j***@e***.com" }] });
  });
});

describe("structures", () => {
  it("walks nested objects and arrays", () => {
    const input = { a: { b: [{ c: { password: SECRET } }, `Bearer ${SECRET}`, [[{ apiKey: SECRET }]]] } };
    expect(redact(input)).toEqual({
      a: { b: [{ c: { password: REDACTED } }, `Bearer ${REDACTED}`, [[{ apiKey: REDACTED }]]] },
    });
  });

  it("serializes Errors with name, message, stack, cause and own fields, all redacted; keeps code", () => {
    const cause = new Error(`refresh failed for ${JWT}`);
    const error = Object.assign(new Error(`upstream said Bearer ${SECRET}`, { cause }), {
      code: "ECONNRESET",
      response: { status: 401, headers: { authorization: `Bearer ${SECRET}` } },
    });
    const output = redact({ error }) as { error: Record<string, unknown> };
    expect(output.error).toMatchObject({
      name: "Error",
      message: `upstream said Bearer ${REDACTED}`,
      code: "ECONNRESET",
      response: { status: 401, headers: { authorization: REDACTED } },
      cause: { name: "Error", message: `refresh failed for ${REDACTED}` },
    });
    expect(output.error.stack).toMatch(new RegExp(`^Error: upstream said Bearer \\[REDACTED\\]\\n\\s+at `));
    expect(JSON.stringify(output)).not.toContain(SECRET);
    expect(JSON.stringify(output)).not.toContain(JWT);
    // The caller's error is untouched.
    expect(error.message).toBe(`upstream said Bearer ${SECRET}`);
  });

  it("serializes the errors of an AggregateError", () => {
    const output = redact(new AggregateError([new Error(`a ${API_KEY}`)], "all failed")) as Record<string, unknown>;
    expect(output).toMatchObject({ name: "AggregateError", message: "all failed", errors: [{ message: `a ${REDACTED}` }] });
  });

  it("replaces cycles and keeps shared (non-cyclic) references", () => {
    const shared = { id: 1 };
    const node: Record<string, unknown> = { shared, again: shared, list: [] as unknown[] };
    node.self = node;
    (node.list as unknown[]).push(node.list, node);
    const error = new Error("loop");
    error.cause = error;

    const output = redact({ node, error }) as { node: Record<string, unknown>; error: Record<string, unknown> };
    expect(output.node).toEqual({
      shared: { id: 1 },
      again: { id: 1 },
      list: ["[Circular]", "[Circular]"],
      self: "[Circular]",
    });
    expect(output.error.cause).toBe("[Circular]");
    expect(() => JSON.stringify(output)).not.toThrow();
  });

  it("never modifies the caller's objects, even frozen ones", () => {
    const input = Object.freeze({
      headers: Object.freeze({ authorization: `Bearer ${SECRET}` }),
      list: Object.freeze([Object.freeze({ token: SECRET })]),
      note: "mail john@example.com",
    });
    const before = structuredClone(input);
    const output = redact(input);
    expect(input).toEqual(before);
    expect(output).not.toBe(input);
    expect(output).toEqual({ headers: { authorization: REDACTED }, list: [{ token: REDACTED }], note: "mail j***@e***.com" });
  });

  it("makes values JSON-safe: bigint, Map, Set, Date, URL, binary, functions", () => {
    const output = redact({
      big: 12345678901234567890n,
      map: new Map<string, unknown>([["client_secret", SECRET], ["region", "eu"]]),
      set: new Set([`Bearer ${SECRET}`]),
      at: new Date(Date.UTC(2026, 0, 2)),
      callback: new URL("https://pierre.test/cb?access_token=at-1&x=1"),
      key: Buffer.from("raw key material"),
      handler: () => SECRET,
    });
    expect(output).toEqual({
      big: "12345678901234567890",
      map: { client_secret: REDACTED, region: "eu" },
      set: [`Bearer ${REDACTED}`],
      at: "2026-01-02T00:00:00.000Z",
      callback: `https://pierre.test/cb?access_token=${REDACTED}&x=1`,
      key: "[16 bytes]",
      handler: undefined,
    });
  });

  it("cuts off very deep structures", () => {
    let deep: Record<string, unknown> = { password: SECRET };
    for (let level = 0; level < 20; level += 1) deep = { next: deep };
    const text = JSON.stringify(redact(deep));
    expect(text).toContain('"[Truncated]"');
    expect(text).not.toContain(SECRET);
  });

  it("treats a __proto__ key as data, not as the copy's prototype", () => {
    const input = JSON.parse(`{"__proto__": {"password": "${SECRET}"}}`) as object;
    const output = redact(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(output, "__proto__")?.value).toEqual({ password: REDACTED });
  });
});

describe("describeBody", () => {
  it.each([
    ["a UTF-8 string", "héllo", 6],
    ["bytes", new Uint8Array(42), 42],
    ["an ArrayBuffer", new ArrayBuffer(7), 7],
    ["no body", null, 0],
  ])("describes %s by its size only", (_case, body, bytes) => {
    expect(describeBody(body)).toEqual({ bytes });
  });
});

describe("API_KEY_PATTERN", () => {
  it("is shareable: not global, and validates a whole key when anchored", () => {
    expect(API_KEY_PATTERN.global).toBe(false);
    const wholeKey = new RegExp(`^${API_KEY_PATTERN.source}$`);
    expect(wholeKey.test(API_KEY)).toBe(true);
    expect(wholeKey.test("pk_test_ABCDEFGHIJKLMNOPQRST")).toBe(true);
    expect(wholeKey.test("pk_live_short")).toBe(false);
    expect(wholeKey.test("sk_live_4eC39HqLyjWDarjtT1zdp7dc")).toBe(false);
  });

  it("removes keys in the format the API-key module issues, but not their visible prefix", () => {
    for (let sample = 0; sample < 20; sample += 1) {
      const prefix = `pk_live_${randomBytes(6).toString("base64url").replace(/[-_]/g, "0")}`;
      const key = `${prefix}_${randomBytes(32).toString("base64url")}`;
      expect(ISSUED_API_KEY.test(key)).toBe(true);
      expect(redactText(`X-API-Key was ${key}.`)).toBe(`X-API-Key was ${REDACTED}.`);
      // The 16-character prefix identifies a key (admin revoke-api-key) and is not a secret.
      expect(redactText(`revoked ${prefix}`)).toBe(`revoked ${prefix}`);
    }
  });
});
