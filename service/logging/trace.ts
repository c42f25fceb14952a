// Trace context from incoming request headers, so log lines group under their request in Cloud Logging.
// Both parsers are strict: anything malformed yields undefined and the request is simply not traced.
import type { IncomingHttpHeaders } from "node:http";

export interface TraceContext {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters: the form Cloud Logging's `spanId` expects. */
  spanId?: string;
  /** Whether the caller sampled this trace. */
  sampled?: boolean;
}

const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);
const MAX_SPAN_ID = 2n ** 64n - 1n;

// W3C Trace Context: version-traceid-parentid-flags, lowercase hex only.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** Parses a W3C `traceparent` header (https://www.w3.org/TR/trace-context/#traceparent-header). */
export function parseTraceparent(header: string | undefined): TraceContext | undefined {
  const match = header === undefined ? null : TRACEPARENT.exec(header);
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, extension] = match;
  // Version ff is forbidden; version 00 has exactly four fields; a later version may append more.
  if (version === "ff" || (version === "00" && extension !== undefined)) return undefined;
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

// TRACE_ID[/[SPAN_ID]][;o=[0|1]] with a hex trace id and a decimal span id.
const CLOUD_TRACE_CONTEXT = /^([0-9a-fA-F]{32})(?:\/(\d{0,20}))?(?:;o=([01]?))?$/;

/** Parses Google's `X-Cloud-Trace-Context` header (`TRACE_ID/SPAN_ID;o=1`). */
export function parseCloudTraceContext(header: string | undefined): TraceContext | undefined {
  const match = header === undefined ? null : CLOUD_TRACE_CONTEXT.exec(header);
  if (!match) return undefined;
  const [, rawTraceId, decimalSpanId, option] = match;
  const traceId = rawTraceId.toLowerCase();
  if (traceId === ZERO_TRACE_ID) return undefined;

  const context: TraceContext = { traceId };
  if (decimalSpanId) {
    // The header carries the span id in decimal; Cloud Logging wants 16 hex digits.
    const span = BigInt(decimalSpanId);
    if (span > MAX_SPAN_ID) return undefined;
    if (span > 0n) context.spanId = span.toString(16).padStart(16, "0");
  }
  if (option) context.sampled = option === "1";
  return context;
}

/** Trace context of a request: W3C `traceparent` first, then `X-Cloud-Trace-Context`. */
export function traceFromHeaders(headers: IncomingHttpHeaders): TraceContext | undefined {
  return (
    parseTraceparent(singleValue(headers.traceparent)) ??
    parseCloudTraceContext(singleValue(headers["x-cloud-trace-context"]))
  );
}

function singleValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}
