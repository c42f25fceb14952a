// What one access line costs the logger (not a benchmark of record: a micro-benchmark of the formats every
// request's lines go through). An http_request line as the access log writes it, through a child logger
// with a request id and trace, redaction and the Cloud Logging JSON, to a stream that discards it:
// BENCH_LINES lines after a warm-up, microseconds per line. Run: npm run bench:log-line.
import { Writable } from "node:stream";
import { eventFields } from "../service/logging/events.js";
import { createLogger } from "../service/logging/index.js";

const LINES = Number(process.env.BENCH_LINES ?? 100_000);
const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
const log = createLogger({ level: "info", stream: discard, projectId: "pierre-bench" }).child({
  requestId: "bc44a0dd-7e78-46aa-9a3f-8930a3e6a090",
  trace: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", sampled: false },
});
const line = () =>
  log.log("info", "POST /mcp 200", {
    httpRequest: { requestMethod: "POST", requestUrl: "/mcp", requestSize: "46", userAgent: "node", remoteIp: "127.0.0.1", protocol: "HTTP/1.1", status: 200, responseSize: "21581", latency: "0.007122972s" },
    ...eventFields("http_request", { route: "mcp", statusClass: "2xx", credentialCache: "hit", latencyMs: 7.1 }),
  });

for (let i = 0; i < LINES / 5; i++) line();
const started = process.hrtime.bigint();
for (let i = 0; i < LINES; i++) line();
console.log(`${(Number(process.hrtime.bigint() - started) / 1e3 / LINES).toFixed(2)} us per access line (Node ${process.version})`);
