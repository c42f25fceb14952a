// What the middlewares in front of every route (tracing, access log, security headers, CORS) and the MCP
// endpoint read and write on Node's own request and response, so that each serves both Express and the
// POST /mcp fast path (app.ts) that skips it. Express re-prototypes every request and response
// (Object.setPrototypeOf), which makes Node's own HTTP code slower on them: bench/express-cost.ts measured a
// small POST answered through Express at 96 µs of CPU against 17 µs on Node alone, 44 µs of it from the
// re-prototyping by itself. In the service the difference is larger, because every later access to the
// request and response is slower too: a get_activities given again went from about 530 to 360 µs per call
// (the builds with and without this, back to back, 4 rounds of 5 s each).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "winston";
import type { CredentialCacheOutcome } from "../logging/events.js";
import type { TraceContext } from "../logging/trace.js";

/** Per-request state the front middlewares and routes share; Express's res.locals has the same fields. */
export interface RequestLocals {
  /** Set by accessLog: a child logger whose entries carry this request's trace and request id. */
  log: Logger;
  /** Set by accessLog: the id echoed in the X-Request-Id response header. */
  requestId: string;
  /**
   * Set by a router whose 4xx answer is a routine step of its protocol, not a client's mistake (a Streamable
   * HTTP client's GET for an SSE stream, which a stateless server answers 405): logged at INFO, not WARNING.
   */
  routineRefusal?: boolean;
  /** Set by an authenticating router (mcp/router.ts) when the request's credential verified. */
  credentialCache?: CredentialCacheOutcome;
  /** Set before accessLog by traceRequests (tracing/http.ts) when tracing is on: the request's span. */
  trace?: TraceContext;
}

declare module "express-serve-static-core" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the augmentation is the point
  interface Locals extends RequestLocals {}
}

/** A Node response carrying the request's locals (Express's res.locals, or the fast path's own). */
export type LocalsResponse = ServerResponse & { locals: RequestLocals };

/** Connect-style middleware on Node's types: Express mounts it as is, the fast path chains it itself. */
export type NodeMiddleware = (req: IncomingMessage, res: LocalsResponse, next: (error?: unknown) => void) => void;

/** A request header as Express's req.get reads it (`name` in lower case): a single value, Referer alias included. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = name === "referer" ? (req.headers.referer ?? req.headers.referrer) : req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

const BEARER = /^Bearer +([^\s]+) *$/i;

/** The token of an `Authorization: Bearer <token>` header; undefined when absent or of another form. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
}

/** Sets every header of `headers` (Express's res.set for a record). */
export function setHeaders(res: ServerResponse, headers: Readonly<Record<string, string | number>>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

/** The path of a request target, without its query: what Express calls req.path. */
export function pathOf(url: string | undefined): string {
  if (!url) return "/";
  if (url.startsWith("/")) {
    const query = url.indexOf("?");
    return query === -1 ? url : url.slice(0, query);
  }
  // The absolute form ("http://host/path") a client may send to a proxy.
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * The client's address as Express's req.ip computes it with "trust proxy" set to a hop count: each of our
 * `trustProxyHops` proxies appends the address it saw to X-Forwarded-For, so counting that many entries
 * from the right, starting at the socket's own peer, gives the first address no proxy of ours vouches for.
 */
export function clientAddress(req: IncomingMessage, trustProxyHops: number): string | undefined {
  const peer = req.socket.remoteAddress;
  if (trustProxyHops === 0) return peer;
  const forwarded = header(req, "x-forwarded-for");
  const proxies = forwarded ? forwarded.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "") : [];
  const chain = [peer, ...proxies.reverse()];
  return chain[Math.min(trustProxyHops, chain.length - 1)];
}
