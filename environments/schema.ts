// The shape of one environment's configuration. Static choices (tiers, scaling, retention, feature
// switches) live in dev.ts / staging.ts / prod.ts as plain data; deploy-time values (project id, domain,
// images, canary) come from PIERRE_<ENV>_* environment variables and are merged in by load.ts.
import { z } from "zod";
import { overlappingPairs, parseCidr } from "./cidr.js";

export const ENVIRONMENT_NAMES = ["dev", "staging", "prod"] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Fitness providers an environment may offer; each is switched on by its client id (PIERRE_<ENV>_<P>_CLIENT_ID). */
export const PROVIDER_NAMES = ["strava", "fitbit", "garmin"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Data services that need only an API key; each is switched on by PIERRE_<ENV>_<S>_ENABLED=true. */
export const API_KEY_SERVICES = ["usda", "openweather"] as const;
export type ApiKeyService = (typeof API_KEY_SERVICES)[number];

function isCidr(value: string): boolean {
  try {
    parseCidr(value);
    return true;
  } catch {
    return false;
  }
}

const cidr = z.string().refine(isCidr, "must be an IPv4 network in CIDR form such as 10.0.0.0/24");

export const sqlTier = z.enum(["db-f1-micro", "db-g1-small", "db-custom-2-8192", "db-custom-4-16384"]);

/** What each environment file declares. */
export const environmentDefinitionSchema = z
  .object({
    name: z.enum(ENVIRONMENT_NAMES),
    region: z.string().regex(/^[a-z]+-[a-z]+\d$/, "must be a GCP region such as us-central1"),
    network: z.object({
      subnetCidr: cidr,
      connectorCidr: cidr.refine((value) => value.endsWith("/28"), "a Serverless VPC Access connector needs a /28"),
      sqlPeeringCidr: cidr,
      connector: z
        .object({
          machineType: z.enum(["f1-micro", "e2-micro", "e2-standard-4"]),
          minInstances: z.number().int().min(2).max(9),
          maxInstances: z.number().int().min(3).max(10),
        })
        .refine((c) => c.maxInstances > c.minInstances, "connector maxInstances must exceed minInstances"),
    }),
    database: z.object({
      tier: sqlTier,
      highAvailability: z.boolean(),
      diskSizeGb: z.number().int().min(10),
      diskAutoresizeLimitGb: z.number().int().min(0),
      retainedBackups: z.number().int().min(1).max(365),
      /** Connections each Cloud Run instance may open (the service's DB_POOL_MAX). */
      // At least 2: the service splits its pool into a main pool and a rate-limit counter pool.
      poolMaxPerInstance: z.number().int().min(2).max(50),
      /** Headroom above max instances x pool: superuser slots, migrations, an operator's psql. */
      reservedConnections: z.number().int().min(5),
      slowQueryMs: z.number().int().min(100),
      deletionProtection: z.boolean(),
    }),
    service: z.object({
      minInstances: z.number().int().min(0),
      maxInstances: z.number().int().min(1).max(1000),
      concurrency: z.number().int().min(1).max(1000),
      cpu: z.enum(["1", "2", "4"]),
      memory: z.enum(["512Mi", "1Gi", "2Gi"]),
      requestTimeoutSeconds: z.number().int().min(10).max(3600),
      logLevel: z.enum(["debug", "info", "warn", "error"]),
      deletionProtection: z.boolean(),
      /**
       * Operator secrets are read as "latest" when an instance starts. Changing this label (e.g. to the
       * rotation date) rolls a new revision so every instance picks up newly added secret versions.
       */
      secretsRotation: z.string().regex(/^[a-z0-9_-]{1,63}$/, "must be a label value: lowercase letters, digits, - or _"),
    }),
    edge: z.object({
      /** Global external Application Load Balancer in front of Cloud Run; also locks Cloud Run ingress to it. */
      loadBalancer: z.boolean(),
      cloudArmor: z.object({
        enabled: z.boolean(),
        /** Preconfigured WAF sensitivity (OWASP paranoia level); 1 has the fewest false positives. */
        wafSensitivity: z.number().int().min(1).max(4),
        rateLimit: z.object({
          requestsPerMinute: z.number().int().min(10),
          banAfterRequestsPer5Minutes: z.number().int().min(10),
          banDurationSeconds: z.number().int().min(60).max(86_400),
        }),
        /** ISO 3166-1 alpha-2 codes refused at the edge; empty means no geo-fencing. */
        blockedRegionCodes: z.array(z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as KP")),
        layer7DdosDefense: z.boolean(),
      }),
    }),
    logging: z.object({
      retentionDays: z.number().int().min(1).max(3650),
      sqlExportRetentionDays: z.number().int().min(7),
      /** Cron (UTC) of the weekly SQL export to the backup bucket. */
      sqlExportSchedule: z.string().min(9),
    }),
    registry: z.object({
      /** The most recent versions are always kept, whatever their age (what runs, what a rollback needs). */
      keepRecentVersions: z.number().int().min(1),
      /** Any other version, tagged or not, is deleted this many days after it was pushed. */
      deleteAfterDays: z.number().int().min(1),
    }),
    alerting: z.object({
      /** Absent: no Slack channel (and no slack_auth_token variable to set). */
      slackChannel: z.string().regex(/^#[a-z0-9._-]+$/, "must be a Slack channel name such as #pierre-alerts").optional(),
      /** Critical alerts page PagerDuty; when false they go to Slack like warnings. */
      pageOnCritical: z.boolean(),
      externalApiErrorsPer5Minutes: z.number().int().min(1),
      /** Requests per second below which a week-over-week spike is noise, not an alert. */
      trafficSpikeMinRequestsPerSecond: z.number().min(0),
    }),
  })
  .superRefine((env, ctx) => {
    const { subnetCidr, connectorCidr, sqlPeeringCidr } = env.network;
    const ranges = [subnetCidr, connectorCidr, sqlPeeringCidr];
    if (ranges.every(isCidr)) {
      for (const [a, b] of overlappingPairs(ranges)) {
        ctx.addIssue({ code: "custom", path: ["network"], message: `${a} overlaps ${b}; GCP rejects overlapping ranges` });
      }
    }
    if (env.service.minInstances > env.service.maxInstances) {
      ctx.addIssue({ code: "custom", path: ["service", "minInstances"], message: "must not exceed maxInstances" });
    }
    if (env.edge.cloudArmor.enabled && !env.edge.loadBalancer) {
      ctx.addIssue({
        code: "custom",
        path: ["edge", "cloudArmor", "enabled"],
        message: "Cloud Armor attaches to a load balancer backend; enable edge.loadBalancer too",
      });
    }
  });

export type EnvironmentDefinition = z.infer<typeof environmentDefinitionSchema>;

export interface CanaryRelease {
  image: string;
  /** Share of traffic on the candidate revision; 100 means promoted. */
  percent: number;
}

/** A fully resolved environment: the static definition plus the deploy-time values. */
export interface EnvironmentConfig extends EnvironmentDefinition {
  projectId: string;
  /** Public host name; required when the load balancer is on, optional otherwise (run.app is used). */
  domain?: string;
  image: string;
  canary?: CanaryRelease;
  /** This environment's own state bucket (in its project): no other environment's identities can read it. */
  stateBucket: string;
  /**
   * Behind the load balancer: the managed certificate is ACTIVE, so the uptime check can pass and its
   * alert may notify (PIERRE_<ENV>_CERTIFICATE_ACTIVE=true). Always true without a load balancer.
   */
  certificateActive: boolean;
  /** OAuth client ids of the providers this environment offers; an absent provider is off (no secret, no variables). */
  providerClientIds: Partial<Record<ProviderName, string>>;
  /** The API-key data services offered here (their secrets adopted like the providers'). */
  apiKeyServices: ApiKeyService[];
  /** Environment variables that fell back to a placeholder; a plan refuses to run while any remain. */
  placeholders: string[];
}

export interface BootstrapConfig {
  /** Project of the Workload Identity Federation pool (PIERRE_STATE_PROJECT_ID, default the prod project). */
  projectId: string;
  /** GitHub repository (owner/name) whose workflows may impersonate the CI identities. */
  githubRepository: string;
  stateBucketLocation: string;
  /** Each environment's project and state bucket, which the bootstrap creates with its CI identities. */
  environments: Array<Pick<EnvironmentConfig, "name" | "projectId" | "stateBucket">>;
  placeholders: string[];
}
