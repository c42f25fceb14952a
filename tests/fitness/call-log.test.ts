// Provider calls are logged through the event catalog, so the lines are exactly what the monitoring
// stack's log-based metrics count (tests/observability/events-contract.test.ts holds the catalog to the
// metrics' filters).
import { describe, expect, it } from "vitest";
import { EVENT_KEY, EVENTS } from "../../service/logging/events.js";
import { logOutboundCalls } from "../../service/providers/call-log.js";
import { captureLogger } from "../support/log-capture.js";

describe("outbound call events", () => {
  it("log every call, and a failure also as external_api_error, in the catalog's shape", () => {
    const capture = captureLogger();
    const observe = logOutboundCalls(capture.logger);
    observe({ provider: "strava", endpointKind: "activities.list", status: 200, latencyMs: 41, ok: true, responseBytes: 1200 });
    observe({ provider: "fitbit", endpointKind: "oauth.refresh", status: 503, latencyMs: 90, ok: false, responseBytes: 20 });
    observe({ provider: "garmin", endpointKind: "sleep.list", status: null, latencyMs: 10_000, ok: false, responseBytes: 0 });
    observe({ provider: "synthetic", endpointKind: "activities.list", status: 200, latencyMs: 1, ok: true, responseBytes: 0 });

    const events = capture.entries().map((entry) => entry[EVENT_KEY]);
    expect(events).toEqual(["external_api_call", "external_api_call", "external_api_error", "external_api_call", "external_api_error"]);
    for (const entry of capture.entries()) {
      const { [EVENT_KEY]: event, ...fields } = entry;
      const spec = EVENTS[event as "external_api_call" | "external_api_error"];
      const known = Object.fromEntries(Object.keys(spec.fields.shape).map((key) => [key, fields[key]]));
      expect(spec.fields.safeParse(known).success, JSON.stringify(entry)).toBe(true);
    }
    expect(capture.entries()[2]).toMatchObject({ provider: "fitbit", failure: "server_error", status: 503 });
    expect(capture.entries()[4]).toMatchObject({ provider: "garmin", failure: "network", status: null });
  });
});
