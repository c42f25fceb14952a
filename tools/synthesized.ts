// The synthesized Terraform JSON of one environment stack, exactly as `npm run synth` writes it, for the
// tools that read the plan (cost, diagram): they can never describe something other than the code.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfiguration } from "../environments/load.js";
import { ENVIRONMENT_NAMES, type EnvironmentName } from "../environments/schema.js";
import { createApp } from "../stacks/app.js";

// Terraform JSON is untyped by nature; the tools navigate it freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TerraformJson = any;

export function synthesizedStacks(env: NodeJS.ProcessEnv): Record<EnvironmentName, TerraformJson> {
  const outdir = mkdtempSync(join(tmpdir(), "pierre-tools-"));
  try {
    createApp(loadConfiguration(env), outdir).synth();
    return Object.fromEntries(
      ENVIRONMENT_NAMES.map((name) => [name, JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"))]),
    ) as Record<EnvironmentName, TerraformJson>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** All resources of one Terraform type in a stack. */
export const resources = (stack: TerraformJson, type: string): TerraformJson[] => Object.values(stack.resource?.[type] ?? {});

/** Parses `<tool> <env>...` arguments: the environments named, or all of them. */
export function environmentArguments(args: string[]): EnvironmentName[] {
  const names = args.filter((arg) => !arg.startsWith("--"));
  const unknown = names.filter((name) => !(ENVIRONMENT_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown environment ${unknown.join(", ")}: expected ${ENVIRONMENT_NAMES.join(", ")}`);
  return names.length > 0 ? (names as EnvironmentName[]) : [...ENVIRONMENT_NAMES];
}
