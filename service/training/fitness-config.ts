// fitness_configurations (0001): a tenant-wide default (user_id NULL) and per-user overrides, merged field
// by field (the user's value wins). The stored JSON, the tool input and the engine's FitnessConfig share
// one schema, so a field added to one is added to all.
import { z } from "zod";
import type { Queryable } from "../db/pool.js";
import type { FitnessConfig } from "../intelligence/index.js";

const positive = (max: number) => z.number().positive().max(max);

export const fitnessConfigSchema = z.strictObject({
  ftp: positive(1000).optional().describe("Functional threshold power, W"),
  lthr: positive(230).optional().describe("Lactate threshold heart rate, bpm"),
  maxHr: positive(240).optional().describe("Maximum heart rate, bpm"),
  restingHr: positive(120).optional().describe("Resting heart rate, bpm"),
  thresholdPaceSecPerKm: z.number().min(120).max(1200).optional().describe("Threshold running pace, s/km"),
  weightKg: z.number().min(20).max(300).optional(),
  heightCm: z.number().min(100).max(250).optional(),
  age: z.number().int().min(10).max(110).optional(),
  sex: z.enum(["male", "female"]).optional().describe("For the formulas that differ by sex (BMR, TRIMP)"),
}) satisfies z.ZodType<FitnessConfig>;

export const FITNESS_CONFIG_FIELDS = Object.keys(fitnessConfigSchema.shape) as (keyof FitnessConfig)[];

export type ConfigScope = "user" | "tenant";

export interface StoredFitnessConfig {
  scope: ConfigScope;
  values: FitnessConfig;
  updatedAt: Date;
}

export interface EffectiveFitnessConfig {
  tenantDefault: StoredFitnessConfig | null;
  userOverride: StoredFitnessConfig | null;
  merged: FitnessConfig;
  /** Where each set field of `merged` came from. */
  sources: Partial<Record<keyof FitnessConfig, ConfigScope>>;
}

interface Row {
  user_id: string | null;
  config: unknown;
  /** A string when the row came through CONFIG_ROWS_JSON_SQL. */
  updated_at: Date | string;
}

function toStored(row: Row): StoredFitnessConfig {
  // Rows are only written through fitnessConfigSchema; parsing again guards against hand edits.
  const parsed = fitnessConfigSchema.safeParse(row.config);
  return { scope: row.user_id === null ? "tenant" : "user", values: parsed.success ? parsed.data : {}, updatedAt: new Date(row.updated_at) };
}

/**
 * The caller's configuration rows ($1 tenant, $2 user) as one JSON array, for a query that reads them with
 * something else in the same round trip (load-cache.ts); effectiveFromRows reads the array.
 */
export const CONFIG_ROWS_JSON_SQL = `(SELECT coalesce(json_agg(json_build_object('user_id', user_id, 'config', config, 'updated_at', updated_at)), '[]')
  FROM fitness_configurations WHERE tenant_id = $1 AND (user_id IS NULL OR user_id = $2) AND name = 'default')`;

export function effectiveFromRows(rows: Row[]): EffectiveFitnessConfig {
  return merge(rows.map(toStored));
}

/** The tenant default and the caller's own override (never another user's). */
export async function listFitnessConfigs(db: Queryable, tenantId: string, userId: string): Promise<StoredFitnessConfig[]> {
  const { rows } = await db.query<Row>({
    name: "training-list-fitness-configs",
    text: `SELECT user_id, config, updated_at FROM fitness_configurations
     WHERE tenant_id = $1 AND (user_id IS NULL OR user_id = $2) AND name = 'default' ORDER BY user_id NULLS FIRST`,
    values: [tenantId, userId],
  });
  return rows.map(toStored);
}

export async function effectiveFitnessConfig(db: Queryable, tenantId: string, userId: string): Promise<EffectiveFitnessConfig> {
  return merge(await listFitnessConfigs(db, tenantId, userId));
}

function merge(stored: StoredFitnessConfig[]): EffectiveFitnessConfig {
  const tenantDefault = stored.find((c) => c.scope === "tenant") ?? null;
  const userOverride = stored.find((c) => c.scope === "user") ?? null;
  const merged: FitnessConfig = {};
  const sources: EffectiveFitnessConfig["sources"] = {};
  for (const layer of [tenantDefault, userOverride]) {
    if (!layer) continue;
    for (const field of FITNESS_CONFIG_FIELDS) {
      if (layer.values[field] === undefined) continue;
      Object.assign(merged, { [field]: layer.values[field] });
      sources[field] = layer.scope;
    }
  }
  return { tenantDefault, userOverride, merged, sources };
}

/**
 * Merges `values` into the scope's stored configuration in one statement (so concurrent writers cannot
 * lose each other's fields); a field given as null is removed.
 */
export async function updateFitnessConfig(
  db: Queryable,
  target: { tenantId: string; userId: string | null },
  values: Partial<Record<keyof FitnessConfig, unknown>>,
): Promise<StoredFitnessConfig> {
  const { rows } = await db.query<Row>({
    name: "training-update-fitness-config",
    text: `INSERT INTO fitness_configurations (tenant_id, user_id, name, config) VALUES ($1, $2, 'default', jsonb_strip_nulls($3::jsonb))
     ON CONFLICT (tenant_id, user_id, name) DO UPDATE
       SET config = jsonb_strip_nulls(fitness_configurations.config || $3::jsonb), updated_at = now()
     RETURNING user_id, config, updated_at`,
    values: [target.tenantId, target.userId, JSON.stringify(values)],
  });
  return toStored(rows[0]);
}

/** True when a configuration was deleted. */
export async function deleteFitnessConfig(db: Queryable, target: { tenantId: string; userId: string | null }): Promise<boolean> {
  const { rowCount } = await db.query({
    name: "training-delete-fitness-config",
    text: `DELETE FROM fitness_configurations WHERE tenant_id = $1 AND user_id IS NOT DISTINCT FROM $2 AND name = 'default'`,
    values: [target.tenantId, target.userId],
  });
  return (rowCount ?? 0) > 0;
}
