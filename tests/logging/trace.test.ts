import { describe, expect, it } from "vitest";
import { parseCloudTraceContext, parseTraceparent, traceFromHeaders } from "../../service/logging/index.js";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

describe("parseTraceparent", () => {
  it.each([
    [`00-${TRACE_ID}-00f067aa0ba902b7-01`, { traceId: TRACE_ID, spanId: "00f067aa0ba902b7", sampled: true }],
    [`00-${TRACE_ID}-00f067aa0ba902b7-00`, { traceId: TRACE_ID, spanId: "00f067aa0ba902b7", sampled: false }],
    // Only bit 0 of the flags means "sampled".
    [`00-${TRACE_ID}-00f067aa0ba902b7-03`, { traceId: TRACE_ID, spanId: "00f067aa0ba902b7", sampled: true }],
    // A later version may append fields after a dash; they are ignored.
    [`01-${TRACE_ID}-00f067aa0ba902b7-00-future`, { traceId: TRACE_ID, spanId: "00f067aa0ba902b7", sampled: false }],
  ])("parses %s", (header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected);
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["garbage", "hello"],
    ["version ff", `ff-${TRACE_ID}-00f067aa0ba902b7-01`],
    ["extra field on version 00", `00-${TRACE_ID}-00f067aa0ba902b7-01-extra`],
    ["upper-case hex", `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`],
    ["all-zero trace id", `00-${"0".repeat(32)}-00f067aa0ba902b7-01`],
    ["all-zero parent id", `00-${TRACE_ID}-0000000000000000-01`],
    ["short trace id", `00-${TRACE_ID.slice(1)}-00f067aa0ba902b7-01`],
    ["non-hex", `00-${TRACE_ID.slice(0, 31)}g-00f067aa0ba902b7-01`],
    ["later version glued to more text", `01-${TRACE_ID}-00f067aa0ba902b7-01x`],
    ["two headers joined", `00-${TRACE_ID}-00f067aa0ba902b7-01, 00-${TRACE_ID}-00f067aa0ba902b7-01`],
  ])("ignores %s", (_case, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });
});

describe("parseCloudTraceContext", () => {
  it.each([
    [`${TRACE_ID}/1;o=1`, { traceId: TRACE_ID, spanId: "0000000000000001", sampled: true }],
    // The span id arrives in decimal and is written as the 16 hex digits Cloud Logging expects.
    [`${TRACE_ID}/67667974448284343;o=0`, { traceId: TRACE_ID, spanId: "00f067aa0ba902b7", sampled: false }],
    [`${TRACE_ID}/18446744073709551615`, { traceId: TRACE_ID, spanId: "ffffffffffffffff" }],
    [`${TRACE_ID.toUpperCase()}/10`, { traceId: TRACE_ID, spanId: "000000000000000a" }],
    [`${TRACE_ID}/;o=1`, { traceId: TRACE_ID, sampled: true }],
    [`${TRACE_ID};o=1`, { traceId: TRACE_ID, sampled: true }],
    [`${TRACE_ID}/0`, { traceId: TRACE_ID }],
    [TRACE_ID, { traceId: TRACE_ID }],
  ])("parses %s", (header, expected) => {
    expect(parseCloudTraceContext(header)).toEqual(expected);
  });

  it.each([
    ["missing", undefined],
    ["garbage", "not-a-trace"],
    ["short trace id", `${TRACE_ID.slice(2)}/1;o=1`],
    ["all-zero trace id", `${"0".repeat(32)}/1;o=1`],
    ["span id beyond 64 bits", `${TRACE_ID}/18446744073709551616;o=1`],
    ["hex span id", `${TRACE_ID}/abc;o=1`],
    ["unknown option", `${TRACE_ID}/1;o=2`],
    ["trailing text", `${TRACE_ID}/1;o=1 and more`],
  ])("ignores %s", (_case, header) => {
    expect(parseCloudTraceContext(header)).toBeUndefined();
  });
});

describe("traceFromHeaders", () => {
  it("prefers traceparent and falls back to X-Cloud-Trace-Context", () => {
    const other = "0af7651916cd43dd8448eb211c80319c";
    expect(
      traceFromHeaders({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, "x-cloud-trace-context": `${other}/1;o=1` }),
    ).toMatchObject({ traceId: TRACE_ID });
    expect(traceFromHeaders({ traceparent: "garbage", "x-cloud-trace-context": `${other}/1;o=1` })).toMatchObject({
      traceId: other,
    });
    expect(traceFromHeaders({})).toBeUndefined();
  });
});
