// Recently verified credentials of this instance, so that a client's next request skips the
// verification query (and, for access tokens, the RS256 signature check).
//
// Safe against revocation because an entry is never trusted on its own: each Principal carries the
// credential epoch its verification read (identity/credential-epoch.ts), and a request served from the
// cache is confirmed against the epoch that the request's own rate-limit charge reads, before its
// scopes are checked or any tool runs (auth.ts). A revocation committed before that charge moved the
// epoch, so the request is verified afresh: on every instance, with no round trip of its own.
// Entries also end after the TTL and never outlive the credential's own expiry.
import { createHash } from "node:crypto";
import type { Principal } from "../identity/principal.js";

export interface CredentialCacheOptions {
  ttlMs: number;
  /** Beyond this, the oldest entry makes room (a bound on memory, not an expected size). */
  maxEntries: number;
}

export class CredentialCache {
  // Keyed by the credential's SHA-256, so the cache holds no usable secret.
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly options: CredentialCacheOptions) {}

  get(credential: string): Principal | undefined {
    const key = cacheKey(credential);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.principal;
    this.entries.delete(key);
    return undefined;
  }

  /** Keeps `principal` (frozen: from now on concurrent requests share it). */
  set(credential: string, principal: Principal): void {
    for (const part of [principal.account, principal.tenant, principal.scopes, principal.apiKey, principal]) if (part) Object.freeze(part);
    const until = Math.min(Date.now() + this.options.ttlMs, principal.expiresAt?.getTime() ?? Infinity);
    const key = cacheKey(credential);
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { principal, until });
  }

  delete(credential: string): void {
    this.entries.delete(cacheKey(credential));
  }
}

function cacheKey(credential: string): string {
  return createHash("sha256").update(credential).digest("base64");
}
