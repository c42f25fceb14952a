// Log redaction. `redact()` returns a JSON-safe copy of any value with credentials removed and
// emails masked; the logger runs it as a winston format on every entry, so no call site can skip it.
// Pure module (no winston import). API_KEY_PATTERN here finds keys inside free text and is deliberately
// broader than the issued format (identity/api-keys.ts); tests/logging checks it covers issued keys.

export const REDACTED = "[REDACTED]";

/**
 * Shape of a Pierre API key: `pk_live_` or `pk_test_` followed by at least 16 URL-safe characters.
 * Deliberately not global (no shared `lastIndex` state); validate a whole key with
 * `new RegExp(`^${API_KEY_PATTERN.source}$`)`.
 */
export const API_KEY_PATTERN = /pk_(?:live|test)_[A-Za-z0-9_-]{16,}/;

// A field is sensitive when its name, lower-cased with separators removed (so clientSecret,
// client_secret, client-secret and CLIENT_SECRET are all "clientsecret"):
// - is an exact short name that is only sensitive on its own (`code` is the OAuth authorization code,
//   while statusCode or zipCode are not),
// - ends with a credential word (access_token, x-api-key, set-cookie, proxy-authorization, dataKey...),
// - or contains a word that is sensitive wherever it appears (passwordHash, privateKeyPem).
const SENSITIVE_NAME =
  /^(?:code|authcode|authorizationcode|pwd|sessionid|kek|dek)$|(?:tokens?|secrets?|cookies?|authorization|credentials?|assertion|verifier|(?:api|private|secret|encryption|signing|master|data|hmac)keys?)$|passw(?:or)?d|passphrase|privatekey/;

// Keys are nearly always our own field names, a few dozen that repeat on every line: the answer is kept
// per key (bounded, for the rare log of an object with caller-chosen keys).
const sensitiveKeys = new Map<string, boolean>();
const SENSITIVE_KEYS_KEPT = 1000;

export function isSensitiveKey(key: string): boolean {
  let sensitive = sensitiveKeys.get(key);
  if (sensitive === undefined) {
    sensitive = SENSITIVE_NAME.test(key.toLowerCase().replace(/[^a-z0-9]/g, ""));
    if (sensitiveKeys.size >= SENSITIVE_KEYS_KEPT) sensitiveKeys.clear();
    sensitiveKeys.set(key, sensitive);
  }
  return sensitive;
}

type Replacement = string | ((match: string, ...groups: string[]) => string);

