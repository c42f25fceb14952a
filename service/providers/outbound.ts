// The one way provider clients talk HTTP: a timeout on every call, bounded retries with jitter for idempotent
// calls, the error taxonomy of ./errors.ts, and one observer event per attempt. Nothing here logs: the
// observer receives sizes and timings only, so no token, body or query string can reach a log through it.
import type { z } from "zod";
import {
  AccessTokenRejectedError,
  BadResponseError,
  type ProviderError,
  type UpstreamId,
  RateLimitedError,
  UpstreamUnavailableError,
} from "./errors.js";
import type { RateLimitState } from "./types.js";

export interface OutboundCall {
  provider: UpstreamId;
  endpointKind: string;
  /** null when no response arrived (timeout, connection refused). */
  status: number | null;
  latencyMs: number;
  ok: boolean;
  responseBytes: number;
}

export type OutboundObserver = (call: OutboundCall) => void;

/** Injected so tests control time and randomness and never really sleep. */
export interface OutboundDeps {
  fetch: typeof globalThis.fetch;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  observer: OutboundObserver;
  /**
   * Called with the quota state after every response whose headers describe it, and after every 429 (then
   * with `blockedUntil`), so the caller can share it across instances.
   */
  onRateLimit: (state: RateLimitState) => void;
}

export const realOutboundDeps = (overrides: Partial<OutboundDeps> = {}): OutboundDeps => ({
  fetch: globalThis.fetch,
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  observer: () => {},
  onRateLimit: () => {},
  ...overrides,
});

export interface RetryPolicy {
  /** Total attempts for an idempotent call, first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Longest single wait; a 429 asking for longer is surfaced as RateLimitedError instead of waited out. */
  maxDelayMs: number;
  timeoutMs: number;
  /** Wait assumed when a 429 says neither Retry-After nor anything the profile can read. */
  defaultRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  timeoutMs: 10_000,
  defaultRetryAfterMs: 60_000,
};

export interface FailedResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null when the body is empty or not JSON. Read for classification, never logged. */
  body: unknown;
  endpointKind: string;
}

/** What differs between providers at the HTTP level. */
export interface ProviderHttpProfile {
  provider: UpstreamId;
  /** Whether the provider's terms allow retrying a 429 after its Retry-After (Strava's windows do not reset soon). */
  retryRateLimited: boolean;
  parseRateLimit(headers: Headers, now: Date): RateLimitState | null;
  /** Provider-specific reading of a non-2xx answer; undefined falls back to the default mapping. */
  classify(response: FailedResponse, now: Date): ProviderError | undefined;
}

export interface OutboundRequest<T> {
  endpointKind: string;
  method: "GET" | "POST" | "DELETE";
  url: URL;
  bearer?: string;
  headers?: Record<string, string>;
  form?: URLSearchParams;
  /** Retried on 5xx, timeouts and (where allowed) 429. Token exchanges and refreshes must say false. */
  idempotent: boolean;
  /** null: the body is not read into a value (revoke, deauthorize). */
  schema: z.ZodType<T> | null;
}

export interface Outbound {
  readonly provider: UpstreamId;
  send<T>(request: OutboundRequest<T>): Promise<T>;
}

