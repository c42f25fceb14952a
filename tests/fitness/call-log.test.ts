import { describe, expect, it } from "vitest";
import { EXTERNAL_API_ERROR_EVENT as SERVICE_EVENT } from "../../service/providers/call-log.js";
import { EXTERNAL_API_ERROR_EVENT as METRIC_EVENT } from "../../stacks/monitoring.js";

describe("outbound call events", () => {
  // The monitoring stack's log metric counts jsonPayload.event = this name; the service must log exactly it.
  it("log failures under the event the external_api_error metric counts", () => {
    expect(SERVICE_EVENT).toBe(METRIC_EVENT);
  });
});
