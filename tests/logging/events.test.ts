import { describe, expect, it } from "vitest";
import { emitExternalApiCall, statusClassOf, TENANT_BUCKET_COUNT, TENANT_BUCKETS, tenantBucket } from "../../service/logging/events.js";
import { captureLogger } from "../support/log-capture.js";

describe("emitExternalApiCall", () => {
  const emitted = (call: Parameters<typeof emitExternalApiCall>[1]) => {
    const { logger, entries } = captureLogger();
    emitExternalApiCall(logger, call);
    return entries().map(({ event, severity, failure, status, statusClass }) => ({ event, severity, failure, status, statusClass }));
  };
  const base = { provider: "strava", endpointKind: "activities", latencyMs: 40 } as const;

  it("writes one external_api_call for an answered call, 4xx included (the client handles those)", () => {
    expect(emitted({ ...base, status: 200 })).toEqual([{ event: "external_api_call", severity: "INFO", failure: undefined, status: 200, statusClass: "2xx" }]);
    expect(emitted({ ...base, status: 404 })).toEqual([{ event: "external_api_call", severity: "INFO", failure: undefined, status: 404, statusClass: "4xx" }]);
  });

  it.each([
    [{ status: 503 }, "server_error", 503, "5xx"],
    [{ status: 429 }, "rate_limited", 429, "4xx"],
    [{ transportError: "timeout" as const }, "timeout", null, "none"],
    [{}, "network", null, "none"],
  ])("adds an external_api_error for %j: %s", (call, failure, status, statusClass) => {
    expect(emitted({ ...base, ...call })).toEqual([
      { event: "external_api_call", severity: "INFO", failure: undefined, status, statusClass },
      { event: "external_api_error", severity: "WARNING", failure, status, statusClass },
    ]);
  });

  it("says what happened in the message, for a human reading the line", () => {
    const { logger, entries } = captureLogger();
    emitExternalApiCall(logger, { ...base, status: 200 });
    expect(entries()[0].message).toBe("external_api_call provider=strava endpointKind=activities statusClass=2xx");
  });
});

describe("statusClassOf", () => {
  it("maps statuses to classes and anything else to none", () => {
    expect([100, 204, 302, 418, 500, 599, 600, undefined].map(statusClassOf)).toEqual(["none", "2xx", "3xx", "4xx", "5xx", "5xx", "none", "none"]);
  });
});

describe("tenantBucket", () => {
  it("is stable, one of the fixed buckets, and spreads tenants over all of them", () => {
    const ids = Array.from({ length: 1600 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const buckets = ids.map(tenantBucket);
    expect(ids.map(tenantBucket)).toEqual(buckets);
    expect(new Set(buckets)).toEqual(new Set(TENANT_BUCKETS));
    expect(TENANT_BUCKETS).toHaveLength(TENANT_BUCKET_COUNT);
    const counts = TENANT_BUCKETS.map((bucket) => buckets.filter((b) => b === bucket).length);
    // 100 expected per bucket; a fair hash stays well inside 50-150.
    for (const count of counts) expect(count).toBeGreaterThan(50);
    for (const count of counts) expect(count).toBeLessThan(150);
  });
});