export function createOutbound(
  profile: ProviderHttpProfile,
  deps: OutboundDeps,
  policy = DEFAULT_RETRY_POLICY,
): Outbound {
  const { provider } = profile;

  type Attempt =
    | { error: ProviderError }
    | { error?: undefined; response: Response; bytes: Uint8Array; rateLimit: RateLimitState | null };

  async function attempt(request: OutboundRequest<unknown>): Promise<Attempt> {
    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    if (request.bearer) headers.authorization = `Bearer ${request.bearer}`;
    if (request.form) headers["content-type"] = "application/x-www-form-urlencoded";
    const started = deps.now();
    const report = (status: number | null, ok: boolean, responseBytes: number) =>
      deps.observer({
        provider,
        endpointKind: request.endpointKind,
        status,
        latencyMs: deps.now() - started,
        ok,
        responseBytes,
      });
    let response: Response;
    let bytes: Uint8Array;
    try {
      response = await deps.fetch(request.url, {
        method: request.method,
        headers,
        body: request.form?.toString(),
        redirect: "manual",
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      report(null, false, 0);
      const timedOut = (error as { name?: string }).name === "TimeoutError";
      return {
        error: new UpstreamUnavailableError(
          provider,
          request.endpointKind,
          null,
          timedOut ? "timed out" : "network error",
        ),
      };
    }
    report(response.status, response.ok, bytes.byteLength);
    return { response, bytes, rateLimit: profile.parseRateLimit(response.headers, new Date(deps.now())) };
  }

  function parseJson(bytes: Uint8Array): unknown {
    if (bytes.byteLength === 0) return null;
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return undefined;
    }
  }

  function classify(response: Response, body: unknown, endpointKind: string): ProviderError {
    const now = new Date(deps.now());
    const specific = profile.classify({ status: response.status, headers: response.headers, body, endpointKind }, now);
    if (specific) return specific;
    const { status } = response;
    if (status === 429) {
      return new RateLimitedError(
        provider,
        endpointKind,
        status,
        retryAfterMs(response.headers, now) ?? policy.defaultRetryAfterMs,
      );
    }
    if (status === 401) return new AccessTokenRejectedError(provider, endpointKind, status);
    if (status >= 500) return new UpstreamUnavailableError(provider, endpointKind, status, `status ${status}`);
    return new BadResponseError(provider, endpointKind, status, `unexpected status ${status}`);
  }

  function retryable(error: ProviderError): boolean {
    if (error instanceof UpstreamUnavailableError) return true;
    return error instanceof RateLimitedError && profile.retryRateLimited && error.retryAfterMs <= policy.maxDelayMs;
  }

  function backoff(attemptNumber: number, error: ProviderError): number {
    const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1));
    // Equal jitter: half fixed, half random, so concurrent clients spread out but still back off.
    const jittered = exponential / 2 + (exponential / 2) * deps.random();
    return error instanceof RateLimitedError ? Math.max(error.retryAfterMs, jittered) : jittered;
  }

  return {
    provider,
    async send<T>(request: OutboundRequest<T>): Promise<T> {
      const attempts = request.idempotent ? policy.maxAttempts : 1;
      for (let n = 1; ; n++) {
        const result = await attempt(request as OutboundRequest<unknown>);
        let error: ProviderError;
        if (result.error) {
          error = result.error;
        } else if (result.response.ok) {
          if (result.rateLimit) deps.onRateLimit(result.rateLimit);
          if (request.schema === null) return undefined as T;
          const body = parseJson(result.bytes);
          const parsed = request.schema.safeParse(body);
          if (parsed.success) return parsed.data;
          // The issue paths name fields, never values, so this message cannot leak data.
          const paths = parsed.error.issues
            .slice(0, 3)
            .map((i) => i.path.join(".") || "(root)")
            .join(", ");
          throw new BadResponseError(
            provider,
            request.endpointKind,
            result.response.status,
            `unexpected shape at ${paths}`,
          );
        } else {
          error = classify(result.response, parseJson(result.bytes), request.endpointKind);
          const observedAt = new Date(deps.now());
          let state = result.rateLimit;
          if (error instanceof RateLimitedError) {
            state = {
              ...(state ?? { provider, observedAt, windows: [] }),
              blockedUntil: new Date(observedAt.getTime() + error.retryAfterMs),
            };
          }
          if (state) deps.onRateLimit(state);
        }
        if (n >= attempts || !retryable(error)) throw error;
        await deps.sleep(backoff(n, error));
      }
    },
  };
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(headers: Headers, now: Date): number | undefined {
  const value = headers.get("retry-after");
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
