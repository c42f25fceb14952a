// Where a tool's CPU goes (not a benchmark: a profiler run). `npm run bench:profile -- <tool> [json args]`
// builds nothing (run `npm run build` first), starts dist/main.js as the container runs it but under
// `--cpu-prof`, connects the synthetic athlete for the bench account, loads `tools/call <tool>` at 16
// connections for BENCH_DURATION seconds, and prints the self time by source file (mapped back through
// the bundle's source map) and the heaviest functions. It is how the costs the README's Benchmarks
// section attributes were found; rerun it after a change to see where the time moved.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../service/db/embedded.js";
import { migrate } from "../service/db/migrate.js";
import { benchApiKey, benchOwner } from "./accounts.js";
import { benchServiceEnv, connectSyntheticOverMcp, DURATION, load, MCP_HEADERS, startProcess, stop, toolCallBody } from "./support.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [tool = "whoami", argsJson = "{}"] = process.argv.slice(2);
const TOP = Number(process.env.PROFILE_TOP ?? 25);

/** Self time per node id, in microseconds. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const times = new Map<number, number>();
  profile.samples.forEach((id, i) => times.set(id, (times.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  return times;
}

/** "file:line function" for a frame, through the bundle's source map when the frame is in the bundle. */
function locate(frame: ProfileNode["callFrame"], maps: Map<string, SourceMap | undefined>): { file: string; fn: string } {
  const fn = frame.functionName || "(anonymous)";
  if (!frame.url) return { file: fn.startsWith("(") ? fn : "(native)", fn };
  if (!maps.has(frame.url)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${new URL(frame.url).pathname}.map`, "utf8")));
    } catch {
      map = undefined;
    }
    maps.set(frame.url, map);
  }
  const entry = maps.get(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  const file = entry && "originalSource" in entry ? entry.originalSource : frame.url;
  const short = file.replace(/^.*node_modules\//, "").replace(/^.*\/(service|bench)\//, "$1/");
  return { file: short, fn: `${fn} ${short}:${entry && "originalLine" in entry ? entry.originalLine + 1 : frame.lineNumber + 1}` };
}

function report(profile: CpuProfile, calls: number): void {
  const maps = new Map<string, SourceMap | undefined>();
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  // Each node is located once: a sample's whole stack is walked for the inclusive times.
  const located = new Map(profile.nodes.map((node) => [node.id, locate(node.callFrame, maps)]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  let total = 0;
  for (const [id, micros] of selfTimes(profile)) {
    const { file, fn } = located.get(id)!;
    if (file === "(idle)") continue;
    total += micros;
    byFile.set(file, (byFile.get(file) ?? 0) + micros);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
    // Inclusive: every function on the sample's stack, once even when it recurses.
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) onStack.add(located.get(at)!.fn);
    for (const fnOnStack of onStack) inclusive.set(fnOnStack, (inclusive.get(fnOnStack) ?? 0) + micros);
  }
  const rows = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([name, micros]) => ({ name, "us/call": Math.round(micros / calls), share: `${((100 * micros) / total).toFixed(1)}%` }));
  console.log(`busy CPU on the main thread: ${Math.round(total / calls)} us per call over ${calls} calls`);
  console.table(rows(byFile));
  console.table(rows(byFunction));
  console.log("inclusive (the function and everything it called):");
  console.table([...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 2 * TOP).map(([name, micros]) => ({ name, "us/call": Math.round(micros / calls) })));
}

async function main(): Promise<void> {
  const embedded = process.env.BENCH_DATABASE_URL ? undefined : await startEmbeddedPostgres(".data/bench");
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? embedded!.url;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const profileDir = mkdtempSync(join(tmpdir(), "pierre-profile-"));
  try {
    await migrate(pool);
    const key = await benchApiKey(pool, await benchOwner(pool, "bench-profile"));
    const env = await benchServiceEnv(databaseUrl, { LOG_LEVEL: process.env.LOG_LEVEL ?? "info" });
    const service = await startProcess(["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "dist/main.js"], env);
    const headers = { ...MCP_HEADERS, "x-api-key": key };
    await connectSyntheticOverMcp(service.url, headers);
    const request = { method: "POST" as const, headers, body: toolCallBody(tool, JSON.parse(argsJson) as Record<string, unknown>) };
    const warmup = await load("warmup", `${service.url}/mcp`, 16, { ...request, duration: 2 });
    const run = await load(tool, `${service.url}/mcp`, 16, request, service.child.pid);
    await stop(service.child);
    console.log(run);
    const file = readdirSync(profileDir).find((name) => name.endsWith(".cpuprofile"))!;
    // The profile covers the warmup too, so calls are counted over both.
    const calls = Math.round(warmup.requestsPerSecond * 2 + run.requestsPerSecond * DURATION);
    report(JSON.parse(readFileSync(join(profileDir, file), "utf8")) as CpuProfile, calls);
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}

await main();
