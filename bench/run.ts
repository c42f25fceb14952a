// Benchmarks (not tests): `npm run bench`. Starts the built service against a real PostgreSQL 16
// (embedded, or BENCH_DATABASE_URL), and the bare-SDK baseline, then measures with autocannon:
//   /health and authenticated tools/call at 16 and 64 connections (req/s, p50/p95/p99, RSS, server CPU per
//   request),
//   cold start (spawn -> first 200 from /health, migrations already applied), with tracing at the
//   production default (TRACE_SAMPLE_RATIO 0.1: the SDK is loaded after listening) and with it off,
//   our/baseline throughput ratio. Results go to stdout and bench/results/latest.json.
// Tools measured (API key, enterprise tier, rate limiter charged on every call):
//   whoami                 reads nothing itself: the account comes with the credential's verification and
//                          the usage with the request's rate-limit charge (one batched statement);
//   get_connection_status  also runs its own query (provider_connections) on every call.
// The machine is shared and its speed drifts, so every scenario runs in BENCH_ROUNDS rounds (default 3),
// ours and the baseline back to back in each; a scenario's result is its median-throughput run.
// Knobs: BENCH_DURATION (seconds per run, default 8), BENCH_ROUNDS, BENCH_COLD_START_ONLY=1 (no load runs).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import pg from "pg";
import { migrate } from "../service/db/migrate.js";
import { startEmbeddedPostgres } from "../service/db/embedded.js";
import { benchServiceEnv, codeCacheState, DURATION, load, MCP_HEADERS, round, startProcess, stop, toolCallBody, type LoadResult } from "./support.js";
import { benchApiKey, benchOwner } from "./accounts.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TOOLS = [
  { name: "whoami", label: "pierre tools/call whoami (API key, rate-limit charge)" },
  { name: "get_connection_status", label: "pierre tools/call get_connection_status (API key, charge + query)" },
];
const CONNECTIONS = [16, 64];
const COLD_START_RUNS = 9;
const COLD_START_ONLY = process.env.BENCH_COLD_START_ONLY === "1";

/** Per scenario and connection count: the median-throughput run (latencies included) and the highest RSS of all. */
function medianRuns(all: LoadResult[]): LoadResult[] {
  const groups = new Map<string, LoadResult[]>();
  for (const run of all) {
    const key = `${run.scenario}|${run.connections}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const maxRss = Math.max(...group.map((run) => run.maxRssMb ?? 0));
    return { ...median, requestsPerSecondRuns: group.map((run) => run.requestsPerSecond), ...(maxRss > 0 ? { maxRssMb: maxRss } : {}) };
  });
}

async function prepareDatabase(url: string): Promise<string> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await migrate(pool);
    await pool.query("DELETE FROM rate_limit_counters");
    return await benchApiKey(pool, await benchOwner(pool, "bench"));
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  console.log("building service (npm run build)...");
  execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });

  const embedded = process.env.BENCH_DATABASE_URL ? undefined : await startEmbeddedPostgres(".data/bench");
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? embedded!.url;
  const apiKey = await prepareDatabase(databaseUrl);
  const serviceEnv = await benchServiceEnv(databaseUrl);
  const runs: LoadResult[] = [];

  try {
    const coldStarts: number[] = [];
    const coldStartsUntraced: number[] = [];
    const codeCacheStates = new Set<string>();
    // Alternated, so a drift of the shared machine's speed affects both series alike.
    for (let run = 0; run < COLD_START_RUNS; run++) {
      for (const [env, times] of [[serviceEnv, coldStarts], [{ ...serviceEnv, TRACE_SAMPLE_RATIO: "0" }, coldStartsUntraced]] as const) {
        const { child, coldStartMs, output } = await startProcess(["dist/main.js"], env, undefined, true);
        times.push(round(coldStartMs));
        await stop(child);
        codeCacheStates.add(codeCacheState(output()));
      }
    }
    coldStarts.sort((a, b) => a - b);
    coldStartsUntraced.sort((a, b) => a - b);
    const median = (times: number[]) => times[Math.floor(times.length / 2)];
    const coldStartMs = {
      median: median(coldStarts), runs: coldStarts, codeCache: [...codeCacheStates].join(", "),
      tracingOff: { median: median(coldStartsUntraced), runs: coldStartsUntraced },
    };
    if (COLD_START_ONLY) {
      console.log("cold start (ms):", coldStartMs);
      return;
    }

    const service = await startProcess(["dist/main.js"], serviceEnv);
    const baseline = await startProcess(["--import", "tsx", "bench/baseline-server.ts"], {}, { path: "/mcp", status: "any" });
    try {
      const ourCall = (tool: string) => ({ method: "POST" as const, headers: { ...MCP_HEADERS, "x-api-key": apiKey }, body: toolCallBody(tool, {}) });
      const baselineCall = { method: "POST" as const, headers: MCP_HEADERS, body: toolCallBody("echo", { message: "hello" }) };
      // Warm up JIT and the connection pools before measuring.
      for (const tool of TOOLS) await load("warmup", `${service.url}/mcp`, 16, { ...ourCall(tool.name), duration: 2 });
      await load("warmup", `${baseline.url}/mcp`, 16, { ...baselineCall, duration: 2 });
      for (let round = 0; round < ROUNDS; round++) {
        for (const connections of CONNECTIONS) {
          runs.push(await load("pierre GET /health", `${service.url}/health`, connections, {}, service.child.pid));
          for (const tool of TOOLS) runs.push(await load(tool.label, `${service.url}/mcp`, connections, ourCall(tool.name), service.child.pid));
          runs.push(await load("baseline SDK tools/call echo", `${baseline.url}/mcp`, connections, baselineCall, baseline.child.pid));
        }
      }
    } finally {
      await stop(service.child);
      await stop(baseline.child);
    }

    const results = medianRuns(runs);
    const ratios = CONNECTIONS.flatMap((connections) => {
      const base = results.find((r) => r.connections === connections && r.scenario.startsWith("baseline"))!;
      return TOOLS.map((tool) => {
        const ours = results.find((r) => r.connections === connections && r.scenario === tool.label)!;
        return {
          tool: tool.name, connections,
          throughputRatio: round(ours.requestsPerSecond / base.requestsPerSecond),
          // How many times less server CPU a call costs than the baseline's.
          cpuPerRequestRatio: round(base.cpuMicrosPerRequest! / ours.cpuMicrosPerRequest!),
        };
      });
    });
    const report = {
      date: new Date().toISOString(),
      machine: `${cpus().length} x ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      durationSecondsPerRun: DURATION,
      rounds: ROUNDS,
      coldStartMs,
      load: results,
      ourOverBaseline: ratios,
    };
    console.table(results.map(({ requestsPerSecondRuns, ...row }) => ({ ...row, "req/s per round": requestsPerSecondRuns?.join(" / ") })));
    console.log("cold start (ms):", report.coldStartMs);
    console.log("pierre/baseline tools/call throughput:", ratios);
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/latest.json", `${JSON.stringify(report, null, 2)}\n`);
    console.log("written bench/results/latest.json");
  } finally {
    await embedded?.stop();
  }
}

await main();
