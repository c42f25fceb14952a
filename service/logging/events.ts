// The structured events Pierre writes, named once. The service writes them through emitEvent (and the
// typed helpers below it); the monitoring stack (stacks/log-metrics.ts) imports EVENTS to declare one
// log-based counter per event, with the event's label fields as metric labels, and one latency
// distribution per value field. A renamed event or field changes both sides at once, and
// tests/observability/events-contract.test.ts checks the lines really written against the metrics'
// filters and extractors.
//
// Labels become Cloud Monitoring label values, so each is bounded and chosen by our code, never by a
// caller: enums, names from our own catalogs (tools, endpoint kinds), tenant ids only as one of
// TENANT_BUCKET_COUNT hash buckets. Values (durations) become distributions. Details stay in the log
// entry only. Nothing here may hold a secret: field values pass the logger's redactor anyway.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { LogLevel } from "./logger.js";

/** Third-party APIs Pierre calls. */
export const EXTERNAL_PROVIDERS = ["strava", "garmin", "fitbit", "openweather", "usda"] as const;
export type ExternalProvider = (typeof EXTERNAL_PROVIDERS)[number];

/** How a request's credential was verified: from the per-instance cache, against the database, or not at all. */
export const CREDENTIAL_CACHE_OUTCOMES = ["hit", "miss", "none"] as const;
export type CredentialCacheOutcome = (typeof CREDENTIAL_CACHE_OUTCOMES)[number];

/** A status class per HTTP status; "none" when no response came back (timeout, connection error). */
export const STATUS_CLASSES = ["2xx", "3xx", "4xx", "5xx", "none"] as const;

/** Why an outbound call counts as failed: the provider is down or refusing us, not our request's content. */
export const EXTERNAL_FAILURES = ["timeout", "network", "rate_limited", "server_error"] as const;
export type ExternalFailure = (typeof EXTERNAL_FAILURES)[number];

