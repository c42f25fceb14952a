// Cloud SQL IAM database authentication as the service does it: the pool's password is the service
// account's access token from the metadata server (here a local fake of its real endpoint), checked by
// a real PostgreSQL that knows the token as the role's password.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../service/config.js";
import { metadataTokenSource } from "../../service/db/iam-token.js";
import { createPool } from "../../service/db/pool.js";
import { createTestDatabase } from "../support/database.js";
import { startFakeMetadataServer, type FakeMetadataServer } from "../support/metadata-server.js";

let databaseUrl: string;
let metadata: FakeMetadataServer;
const role = `iam_${randomBytes(4).toString("hex")}`;
const newToken = () => `ya29.${randomBytes(24).toString("base64url")}`;

async function setRolePassword(password: string): Promise<void> {
  const admin = new pg.Client(databaseUrl);
  await admin.connect();
  try {
    const existing = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    const verb = existing.rowCount === 0 ? "CREATE ROLE" : "ALTER ROLE";
    await admin.query(`${verb} ${role} LOGIN PASSWORD '${password}'`);
  } finally {
    await admin.end();
  }
}

/**
 * Production's path: pg reads the PG* variables (Cloud Run sets them; no PGPASSWORD), the pool supplies
 * the token. Each test file runs in its own process, so setting them here touches no other file.
 */
function useIamUserEnvironment(): void {
  const url = new URL(databaseUrl);
  Object.assign(process.env, { PGHOST: url.hostname, PGPORT: url.port, PGDATABASE: url.pathname.slice(1), PGUSER: role });
  delete process.env.PGPASSWORD;
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  const token = newToken();
  await setRolePassword(token);
  metadata = await startFakeMetadataServer(token);
  useIamUserEnvironment();
});
afterAll(() => metadata.close());

describe("IAM database authentication", () => {
  it("connects with the metadata server's access token as the password", async () => {
    const pool = createPool({ source: "pg-env", poolMax: 2, ssl: "disable", iamAuth: { metadataUrl: metadata.url } });
    try {
      expect((await pool.query("SELECT current_user AS user")).rows[0].user).toBe(role);
      expect(metadata.requests).toBeGreaterThan(0);
    } finally {
      await pool.end();
    }
  });

  it("reuses a token until five minutes before it expires, then fetches the new one", async () => {
    let now = 1_000_000;
    const password = metadataTokenSource(metadata.url, () => now);
    const before = metadata.requests;
    const first = await password();
    expect(await Promise.all([password(), password()])).toEqual([first, first]);
    expect(metadata.requests - before).toBe(1);

    metadata.token = newToken();
    await setRolePassword(metadata.token);
    now += (metadata.expiresInSeconds - 299) * 1000;
    expect(await password()).toBe(metadata.token);
    expect(metadata.requests - before).toBe(2);
  });

  it("refuses an answer that does not come from the metadata server", async () => {
    metadata.sendFlavorHeader = false;
    try {
      await expect(metadataTokenSource(metadata.url)()).rejects.toThrow(/Metadata-Flavor/);
    } finally {
      metadata.sendFlavorHeader = true;
    }
  });

  it("is configured by DATABASE_AUTH=gcp-iam with PGHOST, against a configurable metadata URL", () => {
    const config = loadConfig({ PGHOST: "10.16.0.3", DATABASE_AUTH: "gcp-iam", GCP_METADATA_URL: `${metadata.url}/` });
    expect(config.database).toMatchObject({ source: "pg-env", iamAuth: { metadataUrl: metadata.url } });
    expect(loadConfig({ PGHOST: "10.16.0.3" }).database.iamAuth).toBeUndefined();
    expect(() => loadConfig({ DATABASE_AUTH: "gcp-iam" })).toThrow(/needs PGHOST/);
  });
});
