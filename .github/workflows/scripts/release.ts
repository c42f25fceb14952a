// Works out what a release of one environment must deploy, from what Cloud Run runs right now.
// Used by deploy-environment.yml (deploy, canary, promote, rollback) and by ci.yml (current: plan
// against the live images, so a plan shows infrastructure changes only).
//
//   npx tsx .github/workflows/scripts/release.ts <env> locate
//   npx tsx .github/workflows/scripts/release.ts <env> verify --sha <commit>
//   npx tsx .github/workflows/scripts/release.ts <env> <action> [--sha <commit>] [--job-flags <file>]
//
// Reads PIERRE_* settings like `npm run synth` does (plus the repository's configuration variables as
// JSON in CONFIGURATION_VARIABLES, i.e. `toJSON(vars)`), and the registry and live service through
// gcloud (already authenticated).
// - locate: only names the project, region, service and image repository;
// - verify: fails unless the environment's stable release is the commit's image (promotion gate);
// - an action: plans the release, see planRelease.
// Writes step outputs to $GITHUB_OUTPUT, and to $GITHUB_ENV the PIERRE_* settings plus the
// PIERRE_<ENV>_IMAGE / _CANARY_IMAGE / _CANARY_PERCENT values the next synth must see (stdout when run
// by hand). Images are deployed by digest (the commit tag resolved in the registry), so a revision
// always runs exactly the bits that were tested before.
// With --job-flags it also writes a gcloud --flags-file giving a Cloud Run job the live service's
// service account, VPC connector, environment and secret references (for the migration job).
import { execFile } from "node:child_process";
import { appendFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs, promisify } from "node:util";
import { z } from "zod";
import { EnvironmentConfigError, PLACEHOLDER_IMAGE, loadConfiguration } from "../../../environments/load.js";
import { ENVIRONMENT_NAMES, type EnvironmentConfig } from "../../../environments/schema.js";
import { REPOSITORY_ID, ROLLBACK_TAG } from "../../../stacks/registry.js";
import { serviceName } from "../../../stacks/service.js";

/** The image inside the environment's `pierre` Artifact Registry repository. */
export const IMAGE_NAME = "pierre";
/** Traffic tags stacks/service.ts puts on the two revisions while a canary runs. */
export const STABLE_TAG = "stable";
export const CANDIDATE_TAG = "candidate";
/** Share of traffic a new release gets while it is a canary. */
export const CANARY_PERCENT = 10;

export const ACTIONS = ["current", "deploy", "canary", "promote", "rollback"] as const;
export type Action = (typeof ACTIONS)[number];

export interface LiveRelease {
  stableImage: string;
  candidate?: { image: string; percent: number };
}

export interface TargetRelease {
  /** Unset only for `current` before the service exists: the stack then uses its placeholder image. */
  stableImage?: string;
  canary?: { image: string; percent: number };
  /** The stable image this release replaces, when it is a real release worth returning to. */
  outgoingStable?: string;
}

export class ReleaseError extends Error {}

/**
 * The heart of the release flow:
 * - deploy: the new image becomes stable at once (dev, staging);
 * - canary: the new image takes CANARY_PERCENT of traffic beside the live stable one;
 * - promote: the live candidate becomes stable with all traffic;
 * - rollback: back to the stable revision while a canary runs, else to the previous stable release
 *   (or to the release given explicitly);
 * - current: exactly what runs now.
 */
