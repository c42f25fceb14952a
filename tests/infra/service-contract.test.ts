// One contract between the deployment and the service: every variable the stacks set on the container is
// one the service's configuration schema (service/config.ts) declares, and every literal value parses
// with that variable's own schema. A variable the service would drop silently fails here (and, for the
// plain ones, already in the compiler: stacks/service.ts types its env block with ServiceVariable).
import { beforeAll, describe, expect, it } from "vitest";
import { ENVIRONMENT_NAMES, type EnvironmentName } from "../../environments/schema.js";
import { envSchema } from "../../service/config.js";
import { CONFIGURED_ENV, PROVIDERS_ENV } from "../support/infra/fixtures.js";
import { isReference, single, synthesizeAll, type Json, type StackName, type SynthesizedStack } from "../support/infra/synth.js";

let stacks: Record<StackName, SynthesizedStack>;
beforeAll(() => {
  // Every provider switched on, so their client ids and secrets are held to the contract too.
  stacks = synthesizeAll({ ...CONFIGURED_ENV, ...PROVIDERS_ENV });
});

const declared = new Set(Object.keys(envSchema.shape));
const containerEnv = (stack: SynthesizedStack): Json[] => single(stack, "google_cloud_run_v2_service").template.containers[0].env;

describe("service configuration contract", () => {
  it.each(ENVIRONMENT_NAMES.map((name) => [name] as [EnvironmentName]))("%s: sets only variables the service declares", (name) => {
    const names = containerEnv(stacks[name]).map((entry) => entry.name as string);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((variable) => !declared.has(variable))).toEqual([]);
  });

  it.each(ENVIRONMENT_NAMES.map((name) => [name] as [EnvironmentName]))("%s: every literal value is one the service accepts", (name) => {
    const literals = containerEnv(stacks[name]).filter((entry) => entry.value !== undefined && !isReference(entry.value));
    expect(literals.length).toBeGreaterThan(5);
    for (const { name: variable, value } of literals) {
      const field = envSchema.shape[variable as keyof typeof envSchema.shape];
      expect(field.safeParse(value).success, `${variable}=${value}`).toBe(true);
    }
  });
});
