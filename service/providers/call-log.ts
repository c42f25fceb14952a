// The outbound observer's log lines: one `external_api_call` per provider call, and `external_api_error`
// for each failed one, the event the monitoring stack's log metric counts (jsonPayload.event). Sizes and
// timings only: the observer never sees a token, a body or a query string.
// TODO(merge): the observability branch's service/logging/events.ts owns typed emitters; this moves there.
import type { Logger } from "winston";
import type { OutboundObserver } from "./outbound.js";

export const EXTERNAL_API_CALL_EVENT = "external_api_call";
export const EXTERNAL_API_ERROR_EVENT = "external_api_error";

export function logOutboundCalls(logger: Logger): OutboundObserver {
  return ({ provider, endpointKind, status, latencyMs, ok, responseBytes }) => {
    const fields = { provider, endpointKind, status, latencyMs, responseBytes };
    logger.info("provider call", { event: EXTERNAL_API_CALL_EVENT, ...fields });
    if (!ok) logger.warn("provider call failed", { event: EXTERNAL_API_ERROR_EVENT, ...fields });
  };
}
