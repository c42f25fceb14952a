// What Express costs per request, apart from anything the service does (why POST /mcp skips it: app.ts,
// service/http/node-http.ts). One POST route that reads the body and answers a small JSON, served on Node's
// http alone, on Node's http after Express's re-prototyping of request and response, and through Express 5,
// at 16 connections, BENCH_ROUNDS rounds each, interleaved. Run: npm run bench:express-cost.
import { cpus } from "node:os";
import { load, medianRun, startProcess, stop, type LoadResult } from "./support.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MODES = ["node", "prototypes", "express"] as const;

const runs: LoadResult[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of MODES) {
    const server = await startProcess(["bench/express-cost/server.mjs", mode], {}, { path: "/health", status: 200 });
    try {
      const post = { method: "POST" as const, body: "{}", headers: { "content-type": "application/json" } };
      await load("warmup", `${server.url}/mcp`, 16, { ...post, duration: 2 });
      runs.push(await load(mode, `${server.url}/mcp`, 16, post, server.child.pid));
    } finally {
      await stop(server.child);
    }
  }
}
console.log(`${cpus().length} x ${cpus()[0]?.model.trim()}, Node ${process.version}`);
console.table(MODES.map((mode) => medianRun(runs, mode)).map(({ scenario, requestsPerSecond, cpuMicrosPerRequest, p99 }) => ({ scenario, requestsPerSecond, cpuMicrosPerRequest, p99 })));
