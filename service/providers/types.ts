// The contract between the service and a fitness provider. Each provider module owns its HTTP and maps the
// provider's shapes into ../fitness/model.ts; everything stateful (token storage, refresh serialization,
// cursors, cached data, rate-limit state shared across instances) lives with the caller.
import type { Activity, AthleteProfile, DateRange, HrvRecord, ProviderId, SleepRecord } from "../fitness/model.js";
import type { UpstreamId } from "./errors.js";

export interface TokenGrant {
  accessToken: string;
  /** null when the provider issues none (or, on refresh, keeps the old one: see `refresh`). */
  refreshToken: string | null;
  /** null when the token does not expire. */
  expiresAt: Date | null;
  refreshTokenExpiresAt: Date | null;
  /** Scopes the user actually granted, which can be fewer than requested; [] when not reported (keep the stored ones). */
  scopes: string[];
  /** The athlete's id at the provider when the token response carries it; otherwise getAthlete() tells. */
  externalUserId: string | null;
}

export interface AuthorizationRequest {
  /** Random, single-use; the caller binds it to tenant, user and provider. */
  state: string;
  redirectUri: string;
  /** S256 challenge of the caller's verifier; providers without PKCE ignore it. */
  codeChallenge: string;
  /** Stable opaque id of the connecting user. Only a provider that mints its own athlete (synthetic) reads it. */
  subject: string;
}

export interface CodeExchange {
  code: string;
  redirectUri: string;
  codeVerifier: string;
  /** The `scope` parameter of the callback, if any: Strava reports the accepted scopes only there. */
  callbackScope?: string;
}

/** What a provider needs to act for a user. */
export interface ProviderAuth {
  accessToken: string;
}

export interface ActivityPageRequest {
  /** Opaque; null starts from the beginning of the history the provider offers. */
  cursor: string | null;
}

export interface ActivityPage {
  activities: Activity[];
  /** Pass back for the next page; once `hasMore` is false, store it: it resumes the next incremental sync. */
  cursor: string;
  hasMore: boolean;
}

/** One window of a provider's quota as its headers (or 429s) describe it. */
export interface RateLimitWindow {
  name: string;
  limit: number;
  usage: number;
  resetsAt: Date;
}

export interface RateLimitState {
  provider: UpstreamId;
  observedAt: Date;
  windows: RateLimitWindow[];
  /** Set when the provider answered 429: no instance should call it before then. */
  blockedUntil: Date | null;
}

export interface ProviderCapabilities {
  /** The connect flow needs a browser (false: the callback can be completed server-side, as for synthetic). */
  browser: boolean;
  pkce: boolean;
  activityById: boolean;
  streams: boolean;
  sleep: boolean;
  hrv: boolean;
  /** The provider has a revoke/deauthorize endpoint. */
  revoke: boolean;
}

export interface FitnessProvider {
  readonly id: ProviderId;
  readonly capabilities: ProviderCapabilities;
  authorizationUrl(request: AuthorizationRequest): URL;
  exchangeCode(request: CodeExchange): Promise<TokenGrant>;
  /**
   * One refresh call, never retried: providers rotate refresh tokens and a repeated use can revoke the
   * grant. Where the provider keeps the refresh token, the returned grant carries the one passed in.
   */
  refresh(refreshToken: string): Promise<TokenGrant>;
  /** Revokes the whole grant at the provider. */
  revoke(tokens: { accessToken: string; refreshToken: string | null }): Promise<void>;
  listActivities(auth: ProviderAuth, request: ActivityPageRequest): Promise<ActivityPage>;
  /** With laps and, when `streams`, the sample streams the provider has. */
  getActivity(auth: ProviderAuth, id: string, options: { streams: boolean }): Promise<Activity>;
  getAthlete(auth: ProviderAuth): Promise<AthleteProfile>;
  listSleep(auth: ProviderAuth, range: DateRange): Promise<SleepRecord[]>;
  listHrv(auth: ProviderAuth, range: DateRange): Promise<HrvRecord[]>;
}
