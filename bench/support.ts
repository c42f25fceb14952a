// What the benchmark scripts share: autocannon runs with latency percentiles, server CPU and RSS from
// /proc, and starting/stopping the service and the baseline as child processes.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { loadOrCreateLocalMasterKey } from "../service/crypto/local-master-key.js";
import { freePort } from "../service/free-port.js";

/** Seconds per autocannon run (BENCH_DURATION, default 8). */
export const DURATION = Number(process.env.BENCH_DURATION ?? 8);

export interface LoadResult {
  scenario: string;
  connections: number;
  requestsPerSecond: number;
  /** Server CPU time (user + system) per answered request: the server's cost, whatever else the machine runs. */
  cpuMicrosPerRequest?: number;
  /** Every round's throughput, when the result is the median of several. */
  requestsPerSecondRuns?: number[];
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  maxRssMb?: number;
}

/**
 * The service's environment in every bench: as the container runs it (NODE_ENV=production, so tracing samples
 * a tenth of requests), on loopback, with the bench data directory's master key; `overrides` on top.
 */
export async function benchServiceEnv(databaseUrl: string, overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PUBLIC_BASE_URL: "https://pierre.bench.invalid",
    TOKEN_ENCRYPTION_KEY: (await loadOrCreateLocalMasterKey(".data/bench")).toString("base64"),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "info",
    ...overrides,
  };
}

export function toolCallBody(name: string, args: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } });
}

/** Connects the synthetic athlete for the caller of `headers` through the running service's own connect_provider. */
export async function connectSyntheticOverMcp(serviceUrl: string, headers: Record<string, string>): Promise<void> {
  const connect = await fetch(`${serviceUrl}/mcp`, { method: "POST", headers, body: toolCallBody("connect_provider", { provider: "synthetic" }) });
  if (!connect.ok) throw new Error(`connect_provider answered ${connect.status}`);
}

export const MCP_HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-11-25",
};

export async function load(scenario: string, url: string, connections: number, options: Partial<autocannon.Options>, pid?: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let maxRss = 0;
  const sampler = pid ? setInterval(() => (maxRss = Math.max(maxRss, rssMb(pid))), 200) : undefined;
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: DURATION, ...options }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  if (sampler) clearInterval(sampler);
  const cpuUsed = pid ? cpuSeconds(pid) - cpuBefore : 0;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN);
  return {
    scenario, connections,
    requestsPerSecond: round(result.requests.average),
    p50: at(0.5), p95: at(0.95), p99: at(0.99),
    non2xx: result.non2xx, errors: result.errors,
    ...(pid ? { maxRssMb: round(maxRss), cpuMicrosPerRequest: Math.round((cpuUsed * 1e6) / latencies.length) } : {}),
  };
}

/** A scenario's median-throughput run over its rounds, with every round's throughput. */
export function medianRun(runs: LoadResult[], scenario: string): LoadResult & { requestsPerSecondRuns: number[] } {
  const sorted = runs.filter((run) => run.scenario === scenario).sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return { ...sorted[Math.floor(sorted.length / 2)]!, requestsPerSecondRuns: sorted.map((run) => run.requestsPerSecond) };
}

/** CPU time (user + system, all threads) the process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : 0;
}

export const round = (n: number) => Math.round(n * 100) / 100;
/** USER_HZ, the unit of /proc/<pid>/stat's times: 100 on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Milliseconds from `started` until GET `path` answers `status` (the baseline has no /health: any answer). */
async function waitUntilServing(url: string, path: string, status: number | "any", started: bigint, timeoutMs = 15_000): Promise<number> {
  while (Number(process.hrtime.bigint() - started) / 1e6 < timeoutMs) {
    try {
      const response = await fetch(`${url}${path}`);
      if (status === "any" || response.status === status) return Number(process.hrtime.bigint() - started) / 1e6;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`${url} did not become healthy`);
}

/** Starts a server process; `captureOutput` keeps its stdout (cold starts only: a load run would fill it). */
export async function startProcess(args: string[], env: Record<string, string>, ready: { path: string; status: number | "any" } = { path: "/health", status: 200 }, captureOutput = false): Promise<{ child: ChildProcess; url: string; coldStartMs: number; output: () => string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port) }, stdio: ["ignore", captureOutput ? "pipe" : "ignore", "inherit"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk));
  const coldStartMs = await waitUntilServing(url, ready.path, ready.status, started);
  return { child, url, coldStartMs, output: () => output };
}

/** What the service's "listening" line says about the V8 code cache (service/boot/code-cache.ts). */
export function codeCacheState(output: string): string {
  return /"message":"listening".*"codeCache":"(\w+)"/.exec(output)?.[1] ?? "not reported";
}

export async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

