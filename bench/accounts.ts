// The accounts the benchmark scripts call the service as, made the same way by each, and their data.
import type pg from "pg";
import { Keyring } from "../service/crypto/envelope.js";
import { createNotificationListener } from "../service/db/notifications.js";
import { findConnection } from "../service/fitness/connections.js";
import { createFitnessServices, type FitnessServices } from "../service/fitness/index.js";
import { createLogger } from "../service/logging/index.js";
import { createApiKey } from "../service/identity/api-keys.js";
import { createTenant } from "../service/identity/tenants.js";
import { addMembership, createUser } from "../service/identity/users.js";

export interface BenchOwner {
  tenantId: string;
  userId: string;
}

/** A fresh enterprise tenant `slug` whose owner is `<slug>@example.com`; an earlier run's copy is deleted first. */
export async function benchOwner(pool: pg.Pool, slug: string): Promise<BenchOwner> {
  await pool.query("DELETE FROM tenants WHERE slug = $1", [slug]);
  await pool.query("DELETE FROM users WHERE email = $1", [`${slug}@example.com`]);
  const tenant = await createTenant(pool, { slug, name: slug, tier: "enterprise" });
  const user = await createUser(pool, { email: `${slug}@example.com`, password: "bench-password-123", tier: "enterprise" }, 4);
  await addMembership(pool, { tenantId: tenant.id, userId: user.id, role: "owner" });
  return { tenantId: tenant.id, userId: user.id };
}

/** An API key with limits far above what one run sends: the limiter is charged on every request but never rejects. */
export async function benchApiKey(pool: pg.Pool, owner: BenchOwner): Promise<string> {
  const { key } = await createApiKey(pool, { ...owner, name: "bench", burstPerMinute: 2_000_000_000, monthlyQuota: 2_000_000_000 });
  return key;
}

/** The fitness layer as the service builds it, on the bench database with the bench's master key. Close its events when done. */
export function benchFitness(pool: pg.Pool, masterKey: Buffer): FitnessServices {
  const logger = createLogger({ level: "warn", stream: process.stderr });
  return createFitnessServices({
    config: { providers: {}, providerRedirectBase: "https://pierre.bench.invalid" },
    pool,
    keyring: new Keyring(pool, masterKey),
    logger,
    notifications: createNotificationListener(pool, logger),
  });
}

/** Connects the synthetic athlete for `owner` and stores its two years, through the service's own connect flow and sync. */
export async function connectSyntheticAthlete(fitness: FitnessServices, pool: pg.Pool, owner: BenchOwner): Promise<void> {
  await fitness.connect.start(owner, "synthetic");
  await fitness.sync.ensureFresh((await findConnection(pool, owner, "synthetic"))!);
}
