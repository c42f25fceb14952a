// The one error taxonomy every provider client throws, so sync and tools branch on `kind` and never on a
// provider's status codes. Messages carry the provider, endpoint kind and status only: never a token, a
// response body or a URL with a query string, because these errors end up in logs and tool answers.
import type { ProviderId } from "../fitness/model.js";

/** Whom an outbound call went to: a fitness provider or one of the data services (USDA, OpenWeather). */
export type UpstreamId = ProviderId | "usda" | "openweather";

export type ProviderErrorKind =
  | "rate_limited"
  | "reauthorization_required"
  | "access_token_rejected"
  | "upstream_unavailable"
  | "bad_response"
  | "unsupported";

export abstract class ProviderError extends Error {
  abstract readonly kind: ProviderErrorKind;
  constructor(
    readonly provider: UpstreamId,
    readonly endpointKind: string,
    readonly status: number | null,
    message: string,
  ) {
    super(`${provider} ${endpointKind}: ${message}`);
  }
}

/** The provider said wait. `retryAfterMs` is its own figure where it gives one, else our reading of its window. */
export class RateLimitedError extends ProviderError {
  readonly kind = "rate_limited";
  constructor(provider: UpstreamId, endpointKind: string, status: number, readonly retryAfterMs: number) {
    super(provider, endpointKind, status, `rate limited, retry in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/** The grant is gone (revoked, expired, refresh token already used): only the user can fix it by reconnecting. */
export class ReauthorizationRequiredError extends ProviderError {
  readonly kind = "reauthorization_required";
  constructor(provider: UpstreamId, endpointKind: string, status: number | null) {
    super(provider, endpointKind, status, "the authorization was revoked or has expired");
  }
}

/** The access token was refused: refresh once and retry; if the refresh fails the grant is gone. */
export class AccessTokenRejectedError extends ProviderError {
  readonly kind = "access_token_rejected";
  constructor(provider: UpstreamId, endpointKind: string, status: number) {
    super(provider, endpointKind, status, "access token rejected");
  }
}

/** 5xx, timeouts and network failures that outlived the retries. */
export class UpstreamUnavailableError extends ProviderError {
  readonly kind = "upstream_unavailable";
  constructor(provider: UpstreamId, endpointKind: string, status: number | null, reason: string) {
    super(provider, endpointKind, status, reason);
  }
}

/** The provider answered something we cannot use (unexpected status, not JSON, not the documented shape). */
export class BadResponseError extends ProviderError {
  readonly kind = "bad_response";
  constructor(provider: UpstreamId, endpointKind: string, status: number | null, reason: string) {
    super(provider, endpointKind, status, reason);
  }
}

/** The provider has no such operation (e.g. Garmin has no activity-by-id read). */
export class UnsupportedOperationError extends ProviderError {
  readonly kind = "unsupported";
  constructor(provider: UpstreamId, operation: string) {
    super(provider, operation, null, "not offered by this provider");
  }
}
