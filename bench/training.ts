// Bench (not a test): `npm run bench:training`. The training tools over the synthetic athlete's two years
// (as its sync stores them: streams on some sessions) in the built service on a real PostgreSQL 16 (embedded, or
// BENCH_DATABASE_URL), next to the bare-SDK baseline (bench/baseline-server.ts):
//   analyze_training_load at 16 connections against the baseline's echo at 16 connections, in BENCH_ROUNDS
//   rounds back to back (median-throughput run reported): req/s, p50/p95/p99, server CPU per call;
//   every analytics tool at 4 connections for BENCH_TOOL_DURATION seconds: server CPU per call (the
//   Node process only; PostgreSQL's own CPU is not in it) and latency.
// Each Pierre scenario runs twice, on two service processes: as deployed (a repeated call's answer is given
// again while the data is unchanged, mcp/answer-cache.ts) and with ANSWER_CACHE_SECONDS=0, so every call
// reads and computes (what a first call, or any call after the data changed, costs).
// The athlete's history gets there as a user's does: connect_provider synthetic and its first sync.
// Results: stdout and bench/results/training.json.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import pg from "pg";
import { startEmbeddedPostgres } from "../service/db/embedded.js";
import { migrate } from "../service/db/migrate.js";
import { loadOrCreateLocalMasterKey } from "../service/crypto/local-master-key.js";
import { benchServiceEnv, DURATION, load, MCP_HEADERS, medianRun, round, startProcess, stop, toolCallBody, type LoadResult } from "./support.js";
import { benchApiKey, benchFitness, benchOwner, connectSyntheticAthlete } from "./accounts.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TOOL_DURATION = Number(process.env.BENCH_TOOL_DURATION ?? 3);
const CONNECTIONS = 16;
const REUSED = "pierre analyze_training_load (730 days)";
const COMPUTED = "pierre analyze_training_load (730 days), ANSWER_CACHE_SECONDS=0";
const BASELINE = "baseline SDK tools/call echo";

interface Seeded {
  apiKey: string;
  activityIds: [string, string];
  goalId: string;
}

async function prepareDatabase(url: string): Promise<Seeded> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await migrate(pool);
    await pool.query("DELETE FROM rate_limit_counters");
    const owner = await benchOwner(pool, "bench-training");
    const key = await benchApiKey(pool, owner);
    // Through the service's own connect flow and sync, as a user's history gets there.
    const fitness = benchFitness(pool, await loadOrCreateLocalMasterKey(".data/bench"));
    try {
      await connectSyntheticAthlete(fitness, pool, owner);
    } finally {
      await fitness.events.close();
    }
    const { rows: [stored] } = await pool.query(
      `SELECT (SELECT count(*)::int FROM fitness_activities WHERE user_id = $1) AS activities, (SELECT count(*)::int FROM sleep_records WHERE user_id = $1) AS nights`,
      [owner.userId],
    );
    console.log(`synced ${stored.activities} activities and ${stored.nights} nights of the synthetic athlete`);
    const { rows } = await pool.query<{ id: string }>(
      "SELECT id FROM fitness_activities WHERE user_id = $1 AND sport = 'run' ORDER BY start_time DESC LIMIT 2",
      [owner.userId],
    );
    const goal = await pool.query<{ id: string }>(
      `INSERT INTO goals (tenant_id, user_id, goal_type, sport, target_value, unit, starts_on, ends_on)
       VALUES ($1, $2, 'distance', 'run', 200000, 'm', current_date - 14, current_date + 14) RETURNING id`,
      [owner.tenantId, owner.userId],
    );
    return { apiKey: key, activityIds: [rows[0]!.id, rows[1]!.id], goalId: goal.rows[0]!.id };
  } finally {
    await pool.end();
  }
}

function analyticsCalls(seeded: Seeded): [string, Record<string, unknown>][] {
  const [first, second] = seeded.activityIds;
  return [
    ["analyze_training_load", { days: 42 }],
    ["analyze_activity", { activity_id: first }],
    ["compare_activities", { first_id: first, second_id: second }],
    ["calculate_fitness_score", {}],
    ["detect_patterns", { weeks: 4 }],
    ["analyze_performance_trends", { metric: "pace", period: "quarter", sport: "run" }],
    ["predict_performance", { race: "marathon" }],
    ["calculate_personalized_zones", {}],
    ["generate_recommendations", {}],
    ["analyze_sleep_quality", {}],
    ["track_sleep_trends", { nights: 28 }],
    ["calculate_recovery_score", {}],
    ["suggest_rest_day", {}],
    ["track_progress", { goal_id: seeded.goalId }],
    ["analyze_goal_feasibility", { goal_id: seeded.goalId }],
    ["suggest_goals", {}],
    ["calculate_daily_nutrition", { training_hours: 1.5 }],
    ["get_fitness_config", {}],
  ];
}

