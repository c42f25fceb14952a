// Benchmark (not a test): `npm run bench:sign-in`. How much a flood of wrong-password sign-ins costs
// everyone else. The built service (NODE_ENV=production, default password cost) serves /health to 4
// autocannon connections, first alone, then while FLOOD_WORKERS clients post wrong passwords as fast as
// they can. Each flood request opens a sign-in page and posts it for a new unknown email from a new
// X-Forwarded-For address (one trusted proxy), so neither the per-IP limit nor the per-account throttle
// stops it: the worst case, where every attempt hashes a password. The probe that filed issue 7 saw
// /health's p95 go from 2 ms to about 1.9 s with bcrypt (cost 12) on the main thread.
// Results: stdout and bench/results/sign-in-flood.json.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import pg from "pg";
import { startEmbeddedPostgres } from "../service/db/embedded.js";
import { migrate } from "../service/db/migrate.js";
import { benchServiceEnv, load, round, startProcess, stop } from "./support.js";

const FLOOD_WORKERS = Number(process.env.FLOOD_WORKERS ?? 24);
const HEALTH_CONNECTIONS = 4;

interface Flood {
  attempts: number;
  statuses: Record<number, number>;
  stop(): Promise<void>;
}

async function registerClient(url: string): Promise<{ clientId: string; redirectUri: string }> {
  const redirectUri = "http://127.0.0.1:9/callback";
  const response = await fetch(`${url}/oauth2/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "flood", redirect_uris: [redirectUri], token_endpoint_auth_method: "none" }),
  });
  return { clientId: ((await response.json()) as { client_id: string }).client_id, redirectUri };
}

function flood(url: string, client: { clientId: string; redirectUri: string }): Flood {
  const result: Flood = { attempts: 0, statuses: {}, stop: async () => {} };
  let running = true;
  let sequence = 0;
  const workers = Array.from({ length: FLOOD_WORKERS }, async () => {
    while (running) {
      const n = sequence++;
      const from = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
      const page = new URL("/oauth2/authorize", url);
      for (const [name, value] of Object.entries({
        response_type: "code", client_id: client.clientId, redirect_uri: client.redirectUri,
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256",
      })) page.searchParams.set(name, value);
      const html = await (await fetch(page, { headers: { "x-forwarded-for": from } })).text();
      const token = /name="form_token" value="([^"]+)"/.exec(html)?.[1] ?? "";
      const posted = await fetch(`${url}/oauth2/authorize`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": from },
        body: new URLSearchParams({ form_token: token, email: `nobody-${n}@example.com`, password: "wrong password", action: "allow" }),
        redirect: "manual",
      });
      await posted.arrayBuffer();
      result.attempts++;
      result.statuses[posted.status] = (result.statuses[posted.status] ?? 0) + 1;
    }
  });
  result.stop = async () => {
    running = false;
    await Promise.all(workers);
  };
  return result;
}

async function main(): Promise<void> {
  console.log("building service (npm run build)...");
  execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  const embedded = process.env.BENCH_DATABASE_URL ? undefined : await startEmbeddedPostgres(".data/bench");
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? embedded!.url;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  await migrate(pool);
  await pool.query("DELETE FROM sign_in_failures");
  await pool.end();
  const service = await startProcess(["dist/main.js"], await benchServiceEnv(databaseUrl, { TRUST_PROXY_HOPS: "1", LOG_LEVEL: "warn" }));
  try {
    await load("warmup", `${service.url}/health`, HEALTH_CONNECTIONS, { duration: 2 });
    const quiet = await load("GET /health alone", `${service.url}/health`, HEALTH_CONNECTIONS, {}, service.child.pid);
    const flooding = flood(service.url, await registerClient(service.url));
    const started = Date.now();
    const underFlood = await load(`GET /health during ${FLOOD_WORKERS} concurrent wrong-password sign-ins`, `${service.url}/health`, HEALTH_CONNECTIONS, {}, service.child.pid);
    await flooding.stop();
    const seconds = (Date.now() - started) / 1000;
    const report = {
      date: new Date().toISOString(),
      machine: `${cpus().length} x ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      health: [quiet, underFlood],
      flood: { workers: FLOOD_WORKERS, signInsPerSecond: round(flooding.attempts / seconds), statuses: flooding.statuses },
    };
    console.table(report.health);
    console.log("flood:", report.flood);
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/sign-in-flood.json", `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await stop(service.child);
    await embedded?.stop();
  }
}

await main();
