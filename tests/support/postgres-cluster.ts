// A PostgreSQL 16 cluster of a test's own, for tests that stop and restart the database under the
// service (the shared cluster of tests/global-setup.ts must stay up for every other file).
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../service/db/embedded.js";

export interface OwnCluster {
  /** Connection string; the same before and after a restart. */
  url: string;
  stop(): Promise<void>;
  /** Starts the stopped cluster again on the same port and data. */
  restart(): Promise<void>;
  /** Stops it if running and deletes its data. */
  remove(): Promise<void>;
}

export async function startOwnCluster(): Promise<OwnCluster> {
  await mkdir(".data", { recursive: true });
  const root = await mkdtemp(join(".data", "test-own-"));
  await chmod(root, 0o755); // the cluster may run as the `postgres` user when we are root
  let running: EmbeddedDatabase | undefined = await startEmbeddedPostgres(root);
  const url = running.url;
  const port = Number(new URL(url).port);
  return {
    url,
    async stop() {
      await running?.stop();
      running = undefined;
    },
    async restart() {
      running = await startEmbeddedPostgres(root, () => {}, port);
    },
    async remove() {
      await running?.stop();
      running = undefined;
      await rm(root, { recursive: true, force: true });
    },
  };
}
