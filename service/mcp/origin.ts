// Origin check for /mcp (DNS-rebinding and cross-site protection; the SDK checks Host, not Origin).
// No Origin header: a non-browser client, allowed. Otherwise the origin must be publicBaseUrl's own, one
// of ALLOWED_ORIGINS, or, when the service itself runs on a loopback address (local development), any
// loopback origin, so a local MCP Inspector on another port works. "null" (sandboxed frames, file://)
// is refused like any foreign origin.
import type { Config } from "../config.js";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function createOriginCheck(config: Pick<Config, "publicBaseUrl" | "allowedOrigins">): (origin: string | undefined) => boolean {
  const allowed = new Set([new URL(config.publicBaseUrl).origin, ...config.allowedOrigins]);
  const allowLoopback = LOOPBACK_HOSTS.has(new URL(config.publicBaseUrl).hostname);
  return (origin) => {
    if (origin === undefined) return true;
    const parsed = parseOrigin(origin);
    if (!parsed) return false;
    return allowed.has(parsed.origin) || (allowLoopback && LOOPBACK_HOSTS.has(parsed.hostname));
  };
}

function parseOrigin(origin: string): URL | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}
