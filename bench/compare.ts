// Back-to-back comparison of service variants on one tool (not a benchmark of record: a way to compare two
// builds or two settings on the same machine at the same time, which separate runs cannot do).
//
//   BENCH_VARIANTS='{"before":{"ENTRY":"../other-checkout/dist/main.js"},"after":{}}' \
//     npm run bench:compare -- get_activities '{"limit":20}'
//
// Each variant is a service process started as the container runs it (benchServiceEnv), from its ENTRY
// (default dist/main.js of this checkout, built first) with the rest of its object as extra environment
// (e.g. {"NODE_OPTIONS":"--max-semi-space-size=8"}). The bench user gets the synthetic athlete, then each
// round loads `tools/call <tool>` on every variant in turn at 16 connections for BENCH_DURATION seconds;
// BENCH_ROUNDS rounds (default 3), each variant's median-throughput round reported with every round's.
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import pg from "pg";
import { startEmbeddedPostgres } from "../service/db/embedded.js";
import { migrate } from "../service/db/migrate.js";
import { benchApiKey, benchOwner } from "./accounts.js";
import { benchServiceEnv, connectSyntheticOverMcp, load, MCP_HEADERS, medianRun, startProcess, stop, toolCallBody, type LoadResult } from "./support.js";

const [tool = "whoami", argsJson = "{}"] = process.argv.slice(2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const VARIANTS: Record<string, Record<string, string>> = JSON.parse(process.env.BENCH_VARIANTS ?? '{"this build":{}}');

execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
const embedded = process.env.BENCH_DATABASE_URL ? undefined : await startEmbeddedPostgres(".data/bench");
const databaseUrl = process.env.BENCH_DATABASE_URL ?? embedded!.url;
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const services: { name: string; process: Awaited<ReturnType<typeof startProcess>> }[] = [];
try {
  await migrate(pool);
  const key = await benchApiKey(pool, await benchOwner(pool, "bench-compare"));
  for (const [name, { ENTRY = "dist/main.js", ...env }] of Object.entries(VARIANTS)) {
    services.push({ name, process: await startProcess([ENTRY], await benchServiceEnv(databaseUrl, env)) });
  }
  const headers = { ...MCP_HEADERS, "x-api-key": key };
  await connectSyntheticOverMcp(services[0]!.process.url, headers);
  const call = { method: "POST" as const, headers, body: toolCallBody(tool, JSON.parse(argsJson)) };
  for (const { process: service } of services) await load("warmup", `${service.url}/mcp`, 16, { ...call, duration: 2 });
  const runs: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const { name, process: service } of services) runs.push(await load(name, `${service.url}/mcp`, 16, call, service.child.pid));
  }
  console.log(`${tool} ${argsJson}, 16 connections; ${cpus().length} x ${cpus()[0]?.model.trim()}, Node ${process.version}`);
  console.table(
    services.map(({ name }) => medianRun(runs, name)).map(({ scenario, requestsPerSecond, requestsPerSecondRuns, p99, cpuMicrosPerRequest, maxRssMb }) => ({
      variant: scenario, "req/s": requestsPerSecond, "req/s per round": requestsPerSecondRuns.join(" / "), "p99 ms": p99, "CPU us/call": cpuMicrosPerRequest, "max RSS MB": maxRssMb,
    })),
  );
} finally {
  for (const { process: service } of services) await stop(service.child);
  await pool.end();
  await embedded?.stop();
}
