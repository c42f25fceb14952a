// Which redirect URIs a client may register and how a requested one matches a registered one.
//
// Accepted at registration:
//   - https URLs (any host);
//   - http URLs on a loopback host (localhost, 127.0.0.1, [::1]) with any port: native apps and CLIs
//     listening locally (RFC 8252 §7.3);
//   - private-use URI schemes for native apps (RFC 8252 §7.1), e.g. `com.example.app:/cb` or
//     `cursor://...`, as long as the scheme is not one a browser interprets itself (javascript:, data:,
//     file:, ...). Whichever app claims a scheme receives the code, so PKCE (mandatory here) is what
//     keeps an intercepted code useless.
// Never: fragments, user info, non-loopback http, or anything that does not parse as an absolute URI.
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const BROWSER_SCHEMES = new Set([
  "javascript:", "data:", "vbscript:", "file:", "blob:", "about:", "filesystem:", "view-source:",
  "ftp:", "ws:", "wss:", "mailto:", "chrome:", "chrome-extension:", "moz-extension:", "intent:",
]);
const SCHEME = /^[a-z][a-z0-9+.-]*:$/;
// The URL parser silently drops tabs and line breaks and fills in an empty authority
// (`https:///cb` becomes `https://cb/`), so the raw text is checked before it is parsed.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f]/;
const WEB_URI_WITH_AUTHORITY = /^https?:\/\/[^/?#]/i;

/** Why this URI cannot be registered, or undefined when it can. */
export function redirectUriProblem(uri: string): string | undefined {
  if (CONTROL_OR_SPACE.test(uri)) return "must not contain spaces or control characters";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "is not an absolute URI";
  }
  if (uri.includes("#")) return "must not contain a fragment";
  if (url.username || url.password) return "must not contain user information";
  if ((url.protocol === "https:" || url.protocol === "http:") && !WEB_URI_WITH_AUTHORITY.test(uri)) return "must name a host";
  if (url.protocol === "https:") return url.hostname ? undefined : "must name a host";
  if (url.protocol === "http:") {
    return LOOPBACK_HOSTS.has(url.hostname) ? undefined : "must use https (plain http is only allowed on localhost, 127.0.0.1 or [::1])";
  }
  if (!SCHEME.test(url.protocol) || BROWSER_SCHEMES.has(url.protocol)) return `uses a scheme (${url.protocol}) that is not allowed`;
  return undefined;
}

function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Exact string match against a registered URI, except that a registered loopback http URI matches a
 * request on any port (RFC 8252 §7.3): native apps pick a free port at run time.
 */
export function redirectUriMatches(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  let wanted: URL;
  try {
    wanted = new URL(requested);
  } catch {
    return false;
  }
  // Only the port may differ: user information would make the browser send the code elsewhere.
  if (!isLoopbackHttp(wanted) || requested.includes("#") || wanted.username || wanted.password) return false;
  if (redirectUriProblem(requested)) return false;
  return registered.some((candidate) => {
    const url = new URL(candidate);
    return isLoopbackHttp(url) && url.hostname === wanted.hostname && url.pathname === wanted.pathname && url.search === wanted.search;
  });
}

/** The CSP form-action source that allows the redirect after the consent form posts (origin or scheme). */
export function formActionSource(redirectUri: string): string {
  const url = new URL(redirectUri);
  if (url.protocol === "https:") return url.origin;
  // IPv6 literals cannot be written as a CSP host-source; the scheme is the narrowest that works.
  if (url.protocol === "http:") return url.hostname.startsWith("[") ? "http:" : `http://${url.hostname}:*`;
  return url.protocol;
}
