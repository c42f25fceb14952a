// Resolves every environment once, from the static definitions and PIERRE_* environment variables.
// Unset deploy-time values fall back to placeholders so CI can synthesize with no configuration at all;
// a plan against a placeholder stack fails on purpose (see stacks/apis.ts). Malformed values are refused
// here, all at once, with the variable's name in each message.
import { z } from "zod";
import { dev } from "./dev.js";
import { prod } from "./prod.js";
import {
  ENVIRONMENT_NAMES,
  API_KEY_SERVICES,
  PROVIDER_NAMES,
  environmentDefinitionSchema,
  type BootstrapConfig,
  type CanaryRelease,
  type EnvironmentConfig,
  type EnvironmentDefinition,
  type EnvironmentName,
} from "./schema.js";
import { staging } from "./staging.js";

export const DEFINITIONS: Record<EnvironmentName, EnvironmentDefinition> = { dev, staging, prod };

/** Public "hello" container: lets the first deploy run before any Pierre image has been pushed. */
export const PLACEHOLDER_IMAGE = "us-docker.pkg.dev/cloudrun/container/hello";
const DEFAULT_CANARY_PERCENT = 10;

const projectId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a GCP project id (6-30 lowercase letters, digits, hyphens)");
const domain = z
  .string()
  .regex(
    /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "must be a lowercase DNS name such as api.example.com (no scheme, no path)",
  );
const image = z
  .string()
  .regex(
    /^[a-z0-9]+([.-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
    "must be a container image reference such as us-central1-docker.pkg.dev/PROJECT/pierre/pierre@sha256:...",
  );
const percent = z
  .string()
  .regex(/^\d+$/, "must be a whole number")
  .transform(Number)
  .pipe(z.number().int().min(1, "must be at least 1").max(100, "must be at most 100 (100 = promoted)"));
// A prefix: each environment's bucket is <prefix>-<env>, still within GCS's 63 characters.
const bucketPrefix = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{1,53}[a-z0-9]$/, "must be a GCS bucket name prefix (3-55 lowercase letters, digits, - or _)");
const githubRepository = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, "must be a GitHub repository as owner/name");
// The same shape the service accepts for <P>_CLIENT_ID (tests/infra/service-contract.test.ts parses it there).
const oauthClientId = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, "must be a plain OAuth client id (letters, digits, . _ -)");
const flag = z.enum(["true", "false"], "must be true or false").transform((value) => value === "true");

