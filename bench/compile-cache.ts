// Benchmark (not a test): should Node 24's module compile cache replace the hand-made V8 code-cache loader
// (service/boot/code-cache.ts)? Run it with the Node that would run the image, on a quiet machine:
//   npx -p node@24 node --import tsx bench/compile-cache.ts
// Builds the bundle with that Node, then alternates two cold starts (spawn -> first 200 from /health,
// migrations applied, embedded PostgreSQL), BENCH_COLD_RUNS times each (default 15), back to back so the
// machine's drift hits both alike:
//   codeCache     `node dist/main.js`, today's entry point (the build's V8 code cache);
//   compileCache  dist/service.cjs required after module.enableCompileCache() (cache primed once).
// Replace the loader only if compileCache's median is no worse. Results: stdout and bench/results/compile-cache.json.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { loadOrCreateLocalMasterKey } from "../service/crypto/local-master-key.js";
import { startEmbeddedPostgres } from "../service/db/embedded.js";
import { migrate } from "../service/db/migrate.js";
import { freePort } from "../service/free-port.js";

const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
const scratch = mkdtempSync(join(tmpdir(), "pierre-compile-cache-"));
// The compile-cache variant's entry point: no loader, no shim, Node's own cache.
const compileCacheEntry = join(scratch, "main.mjs");
writeFileSync(
  compileCacheEntry,
  [
    'import { createRequire, enableCompileCache } from "node:module";',
    "enableCompileCache(process.env.COMPILE_CACHE_DIR);",
    "const require = createRequire(process.env.BUNDLE);",
    "void require(process.env.BUNDLE).startService();",
  ].join("\n"),
);
const VARIANTS = { codeCache: ["dist/main.js"], compileCache: [compileCacheEntry] } as const;

async function coldStart(args: readonly string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env: { ...env, PORT: String(port) }, stdio: "ignore" });
  try {
    for (;;) {
      if (Number(process.hrtime.bigint() - started) / 1e6 > 15_000) throw new Error(`${args.join(" ")} did not start`);
      const status = await fetch(`http://127.0.0.1:${port}/health`).then((response) => response.status, () => 0);
      if (status === 200) return Number(process.hrtime.bigint() - started) / 1e6;
      await new Promise((done) => setTimeout(done, 2));
    }
  } finally {
    child.kill("SIGTERM");
    await new Promise((done) => child.once("exit", done));
  }
}

const summary = (runs: number[]) => {
  const sorted = [...runs].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], runs: sorted };
};

console.log(`building the bundle with Node ${process.version}...`);
execFileSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
mkdirSync(".data", { recursive: true });
const cluster = await startEmbeddedPostgres(".data/bench-compile-cache");
try {
  const pool = new pg.Pool({ connectionString: cluster.url });
  await migrate(pool);
  await pool.end();
  const env = {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PUBLIC_BASE_URL: "https://pierre.bench.invalid",
    TOKEN_ENCRYPTION_KEY: (await loadOrCreateLocalMasterKey(".data/bench")).toString("base64"),
    DATABASE_URL: cluster.url,
    COMPILE_CACHE_DIR: join(scratch, "cache"),
    BUNDLE: resolve("dist/service.cjs"),
  };
  await coldStart(VARIANTS.compileCache, env); // primes the compile cache, as a build step would
  const runs: Record<keyof typeof VARIANTS, number[]> = { codeCache: [], compileCache: [] };
  for (let round = 0; round < RUNS; round++) {
    for (const name of Object.keys(VARIANTS) as Array<keyof typeof VARIANTS>) {
      runs[name].push(Math.round(await coldStart(VARIANTS[name], env)));
    }
  }
  const report = {
    node: process.version,
    date: new Date().toISOString(),
    loadAverage: (await import("node:os")).loadavg(),
    codeCache: summary(runs.codeCache),
    compileCache: summary(runs.compileCache),
  };
  console.log(report);
  writeFileSync("bench/results/compile-cache.json", `${JSON.stringify(report, null, 2)}\n`);
} finally {
  await cluster.stop();
  rmSync(scratch, { recursive: true, force: true });
}
