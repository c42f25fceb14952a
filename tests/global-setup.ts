// One real PostgreSQL 16 cluster for the whole test run; each test file creates its own database in it
// (see tests/support/database.ts), so files stay isolated and can run in parallel.
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../service/db/embedded.js";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dataRoot = await mkdtemp(join(await ensureDir(join(process.cwd(), ".data")), "test-"));
  await chmod(dataRoot, 0o755); // the cluster may run as the `postgres` user when we are root
  const cluster = await startEmbeddedPostgres(dataRoot);
  project.provide("postgresAdminUrl", cluster.url);
  return async () => {
    await cluster.stop();
    await rm(dataRoot, { recursive: true, force: true });
  };
}

async function ensureDir(path: string): Promise<string> {
  await mkdir(path, { recursive: true });
  return path;
}
