// A client span per SQL statement, child of whatever span is current (the request's, a tool's).
import { SpanStatusCode } from "@opentelemetry/api";
import { startClientSpan } from "../tracing/spans.js";
import { shortStatement, type QueryObserver } from "./observed-client.js";

export function querySpans(pool: string): QueryObserver {
  return (statement) => {
    const text = shortStatement(statement);
    // Named after the statement's verb (SELECT, INSERT, WITH...), as OpenTelemetry's database conventions do.
    const span = startClientSpan(`sql ${text.split(" ", 1)[0].toUpperCase()}`, {
      "db.system.name": "postgresql",
      "db.query.text": text,
      "pierre.db.pool": pool,
    });
    return (error) => {
      if (error) {
        span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    };
  };
}
