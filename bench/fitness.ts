// Bench (not a test) for the fitness layer, issue 8's two numbers:
//  1. connecting the synthetic athlete for a new user and storing its two-year history (generation +
//     one transaction of bulk inserts), per fresh user: target < 1 s;
//  2. get_activities (20 activities from PostgreSQL, API key) against the bare SDK baseline at 16
//     connections: target 2x its throughput, p99 < 50 ms. As deployed (a repeated call's answer is given
//     again while the data is unchanged, mcp/answer-cache.ts) and with ANSWER_CACHE_SECONDS=0 (every call
//     reads and builds its answer), BENCH_LOAD_ROUNDS rounds of the three back to back.
// Run: npx tsx bench/fitness.ts (embedded PostgreSQL, or BENCH_DATABASE_URL). Writes bench/results/fitness.json.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import pg from "pg";
import { loadOrCreateLocalMasterKey } from "../service/crypto/local-master-key.js";
import { startEmbeddedPostgres } from "../service/db/embedded.js";
import { migrate } from "../service/db/migrate.js";
import { benchServiceEnv, connectSyntheticOverMcp, DURATION, load, MCP_HEADERS, medianRun, round, startProcess, stop, toolCallBody, type LoadResult } from "./support.js";
import { benchApiKey, benchFitness, benchOwner, connectSyntheticAthlete } from "./accounts.js";

const STORE_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
/** Rounds of the three load scenarios back to back; each one's median-throughput run is reported. */
const LOAD_ROUNDS = Number(process.env.BENCH_LOAD_ROUNDS ?? 3);
const CONNECTIONS = 16;
const REUSED = "pierre tools/call get_activities limit 20 (API key)";
const COMPUTED = "pierre get_activities limit 20, ANSWER_CACHE_SECONDS=0";
const BASELINE = "baseline SDK tools/call echo";

/** Connect + generate + store, per fresh user, through the service's own connect flow and sync. */
async function storeTimes(pool: pg.Pool, masterKey: Buffer) {
  const fitness = benchFitness(pool, masterKey);
  const times: number[] = [];
  let stored = { activities: 0, sleep: 0, hrv: 0 };
  for (let i = -1; i < STORE_ROUNDS; i++) {
    const owner = await benchOwner(pool, `bench-store-${i + 1}`);
    const started = process.hrtime.bigint();
    await connectSyntheticAthlete(fitness, pool, owner);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // Round -1 warms the JIT up, as a running server would be.
    if (i >= 0) times.push(round(ms));
    if (i === 0) {
      const { rows } = await pool.query(
        `SELECT (SELECT count(*)::int FROM fitness_activities WHERE user_id = $1) AS activities,
                (SELECT count(*)::int FROM sleep_records WHERE user_id = $1) AS sleep, (SELECT count(*)::int FROM hrv_records WHERE user_id = $1) AS hrv`,
        [owner.userId],
      );
      stored = rows[0];
    }
  }
  await fitness.events.close();
  times.sort((a, b) => a - b);
  return { stored, ms: { min: times[0], p50: times[Math.floor(times.length / 2)], max: times[times.length - 1], runs: times } };
}

async function main(): Promise<void> {
  console.log("building service (npm run build)...");
  execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  const embedded = process.env.BENCH_DATABASE_URL ? undefined : await startEmbeddedPostgres(".data/bench");
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? embedded!.url;
  const masterKey = await loadOrCreateLocalMasterKey(".data/bench");
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  try {
    await migrate(pool);
    const store = await storeTimes(pool, masterKey);
    console.log("synthetic connect + two-year history stored (ms):", store);

    const owner = await benchOwner(pool, "bench-read");
    const key = await benchApiKey(pool, owner);
    const serviceEnv = await benchServiceEnv(databaseUrl);
    const service = await startProcess(["dist/main.js"], serviceEnv);
    // Every call reads PostgreSQL and builds its answer: a first call, or any call after the data changed.
    const computing = await startProcess(["dist/main.js"], { ...serviceEnv, ANSWER_CACHE_SECONDS: "0" });
    const baseline = await startProcess(["--import", "tsx", "bench/baseline-server.ts"], {}, { path: "/mcp", status: "any" });
    const runs: LoadResult[] = [];
    try {
      const headers = { ...MCP_HEADERS, "x-api-key": key };
      await connectSyntheticOverMcp(service.url, headers);
      const ours = { method: "POST" as const, headers, body: toolCallBody("get_activities", { limit: 20 }) };
      const base = { method: "POST" as const, headers: MCP_HEADERS, body: toolCallBody("echo", { message: "hello" }) };
      await load("warmup", `${service.url}/mcp`, CONNECTIONS, { ...ours, duration: 2 });
      await load("warmup", `${computing.url}/mcp`, CONNECTIONS, { ...ours, duration: 2 });
      await load("warmup", `${baseline.url}/mcp`, CONNECTIONS, { ...base, duration: 2 });
      for (let r = 0; r < LOAD_ROUNDS; r++) {
        runs.push(await load(REUSED, `${service.url}/mcp`, CONNECTIONS, ours, service.child.pid));
        runs.push(await load(COMPUTED, `${computing.url}/mcp`, CONNECTIONS, ours, computing.child.pid));
        runs.push(await load(BASELINE, `${baseline.url}/mcp`, CONNECTIONS, base, baseline.child.pid));
      }
    } finally {
      await stop(service.child);
      await stop(computing.child);
      await stop(baseline.child);
    }
    const [ours, computed, base] = [medianRun(runs, REUSED), medianRun(runs, COMPUTED), medianRun(runs, BASELINE)];
    const report = {
      date: new Date().toISOString(),
      machine: `${cpus().length} x ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      durationSecondsPerRun: DURATION,
      syntheticStore: store,
      rounds: LOAD_ROUNDS,
      load: [ours, computed, base],
      getActivitiesOverBaseline: round(ours.requestsPerSecond / base.requestsPerSecond),
      computedGetActivitiesOverBaseline: round(computed.requestsPerSecond / base.requestsPerSecond),
    };
    console.table(report.load.map(({ requestsPerSecondRuns, ...row }) => ({ ...row, "req/s per round": requestsPerSecondRuns.join(" / ") })));
    console.log("get_activities / baseline throughput:", report.getActivitiesOverBaseline, "(computed every call:", report.computedGetActivitiesOverBaseline, ")");
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/fitness.json", `${JSON.stringify(report, null, 2)}\n`);
    console.log("written bench/results/fitness.json");
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}

await main();
