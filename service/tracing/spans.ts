// Spans for the service's own work, through the OpenTelemetry API only. Until tracing/sdk.ts registers
// a tracer provider (or when tracing is off), the API's tracer is a no-op: a span costs an object.
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from "@opentelemetry/api";

/**
 * The tracer of the provider registered now. Not kept in a constant: the API's proxy would keep the
 * first provider's tracer for good, even after that provider is shut down and another registered.
 */
export function tracer(): Tracer {
  return trace.getTracer("pierre");
}

/**
 * Runs `work` in a child span of the current one, ended when it settles; a thrown error marks it.
 * For outbound provider calls: `withSpan("strava activities", { kind: "client", attributes: {...} }, () => fetch(...))`.
 */
export async function withSpan<T>(
  name: string,
  options: { kind?: "internal" | "client"; attributes?: Attributes },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const kind = options.kind === "client" ? SpanKind.CLIENT : SpanKind.INTERNAL;
  return tracer().startActiveSpan(name, { kind, attributes: options.attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span started now under the current context, for work whose end is reported by a callback. */
export function startClientSpan(name: string, attributes: Attributes): Span {
  return tracer().startSpan(name, { kind: SpanKind.CLIENT, attributes }, context.active());
}