export function planRelease(
  action: Action,
  live: LiveRelease | undefined,
  options: { image?: string; previousStable?: string } = {},
): TargetRelease {
  const liveStable = live && live.stableImage !== PLACEHOLDER_IMAGE ? live.stableImage : undefined;
  const replacing = (next: string) => (liveStable !== undefined && liveStable !== next ? liveStable : undefined);
  switch (action) {
    case "current":
      return { stableImage: live?.stableImage, canary: live?.candidate };
    case "deploy": {
      const image = required(options.image, "deploy");
      return { stableImage: image, outgoingStable: replacing(image) };
    }
    case "canary": {
      const image = required(options.image, "canary");
      // Nothing real serves traffic yet: there is nothing to protect, so the first release goes straight in.
      if (liveStable === undefined) return { stableImage: image };
      if (live?.candidate) {
        throw new ReleaseError(`a canary is already live (${live.candidate.image}); promote or roll it back first`);
      }
      if (liveStable === image) throw new ReleaseError(`${image} is already the stable release`);
      return { stableImage: liveStable, canary: { image, percent: CANARY_PERCENT } };
    }
    case "promote": {
      if (!live?.candidate) throw new ReleaseError("no canary is live; run the canary action first");
      return { stableImage: live.candidate.image, outgoingStable: replacing(live.candidate.image) };
    }
    case "rollback": {
      if (options.image) return { stableImage: options.image };
      if (live?.candidate) return { stableImage: live.stableImage };
      if (options.previousStable) return { stableImage: options.previousStable };
      throw new ReleaseError(
        `no canary is live and no image is tagged ${ROLLBACK_TAG}; give the commit to roll back to (sha input)`,
      );
    }
  }
}

function required(image: string | undefined, action: Action): string {
  if (!image) throw new ReleaseError(`${action} needs the commit whose image to release (--sha)`);
  return image;
}

// ---- Cloud Run, as `gcloud run ... --format=json` prints it (Knative serving v1 shapes) ----

const envVarSchema = z.object({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: z.object({ secretKeyRef: z.object({ name: z.string(), key: z.string() }) }).optional(),
});

const serviceSchema = z.object({
  spec: z.object({
    template: z.object({
      metadata: z.object({ annotations: z.record(z.string(), z.string()).default({}) }).default({ annotations: {} }),
      spec: z.object({
        serviceAccountName: z.string(),
        containers: z.array(z.object({ image: z.string(), env: z.array(envVarSchema).default([]) })).min(1),
      }),
    }),
  }),
  status: z.object({
    latestReadyRevisionName: z.string().optional(),
    traffic: z
      .array(z.object({ revisionName: z.string().optional(), percent: z.number().default(0), tag: z.string().optional() }))
      .default([]),
  }),
});
export type CloudRunService = z.infer<typeof serviceSchema>;

const revisionSchema = z.object({ spec: z.object({ containers: z.array(z.object({ image: z.string() })).min(1) }) });

/** `gcloud artifacts docker tags list`: full tag and version (= digest) resource names. */
const tagsSchema = z.array(z.object({ tag: z.string(), version: z.string() }));

/** Which revisions serve traffic: the one tagged stable (or the only one), and a tagged candidate if any. */
export function servingRevisions(service: CloudRunService): { stable: string; candidate?: { revision: string; percent: number } } {
  const { traffic, latestReadyRevisionName } = service.status;
  const candidate = traffic.find((target) => target.tag === CANDIDATE_TAG);
  const stable =
    traffic.find((target) => target.tag === STABLE_TAG) ?? [...traffic].sort((a, b) => b.percent - a.percent)[0];
  const stableRevision = stable?.revisionName ?? latestReadyRevisionName;
  if (!stableRevision) throw new ReleaseError("the service serves no revision yet");
  return {
    stable: stableRevision,
    candidate: candidate?.revisionName ? { revision: candidate.revisionName, percent: candidate.percent } : undefined,
  };
}

