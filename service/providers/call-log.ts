// The outbound observer's log lines, through the event catalog (logging/events.ts): one
// `external_api_call` per provider call, and `external_api_error` as well for a failed one, the events the
// monitoring stack's log-based metrics count. Sizes and timings only: the observer never sees a token, a
// body or a query string. The synthetic athlete never leaves the process, so it logs no call.
import { emitExternalApiCall, type EventLog } from "../logging/events.js";
import type { OutboundObserver } from "./outbound.js";

export function logOutboundCalls(log: EventLog): OutboundObserver {
  return ({ provider, endpointKind, status, latencyMs }) => {
    if (provider === "synthetic") return;
    emitExternalApiCall(log, { provider, endpointKind, latencyMs, ...(status === null ? { transportError: "network" } : { status }) });
  };
}
