// Fitness fixtures: a migrated database with accounts, and provider connections of those accounts.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { Keyring } from "../../service/crypto/envelope.js";
import { migrate } from "../../service/db/migrate.js";
import { saveConnected, type Connection } from "../../service/fitness/connections.js";
import type { ProviderId } from "../../service/fitness/model.js";
import { createAccount, type Account } from "./mcp.js";
import { createTestDatabase } from "./database.js";

export interface FitnessDatabase {
  url: string;
  pool: pg.Pool;
  masterKey: Buffer;
  keyring: Keyring;
}

export async function createFitnessDatabase(): Promise<FitnessDatabase> {
  const url = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  await migrate(pool);
  const masterKey = randomBytes(32);
  return { url, pool, masterKey, keyring: new Keyring(pool, masterKey) };
}

export const ownerOf = (account: Account) => ({ tenantId: account.tenant.id, userId: account.user.id });

export function connect(pool: pg.Pool, account: Account, provider: ProviderId): Promise<Connection> {
  return saveConnected(pool, ownerOf(account), provider, { externalUserId: "ext-1", scopes: ["read"] });
}

export { createAccount, type Account };