/** gcloud --flags-file content: a Cloud Run job that runs with the service's identity, network, settings and secrets. */
export function jobFlagsFrom(service: CloudRunService): Record<string, unknown> {
  const { annotations } = service.spec.template.metadata;
  const container = service.spec.template.spec.containers[0];
  const plain = container.env.filter((entry) => entry.value !== undefined);
  const secret = container.env.filter((entry) => entry.valueFrom !== undefined);
  const flags: Record<string, unknown> = {
    "--service-account": service.spec.template.spec.serviceAccountName,
    "--set-env-vars": Object.fromEntries(plain.map((entry) => [entry.name, entry.value])),
    "--set-secrets": Object.fromEntries(
      secret.map((entry) => [entry.name, `${entry.valueFrom!.secretKeyRef.name}:${entry.valueFrom!.secretKeyRef.key}`]),
    ),
  };
  const connector = annotations["run.googleapis.com/vpc-access-connector"];
  if (connector) {
    flags["--vpc-connector"] = connector;
    flags["--vpc-egress"] = annotations["run.googleapis.com/vpc-access-egress"] ?? "private-ranges-only";
  }
  const sqlInstances = annotations["run.googleapis.com/cloudsql-instances"];
  if (sqlInstances) flags["--set-cloudsql-instances"] = sqlInstances;
  return flags;
}

/** The images are planned here; everything else PIERRE_* comes from the repository's variables. */
const PLANNED_SETTING = /^PIERRE_[A-Z]+_(IMAGE|CANARY_IMAGE|CANARY_PERCENT)$/;

/** PIERRE_* settings from GitHub configuration variables (`toJSON(vars)`), ready for $GITHUB_ENV. */
export function settingsFrom(variablesJson: string | undefined): Record<string, string> {
  const variables = z.record(z.string(), z.string()).parse(JSON.parse(variablesJson || "{}"));
  const settings = Object.entries(variables).filter(([name]) => name.startsWith("PIERRE_") && !PLANNED_SETTING.test(name));
  for (const [name, value] of settings) {
    if (/[\r\n]/.test(value)) throw new ReleaseError(`${name}: must be a single line`);
  }
  return Object.fromEntries(settings);
}

/** The digest a tag points at (versions are named by their digest). */
export function digestOfTag(tags: z.infer<typeof tagsSchema>, tag: string): string | undefined {
  const found = tags.find((entry) => entry.tag.endsWith(`/tags/${tag}`));
  return found?.version.slice(found.version.lastIndexOf("/") + 1);
}

// ---- command line ----

const argsSchema = z.object({
  environment: z.enum(ENVIRONMENT_NAMES),
  action: z.enum([...ACTIONS, "locate", "verify"]),
  sha: z
    .string()
    .regex(/^[0-9a-f]{40}$/, "must be a full 40-character commit sha (images are tagged with it)")
    .optional(),
  jobFlags: z.string().min(1).optional(),
});

const exec = promisify(execFile);

async function gcloud(args: string[]): Promise<unknown> {
  const { stdout } = await exec("gcloud", [...args, "--format=json", "--quiet"], { maxBuffer: 32 * 1024 * 1024 });
  return JSON.parse(stdout);
}

async function readService(config: EnvironmentConfig): Promise<CloudRunService | undefined> {
  const where = ["--region", config.region, "--project", config.projectId];
  const name = serviceName(config.name);
  const found = z.array(z.unknown()).parse(await gcloud(["run", "services", "list", ...where, `--filter=metadata.name=${name}`]));
  return found.length === 0 ? undefined : serviceSchema.parse(found[0]);
}

async function readLiveRelease(config: EnvironmentConfig, service: CloudRunService): Promise<LiveRelease> {
  const where = ["--region", config.region, "--project", config.projectId];
  const imageOf = async (revision: string) =>
    revisionSchema.parse(await gcloud(["run", "revisions", "describe", revision, ...where])).spec.containers[0].image;
  const serving = servingRevisions(service);
  return {
    stableImage: await imageOf(serving.stable),
    candidate: serving.candidate && { image: await imageOf(serving.candidate.revision), percent: serving.candidate.percent },
  };
}

async function readTags(repository: string) {
  return tagsSchema.parse(await gcloud(["artifacts", "docker", "tags", "list", repository]));
}

/** The deploy-time variables environments/load.ts reads, e.g. PIERRE_PROD_CANARY_IMAGE. */
const setting = (env: string, name: string) => `PIERRE_${env.toUpperCase()}_${name}`;