/** audit_events.event_type values; each is also logged as a security_event. */
export const SECURITY_EVENT_TYPES = [
  "oauth.client_registered",
  /** The user signed in and consented: an OAuth grant. */
  "oauth.login_succeeded",
  "oauth.login_failed",
  /** details.reason: client_revocation, refresh_token_reuse or code_reuse (the last two are attacks or bugs). */
  "oauth.token_family_revoked",
  "oauth.signing_key_rotated",
  "api_key.created",
  "api_key.revoked",
  /** Written by the provider connection flows. */
  "provider.connected",
  "provider.disconnected",
  /** Every admin CLI command that changes something; details.command names it. */
  "admin.command",
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** The JSON-RPC methods of A2A 1.0 (the a2a_request event's method label). */
export const A2A_METHODS = [
  "SendMessage",
  "SendStreamingMessage",
  "GetTask",
  "ListTasks",
  "CancelTask",
  "SubscribeToTask",
  "CreateTaskPushNotificationConfig",
  "GetTaskPushNotificationConfig",
  "ListTaskPushNotificationConfigs",
  "DeleteTaskPushNotificationConfig",
  "GetExtendedAgentCard",
] as const;

/** Enough buckets to see one tenant dominate traffic, few enough to keep label cardinality flat. */
export const TENANT_BUCKET_COUNT = 16;
export const TENANT_BUCKETS = Array.from({ length: TENANT_BUCKET_COUNT }, (_, index) => `t${String(index).padStart(2, "0")}`) as [
  string,
  ...string[],
];

/** The tenant's label value: a stable hash bucket, so a dashboard can show skew without naming tenants. */
export function tenantBucket(tenantId: string): string {
  const hash = createHash("sha256").update(tenantId).digest();
  return TENANT_BUCKETS[hash.readUInt32BE(0) % TENANT_BUCKET_COUNT];
}

// Code-chosen names (endpoint kinds, tool names, SQL pool names): short snake_case, so a bug that puts
// user data there fails the contract test instead of growing a metric's cardinality.
// snake_case names, dotted where a client groups them (e.g. "activities.list").
const codeName = z.string().regex(/^[a-z][a-z0-9_.]{0,39}$/);
const milliseconds = z.number().nonnegative();

interface EventSpec<Shape extends z.ZodRawShape> {
  level: LogLevel;
  description: string;
  fields: z.ZodObject<Shape>;
  /** Fields that become metric labels (bounded strings). */
  labels: readonly LabelKey<Shape>[];
  /** Numeric fields that become distributions (always milliseconds). */
  values: readonly ValueKey<Shape>[];
}
type LabelKey<Shape extends z.ZodRawShape> = { [K in keyof Shape]: Shape[K] extends z.ZodEnum | z.ZodString ? K : never }[keyof Shape] & string;
type ValueKey<Shape extends z.ZodRawShape> = { [K in keyof Shape]: Shape[K] extends z.ZodNumber ? K : never }[keyof Shape] & string;

function defineEvent<Shape extends z.ZodRawShape>(spec: EventSpec<Shape>): EventSpec<Shape> {
  return spec;
}

const externalCall = {
  provider: z.enum(EXTERNAL_PROVIDERS),
  endpointKind: codeName,
  statusClass: z.enum(STATUS_CLASSES),
  /** The HTTP status, null when no response came back. */
  status: z.number().int().nullable(),
  latencyMs: milliseconds,
};

export const EVENTS = {
  external_api_call: defineEvent({
    level: "info",
    description: "Every call to a third-party API, failed or not (the denominator of the failure rate)",
    fields: z.strictObject(externalCall),
    labels: ["provider", "endpointKind", "statusClass"],
    values: ["latencyMs"],
  }),
  external_api_error: defineEvent({
    level: "warn",
    description: "A failed call to a third-party API (timeout, network error, 429 or 5xx), besides its external_api_call",
    fields: z.strictObject({ ...externalCall, failure: z.enum(EXTERNAL_FAILURES) }),
    labels: ["provider", "endpointKind", "failure"],
    values: [],
  }),
  provider_token_refresh: defineEvent({
    level: "info",
    description: "A provider OAuth token refresh: refreshed, revoked by the user, or failed",
    fields: z.strictObject({
      provider: z.enum(EXTERNAL_PROVIDERS),
      outcome: z.enum(["refreshed", "revoked", "failed"]),
      tenantBucket: z.enum(TENANT_BUCKETS),
      latencyMs: milliseconds,
    }),
    labels: ["provider", "outcome", "tenantBucket"],
    values: ["latencyMs"],
  }),
  db_slow_query: defineEvent({
    level: "warn",
    description: `A SQL statement that took longer than the slow-query threshold`,
    fields: z.strictObject({
      pool: codeName,
      durationMs: milliseconds,
      /** The statement's text, shortened (statements are parameterized, so it holds no values). */
      statement: z.string().max(200),
    }),
    labels: ["pool"],
    values: ["durationMs"],
  }),
  rate_limited: defineEvent({
    level: "warn",
    description: "A request refused with 429 by a rate limit",
    fields: z.strictObject({
      scope: z.enum(["api_key", "user", "tenant", "ip"]),
      window: z.enum(["minute", "month"]),
    }),
    labels: ["scope", "window"],
    values: [],
  }),
  auth_failure: defineEvent({
    level: "warn",
    description: "A credential or password that did not verify",
    fields: z.strictObject({
      surface: z.enum(["mcp", "a2a", "oauth_sign_in"]),
      reason: z.enum(["invalid_credential", "bad_password"]),
      /** The OAuth client the sign-in was for. */
      clientId: z.string().max(300).optional(),
      /** Failed sign-ins so far in this authorization request. */
      attempts: z.number().int().optional(),
    }),
    labels: ["surface", "reason"],
    values: [],
  }),
  security_event: defineEvent({
    level: "notice",
    description: "An audit trail entry (also written to audit_events)",
    fields: z.strictObject({
      type: z.enum(SECURITY_EVENT_TYPES),
      tenantBucket: z.enum([...TENANT_BUCKETS, "none"]),
      /** What the event is about: a client id, token family id, key id or key prefix; never a secret. */
      target: z.string().max(200).nullable(),
    }),
    labels: ["type", "tenantBucket"],
    values: [],
  }),
  tool_call: defineEvent({
    level: "info",
    description: "One MCP tools/call, with the tool's outcome",
    fields: z.strictObject({
      /** A catalog tool name, or "unknown" (never the name a client sent). */
      tool: codeName,
      outcome: z.enum(["ok", "error", "unknown_tool", "internal_error", "unavailable"]),
      tenantBucket: z.enum(TENANT_BUCKETS),
      authMethod: z.enum(["oauth", "api_key"]),
      durationMs: milliseconds,
    }),
    labels: ["tool", "outcome", "tenantBucket", "authMethod"],
    values: ["durationMs"],
  }),
  a2a_request: defineEvent({
    level: "info",
    description: "One A2A JSON-RPC request (POST /a2a), with the skill a message asked for and the outcome",
    fields: z.strictObject({
      /** An A2A method name, or "unknown" (never the name a client sent). */
      method: z.enum([...A2A_METHODS, "unknown"]),
      /** A catalog skill id, or "none" (not a message, or no known skill named). */
      skill: codeName,
      outcome: z.enum(["ok", "protocol_error", "unauthenticated", "rate_limited", "internal_error"]),
      tenantBucket: z.enum([...TENANT_BUCKETS, "none"]),
      durationMs: milliseconds,
    }),
    labels: ["method", "skill", "outcome", "tenantBucket"],
    values: ["durationMs"],
  }),
  http_request: defineEvent({
    level: "info",
    description: "The access log line of one HTTP request (written by accessLog with the request's own severity)",
    fields: z.strictObject({
      route: z.enum(["mcp", "a2a", "oauth", "discovery", "health", "other"]),
      statusClass: z.enum(STATUS_CLASSES),
      /**
       * Whether the request's credential was verified from the in-process cache (mcp/credential-cache.ts) or
       * against the database; "none" when nothing was authenticated. On the access line rather than a line
       * of its own: a third line per /mcp request cost about 27 us, some 6% of whoami's CPU (bench/profile.ts).
       */
      credentialCache: z.enum(CREDENTIAL_CACHE_OUTCOMES),
      latencyMs: milliseconds,
    }),
    labels: ["route", "statusClass", "credentialCache"],
    values: ["latencyMs"],
  }),
};

/** An event's definition with its field names as plain strings (what the monitoring stack reads). */
export interface EventDefinition {
  level: LogLevel;
  description: string;
  fields: z.ZodObject;
  labels: readonly string[];
  values: readonly string[];
}

export type EventName = keyof typeof EVENTS;

export function eventDefinition(event: EventName): EventDefinition {
  return EVENTS[event] as EventDefinition;
}

export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];
export type EventFields<E extends EventName> = z.input<(typeof EVENTS)[E]["fields"]>;

/** Every entry's key for the event name: `jsonPayload.event` in Cloud Logging. */
export const EVENT_KEY = "event";

/** The one method of the service's logger (winston) that events need. */
export interface EventLog {
  log(level: LogLevel, message: string, meta: Record<string, unknown>): unknown;
}

/** The log entry fields of an event, for a caller that writes the line itself (accessLog). */
export function eventFields<E extends EventName>(event: E, fields: EventFields<E>): Record<string, unknown> {
  return { [EVENT_KEY]: event, ...fields };
}

/** Writes one event at its level; the message repeats the event and its labels for a human reader. */
export function emitEvent<E extends EventName>(log: EventLog, event: E, fields: EventFields<E>): void {
  const spec = eventDefinition(event);
  const values = fields as Record<string, unknown>;
  const summary = spec.labels.map((label) => `${label}=${String(values[label])}`).join(" ");
  log.log(spec.level, `${event} ${summary}`, eventFields(event, fields));
}

/** What an outbound client reports for one call; `status` is undefined when no response came back. */
export interface ExternalCall {
  provider: ExternalProvider;
  /** The client's own name for the endpoint, e.g. "activities" or "token"; snake_case, never a URL. */
  endpointKind: string;
  status?: number;
  latencyMs: number;
  /** Set when no response came back. */
  transportError?: "timeout" | "network";
}

/**
 * external_api_call for every outbound call, and external_api_error as well when it failed. Two lines
 * for a failure because a Cloud Monitoring ratio takes one metric type per side: failures over all calls.
 */
export function emitExternalApiCall(log: EventLog, call: ExternalCall): void {
  const { provider, endpointKind, latencyMs } = call;
  const fields = { provider, endpointKind, statusClass: statusClassOf(call.status), status: call.status ?? null, latencyMs };
  emitEvent(log, "external_api_call", fields);
  const failure = externalFailure(call);
  if (failure) emitEvent(log, "external_api_error", { ...fields, failure });
}

function externalFailure(call: ExternalCall): ExternalFailure | undefined {
  if (call.status === undefined) return call.transportError ?? "network";
  if (call.status === 429) return "rate_limited";
  return call.status >= 500 ? "server_error" : undefined;
}

export function statusClassOf(status: number | undefined): (typeof STATUS_CLASSES)[number] {
  if (status === undefined || status < 200 || status > 599) return "none";
  return `${Math.floor(status / 100)}xx` as (typeof STATUS_CLASSES)[number];
}

/** The security_event line of an audit trail entry; the tenant appears only as its bucket. */
export function emitSecurityEvent(log: EventLog, entry: { type: SecurityEventType; tenantId?: string | null; target?: string | null }): void {
  emitEvent(log, "security_event", {
    type: entry.type,
    tenantBucket: entry.tenantId ? tenantBucket(entry.tenantId) : "none",
    target: entry.target ?? null,
  });
}

/** The http_request event's route label: the service's few areas, never the raw path. */
export function httpRoute(path: string): EventFields<"http_request">["route"] {
  if (path === "/mcp") return "mcp";
  if (path === "/a2a") return "a2a";
  if (path.startsWith("/oauth2/")) return "oauth";
  if (path.startsWith("/.well-known/")) return "discovery";
  if (path === "/health" || path === "/ready") return "health";
  return "other";
}
