// Typed-enough access to the GitHub Actions workflows for the delivery tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { runCommand, type Finished } from "../process.js";

/** The command the deploy's migration job runs in the image (`--command node --args dist/migrate-cli.js`). */
export const MIGRATION_COMMAND = ["node", "dist/migrate-cli.js"];

export const WORKFLOW_DIR = ".github/workflows";
export const WORKFLOW_FILES = ["ci.yml", "deploy.yml", "deploy-environment.yml"] as const;

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "working-directory"?: string;
}

export interface Job {
  name?: string;
  "runs-on"?: string;
  if?: string;
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: unknown;
  environment?: string | { name: string; url?: string };
  concurrency?: string | { group: string; "cancel-in-progress"?: boolean | string };
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  services?: Record<string, unknown>;
  steps?: Step[];
}

export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

export const workflowText = (file: string): string => readFileSync(join(WORKFLOW_DIR, file), "utf8");
export const loadWorkflow = (file: string): Workflow => parse(workflowText(file)) as Workflow;

export const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : [job.needs].flat());

/** The first step whose `run` script matches, with its position in the job. */
export function findRun(job: Job, pattern: RegExp): { step: Step; index: number } {
  const index = (job.steps ?? []).findIndex((step) => step.run !== undefined && pattern.test(step.run));
  if (index < 0) throw new Error(`no step runs ${pattern}`);
  return { step: job.steps![index], index };
}

export function findUses(job: Job, action: string): { step: Step; index: number } {
  const index = (job.steps ?? []).findIndex((step) => step.uses?.split("@")[0] === action);
  if (index < 0) throw new Error(`no step uses ${action}`);
  return { step: job.steps![index], index };
}

/** Values of the `${{ ... }}` expressions a step uses, keyed by the expression's text. */
export type ExpressionValues = Record<string, string>;

function substitute(text: string, values: ExpressionValues): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    const value = values[expression];
    if (value === undefined) throw new Error(`no value given for \${{ ${expression} }}`);
    return value;
  });
}

export type StepRun = Finished;

/**
 * Runs a step's `run` script the way a GitHub-hosted runner does (bash -e, expressions substituted,
 * job env then step env), with `baseEnv` standing in for the runner's own environment.
 */
export function runStep(job: Job, step: Step, values: ExpressionValues, baseEnv: Record<string, string>): Promise<StepRun> {
  const evaluate = (env: Record<string, string> = {}) =>
    Object.fromEntries(Object.entries(env).map(([name, value]) => [name, substitute(String(value), values)]));
  const env = { ...baseEnv, ...evaluate(job.env), ...evaluate(step.env) };
  return runCommand("bash", ["--noprofile", "--norc", "-e", "-c", substitute(step.run!, values)], env);
}

/** `name=value` lines of a $GITHUB_OUTPUT / $GITHUB_ENV file. */
export function readKeyValueFile(path: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const at = line.indexOf("=");
        return [line.slice(0, at), line.slice(at + 1)];
      }),
  );
}
