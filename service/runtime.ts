// Turns a parsed Config into one whose database and master key are usable: starts or attaches to the
// embedded cluster and provides the local master key when nothing was configured. Shared by the
// server entry point and the admin CLI so both always see the same data.
import { join } from "node:path";
import type { Config } from "./config.js";
import { loadOrCreateLocalMasterKey } from "./crypto/local-master-key.js";
import { startEmbeddedPostgres } from "./db/embedded.js";

export interface ResolvedRuntime {
  config: Config & { encryptionMasterKey: Buffer };
  /** Stops the embedded cluster if this process started it. */
  release(): Promise<void>;
}

export async function resolveRuntime(config: Config, log: (message: string) => void): Promise<ResolvedRuntime> {
  const encryptionMasterKey = config.encryptionMasterKey ?? (await loadOrCreateLocalMasterKey(config.dataDir));
  if (config.database.source !== "embedded") {
    return { config: { ...config, encryptionMasterKey }, release: async () => {} };
  }
  const embedded = await startEmbeddedPostgres(join(config.dataDir, "postgres"), log);
  return {
    config: { ...config, encryptionMasterKey, database: { ...config.database, url: embedded.url } },
    release: () => embedded.stop(),
  };
}