export class EnvironmentConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid environment configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`);
    this.name = "EnvironmentConfigError";
  }
}

/** Reads environment variables through zod schemas, collecting every problem instead of stopping at the first. */
class VariableReader {
  readonly issues: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  read<T>(name: string, schema: z.ZodType<T, string>): T | undefined {
    const raw = this.env[name]?.trim();
    if (raw === undefined || raw === "") return undefined;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    this.issues.push(`${name}: ${parsed.error.issues.map((issue) => issue.message).join("; ")} (got "${raw}")`);
    return undefined;
  }

  fail(message: string): void {
    this.issues.push(message);
  }
}

const variableName = (env: EnvironmentName, setting: string): string =>
  `PIERRE_${env.toUpperCase()}_${setting}`;

export interface LoadedConfiguration {
  environments: EnvironmentConfig[];
  bootstrap: BootstrapConfig;
}

export function loadConfiguration(
  env: NodeJS.ProcessEnv,
  definitions: Record<EnvironmentName, EnvironmentDefinition> = DEFINITIONS,
): LoadedConfiguration {
  const reader = new VariableReader(env);
  const stateBucket = reader.read("PIERRE_STATE_BUCKET", bucketPrefix);
  const environments = ENVIRONMENT_NAMES.map((name) =>
    resolveEnvironment(name, definitions[name], reader, stateBucket),
  );
  const bootstrapProject = reader.read("PIERRE_STATE_PROJECT_ID", projectId);
  const repository = reader.read("PIERRE_GITHUB_REPOSITORY", githubRepository);
  if (reader.issues.length > 0) throw new EnvironmentConfigError(reader.issues);

  const prodConfig = environments.find((config) => config.name === "prod")!;
  const bootstrap: BootstrapConfig = {
    // The identity pool lives with production unless an ops project is named.
    projectId: bootstrapProject ?? prodConfig.projectId,
    githubRepository: repository ?? "pierre-placeholder/pierre",
    stateBucketLocation: "US",
    environments: environments.map(({ name, projectId, stateBucket }) => ({ name, projectId, stateBucket })),
    placeholders: [
      ...(stateBucket === undefined ? ["PIERRE_STATE_BUCKET"] : []),
      ...(repository === undefined ? ["PIERRE_GITHUB_REPOSITORY"] : []),
      // Every environment's project: the bootstrap creates each one's state bucket and CI identities.
      ...ENVIRONMENT_NAMES.map((name) => variableName(name, "PROJECT_ID")).filter((variable) =>
        environments.some((config) => config.placeholders.includes(variable)),
      ),
    ],
  };
  return { environments, bootstrap };
}

const placeholderStateBucket = "pierre-tfstate-placeholder";

function resolveEnvironment(
  name: EnvironmentName,
  definition: EnvironmentDefinition,
  reader: VariableReader,
  stateBucket: string | undefined,
): EnvironmentConfig {
  const parsed = environmentDefinitionSchema.safeParse(definition);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      reader.fail(`environments/${name}.ts ${issue.path.join(".")}: ${issue.message}`);
    }
  } else if (parsed.data.name !== name) {
    reader.fail(`environments/${name}.ts name: must be "${name}"`);
  }

  const variable = (setting: string) => variableName(name, setting);
  const placeholders: string[] = [];
  const orPlaceholder = <T>(value: T | undefined, setting: string, placeholder: T): T => {
    if (value !== undefined) return value;
    placeholders.push(variable(setting));
    return placeholder;
  };

  const project = orPlaceholder(reader.read(variable("PROJECT_ID"), projectId), "PROJECT_ID", `pierre-${name}-placeholder`);
  const configuredDomain = reader.read(variable("DOMAIN"), domain);
  // The load balancer's managed certificate needs a real name; elsewhere the run.app URL is enough.
  const publicDomain = definition.edge.loadBalancer
    ? orPlaceholder(configuredDomain, "DOMAIN", `pierre-${name}.invalid`)
    : configuredDomain;
  if (stateBucket === undefined) placeholders.push("PIERRE_STATE_BUCKET");

  const stableImage = reader.read(variable("IMAGE"), image) ?? PLACEHOLDER_IMAGE;
  const canary = resolveCanary(name, stableImage, reader);

  return {
    ...definition,
    projectId: project,
    domain: publicDomain,
    image: stableImage,
    canary,
    stateBucket: `${stateBucket ?? placeholderStateBucket}-${name}`,
    certificateActive: definition.edge.loadBalancer ? (reader.read(variable("CERTIFICATE_ACTIVE"), flag) ?? false) : true,
    // Not placeholders: unset means the provider is off here.
    providerClientIds: Object.fromEntries(
      PROVIDER_NAMES.flatMap((provider) => {
        const clientId = reader.read(variable(`${provider.toUpperCase()}_CLIENT_ID`), oauthClientId);
        return clientId === undefined ? [] : [[provider, clientId]];
      }),
    ),
    apiKeyServices: API_KEY_SERVICES.filter((service) => reader.read(variable(`${service.toUpperCase()}_ENABLED`), flag) === true),
    placeholders,
  };
}

function resolveCanary(name: EnvironmentName, stableImage: string, reader: VariableReader): CanaryRelease | undefined {
  const imageVariable = variableName(name, "CANARY_IMAGE");
  const percentVariable = variableName(name, "CANARY_PERCENT");
  const canaryImage = reader.read(imageVariable, image);
  const canaryPercent = reader.read(percentVariable, percent);
  if (canaryImage === undefined) {
    if (canaryPercent !== undefined) reader.fail(`${percentVariable}: set ${imageVariable} too, or unset the percent`);
    return undefined;
  }
  if (canaryImage === stableImage) {
    reader.fail(
      `${imageVariable}: equals ${variableName(name, "IMAGE")}; to finish a promotion set the stable image and unset the canary`,
    );
    return undefined;
  }
  return { image: canaryImage, percent: canaryPercent ?? DEFAULT_CANARY_PERCENT };
}
