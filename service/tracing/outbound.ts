// One call to a third-party API, observed: a client span around it, and its external_api_call (plus
// external_api_error when it failed) event. For the provider HTTP clients:
//
//   const response = await observeExternalCall(log, { provider: "strava", endpointKind: "activities" },
//     () => fetch(url, { signal: AbortSignal.timeout(10_000) }));
//
// A response of any status is returned as it is (the client decides what a 404 means); a thrown error
// (timeout, connection refused) is recorded and thrown again.
import { SpanStatusCode } from "@opentelemetry/api";
import { emitExternalApiCall, type EventLog, type ExternalProvider } from "../logging/events.js";
import { withSpan } from "./spans.js";

export interface ExternalEndpoint {
  provider: ExternalProvider;
  /** The client's own snake_case name for the endpoint, never a URL (it is a metric label). */
  endpointKind: string;
}

export function observeExternalCall(log: EventLog, endpoint: ExternalEndpoint, call: () => Promise<Response>): Promise<Response> {
  const { provider, endpointKind } = endpoint;
  const attributes = { "pierre.provider": provider, "pierre.endpoint_kind": endpointKind };
  return withSpan(`${provider} ${endpointKind}`, { kind: "client", attributes }, async (span) => {
    const startedAt = performance.now();
    const latencyMs = () => performance.now() - startedAt;
    let response: Response;
    try {
      response = await call();
    } catch (error) {
      emitExternalApiCall(log, { provider, endpointKind, latencyMs: latencyMs(), transportError: isTimeout(error) ? "timeout" : "network" });
      throw error;
    }
    emitExternalApiCall(log, { provider, endpointKind, status: response.status, latencyMs: latencyMs() });
    span.setAttribute("http.response.status_code", response.status);
    if (response.status >= 500 || response.status === 429) span.setStatus({ code: SpanStatusCode.ERROR });
    return response;
  });
}

/** fetch's errors for an expired AbortSignal.timeout(); any other abort or failure is "network". */
function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === "TimeoutError";
}
