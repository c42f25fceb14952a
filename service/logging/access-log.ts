// The access log: one line per request, correlated with Cloud Trace and a request id. Connect-style
// middleware on Node's own types, so Express and the POST /mcp fast path (app.ts) both mount it.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { clientAddress, header, pathOf, type NodeMiddleware } from "../http/node-http.js";
import { eventFields, httpRoute, statusClassOf } from "./events.js";
import type { HttpRequestLog, Logger } from "./logger.js";
import { traceFromHeaders } from "./trace.js";

// An incoming X-Request-Id is reused (so a caller can correlate) only if it is a plain token.
const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Middleware for the top of the app: assigns the request id, sets res.locals.log and res.locals.requestId,
 * and logs the request once it is over. Query parameters carrying credentials (code, access_token,
 * client_secret...) are masked in requestUrl by the logger's redaction format.
 */
export function accessLog(logger: Logger, trustProxyHops: number): NodeMiddleware {
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    const incomingId = header(req, "x-request-id");
    const requestId = incomingId !== undefined && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const trace = res.locals.trace ?? traceFromHeaders(req.headers);
    res.setHeader("X-Request-Id", requestId);
    res.locals.requestId = requestId;
    const log = logger.child(trace ? { requestId, trace } : { requestId });
    res.locals.log = log;

    // Read now: once the client is gone the socket no longer knows its address.
    const request = requestFields(req, trustProxyHops);
    const untrustedForwardedFor = untrustedForwardedAddresses(header(req, "x-forwarded-for"), trustProxyHops);
    const route = httpRoute(pathOf(req.url));
    // "close" follows "finish" for every response and also fires alone when the client disconnects
    // first, so listening to it alone gives exactly one line per request.
    res.once("close", () => {
      const elapsed = process.hrtime.bigint() - startedAt;
      const aborted = !res.writableFinished;
      const status = res.headersSent ? res.statusCode : undefined;
      const httpRequest: HttpRequestLog = {
        ...request,
        status,
        responseSize: contentLength(res.getHeader("content-length")),
        latency: formatLatency(elapsed),
      };
      const outcome = aborted ? "aborted" : String(status);
      const event = eventFields("http_request", {
        route,
        statusClass: statusClassOf(status),
        credentialCache: res.locals.credentialCache ?? "none",
        latencyMs: Number(elapsed) / 1e6,
      });
      const fields = { httpRequest, ...(aborted ? { aborted } : {}), ...(untrustedForwardedFor ? { untrustedForwardedFor } : {}), ...event };
      const level = res.locals.routineRefusal && status !== undefined && status < 500 ? "info" : levelFor(status, aborted);
      log.log(level, `${req.method} ${request.requestUrl} ${outcome}`, fields);
    });
    next();
  };
}

/**
 * The X-Forwarded-For entries no trusted proxy vouches for: each of our `trustProxyHops` proxies appends
 * the address it saw, so everything left of the last `trustProxyHops` entries came from the client (all
 * of it when there is no proxy). Logged so a spoofing attempt is on record; never used as an address.
 */
function untrustedForwardedAddresses(header: string | undefined, trustProxyHops: number): string | undefined {
  if (!header) return undefined;
  const entries = header.split(",").map((entry) => entry.trim());
  const untrusted = entries.slice(0, Math.max(0, entries.length - trustProxyHops));
  return untrusted.length > 0 ? untrusted.join(", ").slice(0, 512) : undefined;
}

// 5xx is our failure; 4xx, 503 (an outage, logged once per interval by db/outage.ts) and requests the
// client abandoned are worth a look; the rest is routine.
function levelFor(status: number | undefined, aborted: boolean): "error" | "warn" | "info" {
  if (status !== undefined && status >= 500 && status !== 503) return "error";
  if ((status !== undefined && status >= 400) || aborted) return "warn";
  return "info";
}

function requestFields(req: IncomingMessage, trustProxyHops: number): Omit<HttpRequestLog, "status" | "responseSize" | "latency"> {
  return {
    requestMethod: req.method ?? "",
    // Path and query as received (this runs before any router rewrites req.url); Cloud Run's own request
    // log already records scheme and host.
    requestUrl: req.url ?? "",
    requestSize: contentLength(header(req, "content-length")),
    userAgent: header(req, "user-agent"),
    // X-Forwarded-For behind Cloud Run's front end, trusting only our own proxy hops.
    remoteIp: clientAddress(req, trustProxyHops),
    referer: header(req, "referer"),
    protocol: `HTTP/${req.httpVersion}`,
  };
}

// Cloud Logging's int64 fields are JSON strings; anything but a plain byte count is left out.
function contentLength(header: string | number | string[] | undefined): string | undefined {
  const value = String(header ?? "");
  return /^\d{1,15}$/.test(value) ? value : undefined;
}

/** A protobuf Duration as JSON: seconds with nine fractional digits, e.g. "0.012000000s". */
function formatLatency(nanoseconds: bigint): string {
  const seconds = nanoseconds / 1_000_000_000n;
  const fraction = (nanoseconds % 1_000_000_000n).toString().padStart(9, "0");
  return `${seconds}.${fraction}s`;
}
