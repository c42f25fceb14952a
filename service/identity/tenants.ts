import type { Queryable } from "../db/pool.js";
import type { Tier } from "./tiers.js";

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  tier: Tier;
  createdAt: Date;
}

const COLUMNS = "id, slug, name, tier, created_at AS \"createdAt\"";

export async function createTenant(db: Queryable, input: { slug: string; name: string; tier?: Tier }): Promise<Tenant> {
  const { rows } = await db.query<Tenant>(
    `INSERT INTO tenants (slug, name, tier) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
    [input.slug, input.name, input.tier ?? "free"],
  );
  return rows[0];
}

export async function findTenantBySlug(db: Queryable, slug: string): Promise<Tenant | undefined> {
  const { rows } = await db.query<Tenant>(`SELECT ${COLUMNS} FROM tenants WHERE slug = $1`, [slug]);
  return rows[0];
}