// Applied in order to every string. Patterns that scan a run of characters start only at the run's
// beginning (lookbehind) and are bounded, so a large logged blob costs linear time, not quadratic.
// Each rule names what every match of it contains (`needs`, case-insensitively): a string with none of
// those (most of a log line: methods, paths, ids, addresses, latencies) skips the rules with one test.
const TEXT_RULES: ReadonlyArray<{ needs: string; pattern: RegExp; replacement: Replacement }> = [
  // "Bearer <token>" anywhere (headers copied into messages, error texts).
  { needs: "bearer", pattern: /(\bBearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, replacement: `$1${REDACTED}` },
  // JWT-shaped: a base64url JSON header ("eyJ" = '{"') then 2 (JWS) to 4 (JWE) more segments.
  { needs: "eyJ", pattern: /eyJ[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_-]*){2,4}/g, replacement: REDACTED },
  { needs: "pk_", pattern: new RegExp(API_KEY_PATTERN.source, "g"), replacement: REDACTED },
  // Password in a URL's user-info: postgres://user:password@host/db
  { needs: "@", pattern: /(\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/?#@]{0,128}:)[^\s/?#@]{1,256}@/gi, replacement: `$1${REDACTED}@` },
  // name=value pairs: query strings, form bodies, cookies, connection strings.
  {
    needs: "=",
    pattern: /(?<![\w.-])([A-Za-z][\w.-]{0,127})=([^\s&#"',;]+)/g,
    replacement: (match, name) => (isSensitiveKey(name) ? `${name}=${REDACTED}` : match),
  },
  // "name": "value" pairs of JSON text embedded in a string.
  {
    needs: '"',
    pattern: /"([^"\\\s]{1,64})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g,
    replacement: (match, name, separator) => (isSensitiveKey(name) ? `"${name}"${separator}"${REDACTED}"` : match),
  },
  // john.doe@example.com -> j***@e***.com
  {
    needs: "@",
    pattern: /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{0,63}@([A-Za-z0-9])[A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.([A-Za-z]{2,63})\b/g,
    replacement: (_match, localFirst, domainFirst, topLevel) => `${localFirst}***@${domainFirst}***.${topLevel}`,
  },
];

const NEEDED_BY_SOME_RULE = new RegExp(TEXT_RULES.map(({ needs }) => escapeRegExp(needs)).join("|"), "i");

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function redactText(text: string): string {
  if (!NEEDED_BY_SOME_RULE.test(text)) return text;
  let result = text;
  for (const { pattern, replacement } of TEXT_RULES) {
    // The two overloads of replace() cannot be chosen from a union type.
    result = result.replace(pattern, replacement as string);
  }
  return result;
}

// Deeper structures are cut off: a log line is not the place for a whole request object.
const MAX_DEPTH = 10;
const CIRCULAR = "[Circular]";
const TOO_DEEP = "[Truncated]";

/**
 * Returns a redacted, JSON-safe copy of `value`; the input is never modified.
 * - Fields with a sensitive name (see isSensitiveKey) become "[REDACTED]"; null, undefined and
 *   booleans are kept because they only tell whether a credential is present.
 * - Every string, at any depth, goes through redactText (Bearer tokens, JWTs, API keys, URL
 *   passwords, sensitive name=value pairs, emails). Object keys are kept as they are.
 * - Errors become { name, message, stack, code?, cause?, ...own fields }; their `code`
 *   (ECONNRESET, 23505) is a diagnostic, not an OAuth code, so it is kept.
 * - Cycles become "[Circular]"; binary data becomes "[N bytes]"; bigint becomes a string;
 *   Map, Set and objects with toJSON (Date, URL) are converted first.
 */
export function redact(value: unknown): unknown {
  return redactValue(value, new WeakSet(), 0);
}

/** Describes a provider response body by its size only: its content may hold tokens or personal data. */
export function describeBody(body: string | ArrayBuffer | ArrayBufferView | null | undefined): {
  bytes: number;
} {
  if (body === null || body === undefined) return { bytes: 0 };
  if (typeof body === "string") return { bytes: Buffer.byteLength(body, "utf8") };
  return { bytes: body.byteLength };
}

function redactValue(value: unknown, ancestors: WeakSet<object>, depth: number): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (value === null || typeof value !== "object") return value;
  if (ancestors.has(value)) return CIRCULAR;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;

  // Only the objects on the current path count as seen: a value shared by two siblings is not a cycle.
  ancestors.add(value);
  try {
    if (value instanceof Error) return redactError(value, ancestors, depth);
    if (Array.isArray(value) || value instanceof Set) {
      return Array.from(value, (item) => redactValue(item, ancestors, depth + 1));
    }
    if (value instanceof Map) return redactFields(Object.fromEntries(value), ancestors, depth);
    if (hasToJSON(value)) return redactValue(value.toJSON(), ancestors, depth + 1);
    return redactFields(value, ancestors, depth);
  } finally {
    ancestors.delete(value);
  }
}

function redactFields(source: object, ancestors: WeakSet<object>, depth: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const field = (source as Record<string, unknown>)[key];
    setField(copy, key, isSensitiveKey(key) && !revealsOnlyPresence(field) ? REDACTED : redactValue(field, ancestors, depth + 1));
  }
  return copy;
}

/**
 * `target[key] = value`, except that a "__proto__" key is defined as data instead of replacing the
 * target's prototype. Assignment because every log line copies its fields twice (here and in the Cloud
 * Logging entry): with Object.fromEntries and Object.defineProperty instead, `npm run bench:log-line`
 * gave 14.8-15.8 us per access line against 10.3-11.4 us (3 runs each, back to back).
 */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function redactError(error: Error, ancestors: WeakSet<object>, depth: number): Record<string, unknown> {
  // message, stack and cause are own but non-enumerable, so the spread alone would drop them.
  const { code, ...fields } = { ...error } as Record<string, unknown>;
  const source: Record<string, unknown> = { name: error.name, message: error.message, ...fields };
  if (error.cause !== undefined) source.cause = error.cause;
  if (error instanceof AggregateError) source.errors = error.errors;
  source.stack = error.stack;
  const redacted = redactFields(source, ancestors, depth);
  return code === undefined ? redacted : { ...redacted, code: redactValue(code, ancestors, depth + 1) };
}

function revealsOnlyPresence(value: unknown): boolean {
  return value === null || value === undefined || typeof value === "boolean";
}

function hasToJSON(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === "function";
}
