import { CloudRunDomainMapping } from "@cdktf/provider-google/lib/cloud-run-domain-mapping/index.js";
import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js";
import {
  CloudRunV2Service,
  type CloudRunV2ServiceTemplateContainersEnv,
  type CloudRunV2ServiceTraffic,
} from "@cdktf/provider-google/lib/cloud-run-v2-service/index.js";
import { Fn, TerraformLocal, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../environments/schema.js";
import type { ServiceVariable } from "../service/config.js";
import type { ProjectApis } from "./apis.js";
import { DATABASE_NAME, DATABASE_PORT, type Database } from "./database.js";
import type { Secrets } from "./secrets.js";

export const CONTAINER_PORT = 8081;
const HEALTH_PATH = "/health";

export interface ServiceProps {
  config: EnvironmentConfig;
  /** Project number (a Terraform reference): the deterministic run.app URL contains it. */
  projectNumber: string;
  serviceAccountEmail: string;
  connectorId: string;
  database: Database;
  secrets: Secrets;
  apis: ProjectApis;
  /** What must exist before a revision can start: IAM grants, the database user, NAT. */
  dependsOn: ITerraformDependable[];
}

export const serviceName = (env: string): string => `pierre-${env}`;

/**
 * The Pierre Cloud Run (v2) service.
 *
 * Revisions are named `<service>-<hash of image and template>`, so the same image with the same settings
 * always maps to the same revision. Traffic is always pinned to named revisions (never "latest"), which is
 * what makes canaries, promotion and rollback plain config changes:
 * - no canary: 100% to the stable image's revision;
 * - canary: the candidate image's revision gets `percent` (tag `candidate`), the stable one the rest (tag `stable`);
 * - rollback: unset the canary image; the template returns to the stable revision, which already exists.
 */
export class Service extends Construct {
  readonly service: CloudRunV2Service;
  readonly publicBaseUrl: string;
  readonly runAppHost: string;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id);
    const { config } = props;
    const name = serviceName(config.name);
    // Deterministic Cloud Run URL; built with format() because it also feeds the fingerprint's jsonencode().
    const runAppUrl = Fn.format("https://%s-%s.%s.run.app", [name, props.projectNumber, config.region]);
    this.publicBaseUrl = config.domain ? `https://${config.domain}` : runAppUrl;

    const container = {
      ports: { containerPort: CONTAINER_PORT, name: "http1" },
      resources: {
        limits: { cpu: config.service.cpu, memory: config.service.memory },
        cpuIdle: true, // CPU only while a request is in flight (request-based billing)
        startupCpuBoost: true,
      },
      env: this.environment(props),
      // Probed every second: the service answers /health about 0.4 s after it starts (bench/), and a new
      // instance takes traffic only once a probe passes, so a longer period would be most of a cold start.
      startupProbe: {
        httpGet: { path: HEALTH_PATH, port: CONTAINER_PORT },
        periodSeconds: 1,
        timeoutSeconds: 1,
        failureThreshold: 120, // up to two minutes to boot (Cloud Run allows period x threshold <= 240 s)
      },
      livenessProbe: {
        httpGet: { path: HEALTH_PATH, port: CONTAINER_PORT },
        periodSeconds: 30,
        timeoutSeconds: 5,
        failureThreshold: 3,
      },
    };
    const template = {
      labels: { "secrets-rotation": config.service.secretsRotation },
      serviceAccount: props.serviceAccountEmail,
      scaling: { minInstanceCount: config.service.minInstances, maxInstanceCount: config.service.maxInstances },
      maxInstanceRequestConcurrency: config.service.concurrency,
      timeout: `${config.service.requestTimeoutSeconds}s`,
      // ALL_TRAFFIC: external API calls also go through the connector, hence out of Cloud NAT's static IP.
      vpcAccess: { connector: props.connectorId, egress: "ALL_TRAFFIC" },
    };
    // Everything in the revision except the image; with the image it names the revision.
    const fingerprint = new TerraformLocal(this, "template_fingerprint", Fn.sha256(Fn.jsonencode({ template, container })));
    const revisionFor = (image: string) =>
      `${name}-${Fn.substr(Fn.sha256(Fn.join(" ", [image, fingerprint.asString])), 0, 12)}`;

    const deployedImage = config.canary?.image ?? config.image;
    this.service = new CloudRunV2Service(this, "service", {
      name,
      location: config.region,
      // With the load balancer in front, run.app must not be a way around Cloud Armor.
      ingress: config.edge.loadBalancer ? "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" : "INGRESS_TRAFFIC_ALL",
      deletionProtection: config.service.deletionProtection,
      template: {
        ...template,
        revision: revisionFor(deployedImage),
        containers: [{ ...container, image: deployedImage }],
      },
      traffic: trafficSplit(config, revisionFor),
      dependsOn: [props.apis.api("run.googleapis.com"), ...props.dependsOn],
    });

    this.runAppHost = Fn.replace(this.service.uri, "https://", "");

    new CloudRunV2ServiceIamMember(this, "public-invoker", {
      name: this.service.name,
      location: config.region,
      role: "roles/run.invoker",
      member: "allUsers", // MCP clients authenticate with Pierre's own OAuth, not with Google IAM
    });

    if (config.domain && !config.edge.loadBalancer) {
      new CloudRunDomainMapping(this, "domain-mapping", {
        name: config.domain,
        location: config.region,
        metadata: { namespace: config.projectId },
        spec: { routeName: this.service.name },
      });
    }
  }

  private environment(props: ServiceProps): CloudRunV2ServiceTemplateContainersEnv[] {
    const { config, database, secrets } = props;
    // Typed against the service's configuration schema: a variable it does not read cannot be set here.
    const plain: Partial<Record<ServiceVariable, string>> = {
      NODE_ENV: "production",
      LOG_LEVEL: config.service.logLevel,
      PUBLIC_BASE_URL: this.publicBaseUrl,
      // Lets the logger correlate entries with Cloud Trace.
      GOOGLE_CLOUD_PROJECT: config.projectId,
      // Proxies in front of the container: Google's front end, plus the load balancer when there is one.
      // The client's address is that many hops back in X-Forwarded-For (the service's rate limits use it).
      TRUST_PROXY_HOPS: config.edge.loadBalancer ? "2" : "1",
      PGHOST: database.instance.privateIpAddress,
      PGPORT: String(DATABASE_PORT),
      PGDATABASE: DATABASE_NAME,
      // The runtime service account's IAM database user; its password is a fresh token (no secret at all).
      PGUSER: database.user.name,
      DATABASE_AUTH: "gcp-iam",
      DATABASE_SSL: "require",
      DATABASE_SSL_CA: database.serverCaPem,
      DB_POOL_MAX: String(config.database.poolMaxPerInstance),
      // Provider redirects default to PUBLIC_BASE_URL, so PROVIDER_REDIRECT_BASE stays unset.
      ...secrets.providerClientIdVariables,
    };
    return [
      ...Object.entries(plain).map(([variable, value]) => ({ name: variable, value })),
      // Secret Manager values (operator and provider secrets): the newest version at the time an instance starts.
      ...secrets.secretVariables.map(({ variable, secret }) => ({
        name: variable,
        valueSource: { secretKeyRef: { secret: secret.secretId, version: "latest" } },
      })),
    ];
  }
}

function trafficSplit(
  config: Pick<EnvironmentConfig, "image" | "canary">,
  revisionFor: (image: string) => string,
): CloudRunV2ServiceTraffic[] {
  const pinned = (image: string, percent: number, tag?: string): CloudRunV2ServiceTraffic => ({
    type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION",
    revision: revisionFor(image),
    percent,
    tag,
  });
  if (!config.canary) return [pinned(config.image, 100)];
  return [
    pinned(config.image, 100 - config.canary.percent, "stable"),
    pinned(config.canary.image, config.canary.percent, "candidate"),
  ];
}
