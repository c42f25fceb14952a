import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * For local runs without TOKEN_ENCRYPTION_KEY: a random master key kept in the git-ignored data
 * folder, so data encrypted by `npm start` stays readable across restarts. Production refuses this
 * (see config.ts) and reads the key from Secret Manager.
 */
const keyPath = (dataDir: string) => join(dataDir, "master.key");

/** After a master-key rotation (admin CLI) of a local run: the data keys are wrapped by `key` from now on. */
export async function replaceLocalMasterKey(dataDir: string, key: Buffer): Promise<void> {
  await writeFile(keyPath(dataDir), key.toString("base64"), { mode: 0o600 });
}

export async function loadOrCreateLocalMasterKey(dataDir: string): Promise<Buffer> {
  const path = keyPath(dataDir);
  if (existsSync(path)) return Buffer.from((await readFile(path, "utf8")).trim(), "base64");
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32);
  await writeFile(path, key.toString("base64"), { mode: 0o600 });
  return key;
}
