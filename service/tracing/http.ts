// The server span of every HTTP request, child of the caller's trace context (traceparent, or
// X-Cloud-Trace-Context from Cloud Run's front end). Mounted before accessLog only when tracing is on:
// it hands accessLog this span's context (res.locals.trace), so every log line of the request names the
// span the trace shows, and runs the rest of the request inside the span, so tool, SQL and outbound
// spans become its children.
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from "@opentelemetry/api";
import { pathOf, type NodeMiddleware } from "../http/node-http.js";
import { httpRoute } from "../logging/events.js";
import { traceFromHeaders } from "../logging/trace.js";
import { tracer } from "./spans.js";

export function traceRequests(): NodeMiddleware {
  return (req, res, next) => {
    const path = pathOf(req.url);
    const incoming = traceFromHeaders(req.headers);
    const parent = incoming?.spanId
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId: incoming.traceId,
          spanId: incoming.spanId,
          traceFlags: incoming.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
          isRemote: true,
        })
      : ROOT_CONTEXT;
    // The route, not the path: span names stay few whatever paths clients probe.
    const span = tracer().startSpan(
      `${req.method} ${httpRoute(path)}`,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": req.method, "url.path": path } },
      parent,
    );
    const spanContext = span.spanContext();
    // Invalid while no provider is registered yet: the log lines then keep the caller's context.
    if (trace.isSpanContextValid(spanContext)) {
      const { traceId, spanId, traceFlags } = spanContext;
      res.locals.trace = { traceId, spanId, sampled: (traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED };
    }
    res.once("close", () => {
      if (res.headersSent) span.setAttribute("http.response.status_code", res.statusCode);
      if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
