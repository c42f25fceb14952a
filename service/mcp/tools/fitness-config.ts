// get/set/list/delete_fitness_config: the tenant default and the caller's override (training/fitness-config.ts),
// and the thresholds the analytics will use, with which of them are estimated from activities.
import { z } from "zod";
import type { ThresholdName } from "../../intelligence/index.js";
import { trainingBasis } from "../../training/analytics.js";
import {
  deleteFitnessConfig,
  fitnessConfigSchema,
  listFitnessConfigs,
  updateFitnessConfig,
  type StoredFitnessConfig,
} from "../../training/fitness-config.js";
import { defineTool } from "./tool.js";
import { now, ownerOf, provenance, readOnly, requireTenantAdmin } from "./training-support.js";

const scope = z.enum(["user", "tenant"]);
const storedConfig = z.object({ scope, values: fitnessConfigSchema, updatedAt: z.iso.datetime() });
const toOutput = (stored: StoredFitnessConfig) => ({ ...stored, updatedAt: stored.updatedAt.toISOString() });

const thresholdValue = z.object({
  value: z.number().nullable(),
  source: z.enum(["configured", "estimated", "missing"]),
  method: z.string().nullable().describe("How an estimated value was obtained"),
});
const THRESHOLD_NAMES = ["ftp", "lthr", "maxHr", "restingHr", "thresholdPaceSecPerKm"] as const satisfies readonly ThresholdName[];

export const getFitnessConfig = defineTool({
  name: "get_fitness_config",
  title: "Fitness configuration",
  description:
    "Returns the caller's fitness configuration (FTP, LTHR, max/resting HR, threshold pace, weight, height, age, sex): " +
    "the tenant default, the caller's override, the merged values, and the thresholds the analytics use, " +
    "each marked configured, estimated from the last 90 days of activities (with the method) or missing.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  syncsFirst: true,
  input: z.strictObject({}),
  output: z.object({
    tenantDefault: storedConfig.nullable(),
    userOverride: storedConfig.nullable(),
    effective: fitnessConfigSchema,
    thresholds: z.object(Object.fromEntries(THRESHOLD_NAMES.map((name) => [name, thresholdValue])) as Record<(typeof THRESHOLD_NAMES)[number], typeof thresholdValue>),
    ...provenance,
  }),
  async run(_input, { principal, db }) {
    // The thresholds stored with the daily TSS series: the ones every analysis uses.
    const { config, thresholds } = await trainingBasis(db, ownerOf(principal), now());
    return {
      tenantDefault: config.tenantDefault && toOutput(config.tenantDefault),
      userOverride: config.userOverride && toOutput(config.userOverride),
      effective: config.merged,
      thresholds,
      estimated: thresholds.estimated,
      missing: thresholds.missing,
    };
  },
  summary: ({ thresholds }) =>
    "Thresholds: " +
    THRESHOLD_NAMES.map((name) => {
      const { value, source, method } = thresholds[name];
      return value === null ? `${name} missing` : `${name} ${Math.round(value)} (${source === "estimated" ? `estimated: ${method}` : source})`;
    }).join("; ") +
    ".",
});

const nullableFields = z.strictObject(
  Object.fromEntries(Object.entries(fitnessConfigSchema.shape).map(([key, field]) => [key, field.unwrap().nullable().optional()])) as {
    [K in keyof typeof fitnessConfigSchema.shape]: z.ZodOptional<z.ZodNullable<ReturnType<(typeof fitnessConfigSchema.shape)[K]["unwrap"]>>>;
  },
);

export const setFitnessConfig = defineTool({
  name: "set_fitness_config",
  title: "Set fitness configuration",
  description:
    "Sets fields of the caller's own fitness configuration (scope user, the default) or of the tenant default " +
    "(scope tenant, owners and admins). Fields not given are kept; a field given as null is cleared. " +
    'Example: {"values": {"ftp": 250, "maxHr": 188, "weightKg": 70}}.',
  requiredScope: "fitness:write",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({
    scope: scope.default("user"),
    values: nullableFields.refine((v) => Object.keys(v).length > 0, { message: "give at least one field to set or clear" }),
  }),
  output: z.object({ configuration: storedConfig }),
  async run({ scope, values }, { principal, db }) {
    if (scope === "tenant") requireTenantAdmin(principal, "set the tenant default");
    const target = { tenantId: principal.tenant.id, userId: scope === "tenant" ? null : principal.userId };
    return { configuration: toOutput(await updateFitnessConfig(db, target, values)) };
  },
  summary: ({ configuration }) => `Saved the ${configuration.scope} configuration: ${JSON.stringify(configuration.values)}.`,
});

export const listFitnessConfigsTool = defineTool({
  name: "list_fitness_configs",
  title: "List fitness configurations",
  description: "Lists the fitness configurations that apply to the caller: the tenant default and the caller's own override.",
  requiredScope: "fitness:read",
  annotations: readOnly,
  reusable: true,
  input: z.strictObject({}),
  output: z.object({ configurations: z.array(storedConfig) }),
  async run(_input, { principal, db }) {
    return { configurations: (await listFitnessConfigs(db, principal.tenant.id, principal.userId)).map(toOutput) };
  },
});

export const deleteFitnessConfigTool = defineTool({
  name: "delete_fitness_config",
  title: "Delete fitness configuration",
  description:
    "Deletes the caller's own fitness configuration (scope user) or the tenant default (scope tenant, owners and admins); " +
    "the analytics then fall back to the tenant default or to estimates.",
  requiredScope: "fitness:write",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({ scope: scope.default("user") }),
  output: z.object({ deleted: z.boolean().describe("False when there was nothing to delete") }),
  async run({ scope }, { principal, db }) {
    if (scope === "tenant") requireTenantAdmin(principal, "delete the tenant default");
    return { deleted: await deleteFitnessConfig(db, { tenantId: principal.tenant.id, userId: scope === "tenant" ? null : principal.userId }) };
  },
  summary: ({ deleted }) => (deleted ? "Deleted the configuration." : "There was no configuration to delete."),
});