async function main(): Promise<void> {
  console.log("building service (npm run build)...");
  execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  const embedded = process.env.BENCH_DATABASE_URL ? undefined : await startEmbeddedPostgres(".data/bench");
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? embedded!.url;
  try {
    const seeded = await prepareDatabase(databaseUrl);
    const serviceEnv = await benchServiceEnv(databaseUrl);
    const service = await startProcess(["dist/main.js"], serviceEnv);
    const computing = await startProcess(["dist/main.js"], { ...serviceEnv, ANSWER_CACHE_SECONDS: "0" });
    const baseline = await startProcess(["--import", "tsx", "bench/baseline-server.ts"], {}, { path: "/mcp", status: "any" });
    const ours = (name: string, args: Record<string, unknown>) => ({
      method: "POST" as const,
      headers: { ...MCP_HEADERS, "x-api-key": seeded.apiKey },
      body: toolCallBody(name, args),
    });
    const baselineCall = { method: "POST" as const, headers: MCP_HEADERS, body: toolCallBody("echo", { message: "hello" }) };
    const loadRuns: LoadResult[] = [];
    const tools: LoadResult[] = [];
    try {
      const trainingLoad = ours("analyze_training_load", { days: 42 });
      await load("warmup", `${service.url}/mcp`, CONNECTIONS, { ...trainingLoad, duration: 2 });
      await load("warmup", `${computing.url}/mcp`, CONNECTIONS, { ...trainingLoad, duration: 2 });
      await load("warmup", `${baseline.url}/mcp`, CONNECTIONS, { ...baselineCall, duration: 2 });
      for (let r = 0; r < ROUNDS; r++) {
        loadRuns.push(await load(REUSED, `${service.url}/mcp`, CONNECTIONS, trainingLoad, service.child.pid));
        loadRuns.push(await load(COMPUTED, `${computing.url}/mcp`, CONNECTIONS, trainingLoad, computing.child.pid));
        loadRuns.push(await load(BASELINE, `${baseline.url}/mcp`, CONNECTIONS, baselineCall, baseline.child.pid));
      }
      for (const [name, args] of analyticsCalls(seeded)) {
        for (const [mode, server] of [["computed", computing], ["reused", service]] as const) {
          await load("warmup", `${server.url}/mcp`, 4, { ...ours(name, args), duration: 1 });
          tools.push(await load(`${name} (${mode})`, `${server.url}/mcp`, 4, { ...ours(name, args), duration: TOOL_DURATION }, server.child.pid));
        }
      }
    } finally {
      await stop(service.child);
      await stop(computing.child);
      await stop(baseline.child);
    }
    const training = medianRun(loadRuns, REUSED);
    const computed = medianRun(loadRuns, COMPUTED);
    const base = medianRun(loadRuns, BASELINE);
    const report = {
      date: new Date().toISOString(),
      machine: `${cpus().length} x ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      durationSecondsPerRun: DURATION,
      rounds: ROUNDS,
      trainingLoad: {
        ours: training,
        computedEveryCall: computed,
        baseline: base,
        throughputRatio: round(training.requestsPerSecond / base.requestsPerSecond),
        computedThroughputRatio: round(computed.requestsPerSecond / base.requestsPerSecond),
      },
      toolsAt4Connections: tools.map(({ scenario, requestsPerSecond, cpuMicrosPerRequest, p50, p99, non2xx, errors }) => ({
        tool: scenario, cpuMicrosPerCall: cpuMicrosPerRequest, requestsPerSecond, p50, p99, non2xx, errors,
      })),
    };
    console.table([training, computed, base].map(({ requestsPerSecondRuns, ...row }) => ({ ...row, "req/s per round": requestsPerSecondRuns.join(" / ") })));
    console.log("analyze_training_load / baseline throughput:", report.trainingLoad.throughputRatio, "(computed every call:", report.trainingLoad.computedThroughputRatio, ")");
    console.table(report.toolsAt4Connections);
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/training.json", `${JSON.stringify(report, null, 2)}\n`);
    console.log("written bench/results/training.json");
  } finally {
    await embedded?.stop();
  }
}

await main();
