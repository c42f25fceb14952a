// Synthesizes the real stacks (the same constructors main.ts uses) with cdktf's Testing app and gives
// tests typed access to the resulting Terraform JSON.
import { Testing } from "cdktf";
import { DEFINITIONS, loadConfiguration } from "../../../environments/load.js";
import type { EnvironmentDefinition, EnvironmentName } from "../../../environments/schema.js";
import { BootstrapStack } from "../../../stacks/bootstrap-stack.js";
import { EnvironmentStack } from "../../../stacks/environment-stack.js";

// Terraform JSON is untyped by nature; tests navigate it freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface SynthesizedStack {
  /** The exact JSON text (for snapshots and leak scans). */
  text: string;
  json: Json;
}

export type StackName = "bootstrap" | EnvironmentName;

/** Synthesizes every stack once for the given environment variables (default: none, i.e. CI's placeholders). */
export function synthesizeAll(
  env: NodeJS.ProcessEnv = {},
  definitions: Record<EnvironmentName, EnvironmentDefinition> = DEFINITIONS,
): Record<StackName, SynthesizedStack> {
  const configuration = loadConfiguration(env, definitions);
  const app = Testing.app();
  const stacks = {
    bootstrap: new BootstrapStack(app, configuration.bootstrap),
    ...Object.fromEntries(configuration.environments.map((config) => [config.name, new EnvironmentStack(app, config)])),
  } as Record<StackName, BootstrapStack | EnvironmentStack>;
  return Object.fromEntries(
    Object.entries(stacks).map(([name, stack]) => {
      const text = Testing.synth(stack);
      return [name, { text, json: JSON.parse(text) }];
    }),
  ) as Record<StackName, SynthesizedStack>;
}

/** All resources of one Terraform type, keyed by their logical name. */
export function resourcesOf(stack: SynthesizedStack, type: string): Record<string, Json> {
  return stack.json.resource?.[type] ?? {};
}

export function listOf(stack: SynthesizedStack, type: string): Json[] {
  return Object.values(resourcesOf(stack, type));
}

/** The single resource of a type; fails loudly when there are none or several. */
export function single(stack: SynthesizedStack, type: string): Json {
  const all = listOf(stack, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** Every `type.name` address in the stack. */
export function addresses(stack: SynthesizedStack): string[] {
  return Object.entries(stack.json.resource ?? {}).flatMap(([type, byName]) =>
    Object.keys(byName as object).map((name) => `${type}.${name}`),
  );
}

/** The Terraform address (`type.name`) whose resource satisfies the predicate. */
export function addressOf(stack: SynthesizedStack, type: string, predicate: (resource: Json) => boolean): string {
  const match = Object.entries(resourcesOf(stack, type)).find(([, resource]) => predicate(resource));
  if (!match) throw new Error(`no ${type} matches`);
  return `${type}.${match[0]}`;
}

/** A Terraform interpolation referring to another object, e.g. `${google_x.y.id}`. */
export const isReference = (value: unknown): boolean => typeof value === "string" && /^\$\{.+\}$/s.test(value);