function emit(file: string | undefined, values: Record<string, string | number | undefined>): void {
  const lines = Object.entries(values).map(([key, value]) => `${key}=${value ?? ""}\n`);
  if (file) appendFileSync(file, lines.join(""));
  else process.stdout.write(lines.join(""));
}

function parseCommandLine(argv: string[]): z.infer<typeof argsSchema> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { sha: { type: "string" }, "job-flags": { type: "string" } },
  });
  const parsed = argsSchema.safeParse({ environment: positionals[0], action: positionals[1], sha: values.sha, jobFlags: values["job-flags"] });
  if (!parsed.success) {
    throw new ReleaseError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
  }
  return parsed.data;
}

async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(argv);
  const settings = settingsFrom(process.env.CONFIGURATION_VARIABLES);
  const config = loadConfiguration({ ...process.env, ...settings }).environments.find(
    (environment) => environment.name === args.environment,
  )!;
  if (config.placeholders.length > 0) {
    const unset = `${args.environment} is not configured: set ${config.placeholders.join(", ")}`;
    // A plan of an environment nobody has set up yet is skipped, not failed (forks, new repositories).
    if (args.action !== "current") throw new ReleaseError(unset);
    process.stdout.write(`::notice::${unset}\n`);
    emit(process.env.GITHUB_OUTPUT, { configured: "false" });
    return;
  }

  const repository = `${config.region}-docker.pkg.dev/${config.projectId}/${REPOSITORY_ID}/${IMAGE_NAME}`;
  const location = { project_id: config.projectId, region: config.region, service: serviceName(config.name), repository };
  emit(process.env.GITHUB_ENV, settings);
  if (args.action === "locate") {
    emit(process.env.GITHUB_OUTPUT, location);
    return;
  }
  const action = args.action;

  const service = await readService(config);
  const live = service && (await readLiveRelease(config, service));
  const needsPreviousStable = action === "rollback" && !args.sha && !live?.candidate;
  const tags = args.sha || needsPreviousStable ? await readTags(repository) : [];
  const imageTagged = (tag: string) => {
    const digest = digestOfTag(tags, tag);
    return digest && `${repository}@${digest}`;
  };
  const image = args.sha && imageTagged(args.sha);
  if (args.sha && !image) throw new ReleaseError(`${repository}:${args.sha} does not exist; publish the commit's image first`);

  if (action === "verify") {
    if (!image) throw new ReleaseError("verify needs --sha");
    if (live?.stableImage !== image) {
      const running = live?.stableImage ?? "nothing";
      throw new ReleaseError(`${config.name} runs ${running}, not ${image}; only the release ${config.name} runs can move on`);
    }
    emit(process.env.GITHUB_OUTPUT, { ...location, image });
    return;
  }

  const previousStable = needsPreviousStable ? imageTagged(ROLLBACK_TAG) : undefined;
  const target = planRelease(action, live, { image, previousStable });
  if (args.jobFlags && service) writeFileSync(args.jobFlags, `${JSON.stringify(jobFlagsFrom(service), null, 2)}\n`);

  emit(process.env.GITHUB_OUTPUT, {
    configured: "true",
    ...location,
    image,
    service_exists: String(service !== undefined),
    stable_image: target.stableImage,
    canary_image: target.canary?.image,
    canary_percent: target.canary?.percent,
    // Only images of this repository can be tagged in it for a later rollback.
    outgoing_stable: target.outgoingStable?.startsWith(`${repository}@`) ? target.outgoingStable : undefined,
  });
  emit(process.env.GITHUB_ENV, {
    [setting(config.name, "IMAGE")]: target.stableImage,
    [setting(config.name, "CANARY_IMAGE")]: target.canary?.image,
    [setting(config.name, "CANARY_PERCENT")]: target.canary?.percent,
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    const known = error instanceof ReleaseError || error instanceof EnvironmentConfigError;
    const stderr = (error as { stderr?: string }).stderr;
    console.error(`release: ${known ? error.message : stderr || (error instanceof Error ? error.message : error)}`);
    process.exit(1);
  });
}
