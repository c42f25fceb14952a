// How long each credential lives (domain.md "Limits and lifetimes").
export const ACCESS_TOKEN_TTL_SECONDS = 60 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;
/** How long the sign-in page of one authorization request stays usable. */
export const AUTHORIZATION_REQUEST_TTL_SECONDS = 10 * 60;
/** Wrong passwords allowed on one sign-in page before the request is answered with access_denied. */
export const MAX_SIGN_IN_ATTEMPTS = 5;

/** The active signing key is replaced once it is this old. */
export const SIGNING_KEY_MAX_AGE_DAYS = 90;
/** How long an instance trusts its cached view of the signing keys before asking the database again. */
export const SIGNING_KEY_CACHE_TTL_MS = 60_000;
/**
 * How long a replaced key keeps verifying: other instances may still sign with it for one cache TTL,
 * and what they sign lives one access-token lifetime; the rest is margin for clock skew.
 */
export const RETIRED_KEY_GRACE_SECONDS = ACCESS_TOKEN_TTL_SECONDS + 15 * 60;
