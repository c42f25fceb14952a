// observeExternalCall against a real local HTTP server: events and spans for answered, failed,
// timed-out and refused calls.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../service/free-port.js";
import { observeExternalCall } from "../../service/tracing/outbound.js";
import { startTracing } from "../../service/tracing/sdk.js";
import { captureLogger } from "../support/log-capture.js";
import { CollectingExporter } from "../support/spans.js";

let provider: Server;
const exporter = new CollectingExporter();
const answered = captureLogger();
const failed = captureLogger();
const statuses: number[] = [];
const errors: unknown[] = [];

beforeAll(async () => {
  // Answers /status/<code> with that status; /slow never answers.
  provider = createServer((req, res) => {
    const status = /^\/status\/(\d{3})$/.exec(req.url ?? "")?.[1];
    if (status) res.writeHead(Number(status)).end("{}");
  });
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  const tracing = startTracing({ sampleRatio: 1, exporter, log: { warn: () => undefined } });
  try {
    const strava = { provider: "strava" as const, endpointKind: "activities" };
    for (const status of [200, 404, 429, 503]) {
      statuses.push((await observeExternalCall(answered.logger, strava, () => fetch(`${base}/status/${status}`))).status);
    }
    const garmin = { provider: "garmin" as const, endpointKind: "dailies" };
    const refusedUrl = `http://127.0.0.1:${await freePort()}/`;
    for (const call of [() => fetch(`${base}/slow`, { signal: AbortSignal.timeout(50) }), () => fetch(refusedUrl)]) {
      await observeExternalCall(failed.logger, garmin, call).catch((error: unknown) => errors.push(error));
    }
  } finally {
    await tracing.shutdown();
  }
});

afterAll(async () => {
  provider?.closeAllConnections();
  await new Promise((resolve) => provider?.close(resolve));
});

describe("observeExternalCall", () => {
  it("returns every response as it is and logs one call, plus an error for 429 and 5xx", () => {
    expect(statuses).toEqual([200, 404, 429, 503]);
    expect(answered.entries().map((line) => [line.event, line.status, line.failure])).toEqual([
      ["external_api_call", 200, undefined],
      ["external_api_call", 404, undefined],
      ["external_api_call", 429, undefined],
      ["external_api_error", 429, "rate_limited"],
      ["external_api_call", 503, undefined],
      ["external_api_error", 503, "server_error"],
    ]);
  });

  it("logs a timeout and a refused connection as failures without a status, and throws their errors on", () => {
    expect(errors).toHaveLength(2);
    expect(failed.entries().map((line) => [line.event, line.statusClass, line.failure])).toEqual([
      ["external_api_call", "none", undefined],
      ["external_api_error", "none", "timeout"],
      ["external_api_call", "none", undefined],
      ["external_api_error", "none", "network"],
    ]);
  });

  it("puts each call in a client span named after its endpoint, marked failed like the events", () => {
    const spans = (name: string) => exporter.spans.filter((span) => span.name === name);
    expect(spans("strava activities").map((span) => [span.kind, span.attributes["http.response.status_code"], span.status.code])).toEqual([
      [2, 200, 0], [2, 404, 0], [2, 429, 2], [2, 503, 2],
    ]);
    expect(spans("garmin dailies").map((span) => [span.status.code, span.events.map((event) => event.name)])).toEqual([
      [2, ["exception"]], [2, ["exception"]],
    ]);
  });
});
