import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project/index.js";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider/index.js";
import { GcsBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../environments/schema.js";
import { GOOGLE_APIS, ProjectApis } from "./apis.js";
import { Dashboard } from "./dashboard.js";
import { Database } from "./database.js";
import { Edge } from "./edge.js";
import { EventAlerts } from "./event-alerts.js";
import { Identity } from "./identity.js";
import { LogMetrics } from "./log-metrics.js";
import { Logging } from "./logging.js";
import { Monitoring } from "./monitoring.js";
import { Network } from "./network.js";
import { Registry } from "./registry.js";
import { Secrets } from "./secrets.js";
import { Service, serviceName } from "./service.js";
import { Slos } from "./slo.js";
import { SqlExport } from "./sql-export.js";
import { TimeProvider } from "./time-sleep.js";

/** Prefix of the environment's state inside its own bucket (stacks/ci-identities.ts creates the bucket). */
export const statePrefix = (env: string): string => `pierre/${env}`;

/** The whole deployment of one environment, in one GCP project. */
export class EnvironmentStack extends TerraformStack {
  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, config.name);
    const { name: env, projectId, region } = config;

    new GcsBackend(this, { bucket: config.stateBucket, prefix: statePrefix(env) });
    new GoogleProvider(this, "google", {
      project: projectId,
      region,
      defaultLabels: { app: "pierre", env, managed_by: "cdktf" },
    });
    new TimeProvider(this, "time");

    const apis = new ProjectApis(this, "apis", { projectId, apis: GOOGLE_APIS, placeholders: config.placeholders });
    // Read after the Resource Manager API is on (on a new project, at apply time).
    const project = new DataGoogleProject(this, "project", {
      projectId,
      dependsOn: [apis.api("cloudresourcemanager.googleapis.com")],
    });

    const identity = new Identity(this, "identity", { env, projectId, apis });
    const network = new Network(this, "network", { env, region, network: config.network, apis });
    const secrets = new Secrets(this, "secrets", {
      projectId,
      providerClientIds: config.providerClientIds,
      apiKeyServices: config.apiKeyServices,
      runtimeServiceAccountMember: identity.runtime.member,
      deletionProtection: config.database.deletionProtection,
      apis,
    });
    const database = new Database(this, "database", {
      env,
      region,
      database: config.database,
      maxServiceInstances: config.service.maxInstances,
      network,
      runtimeServiceAccountEmail: identity.runtime.email,
      apis,
    });
    const registry = new Registry(this, "registry", { projectId, region, registry: config.registry, apis });

    const service = new Service(this, "service", {
      config,
      projectNumber: project.number,
      serviceAccountEmail: identity.runtime.email,
      connectorId: network.connector.id,
      database,
      secrets,
      apis,
      dependsOn: [...identity.grants, ...secrets.accessGrants, database.database, database.user, network.nat],
    });

    const edge = config.edge.loadBalancer
      ? new Edge(this, "edge", {
          env,
          region,
          domain: config.domain!,
          serviceName: service.service.name,
          cloudArmor: config.edge.cloudArmor,
          apis,
        })
      : undefined;

    new Logging(this, "logging", { projectId, retentionDays: config.logging.retentionDays, apis });
    const sqlExport = new SqlExport(this, "sql-export", {
      env,
      projectId,
      region,
      logging: config.logging,
      database,
      protectBucket: config.database.deletionProtection,
      apis,
    });

    const logMetrics = new LogMetrics(this, "log-metrics", { serviceName: serviceName(env), apis });
    const monitoring = new Monitoring(this, "monitoring", {
      env,
      projectId,
      serviceName: serviceName(env),
      // With ingress limited to the load balancer, run.app answers 404 to the checkers: probe the domain.
      uptimeHost: config.edge.loadBalancer ? config.domain! : service.runAppHost,
      uptimeAlertEnabled: config.certificateActive,
      sqlInstanceName: database.instance.name,
      sqlMaxConnections: database.maxConnections,
      alerting: config.alerting,
      apis,
      logMetrics,
    });
    const alertTarget = { env, channels: monitoring.channels, monitoringApi: apis.api("monitoring.googleapis.com") };
    new EventAlerts(this, "event-alerts", { ...alertTarget, logMetrics });
    new Slos(this, "slos", {
      ...alertTarget,
      serviceName: serviceName(env),
      httpRequestLatency: logMetrics.distribution("http_request", "latencyMs"),
      metricsPropagated: logMetrics.propagated,
    });
    new Dashboard(this, "dashboard", {
      env,
      projectId,
      serviceName: serviceName(env),
      sqlInstanceName: database.instance.name,
      logMetrics,
      apis,
    });

    const output = (id: string, value: string, description: string) =>
      new TerraformOutput(this, id, { value, description });
    output("service_url", service.publicBaseUrl, "Public base URL of the MCP server");
    output("run_app_url", service.service.uri, "Cloud Run URL (closed to the internet when the load balancer is on)");
    if (edge) {
      output("load_balancer_ip", edge.address.address, `Point an A record for ${config.domain} here`);
      output("domain", config.domain!, "Domain served by the load balancer's managed certificate");
    }
    output("nat_egress_ip", network.egressAddress.address, "Source IP of calls to external APIs (for allow-lists)");
    output("sql_connection_name", database.instance.connectionName, "Cloud SQL connection name (project:region:instance)");
    output("artifact_registry", registry.imagePrefix, "Push service images here");
    output("runtime_service_account", identity.runtime.email, "Identity the service runs as");
    output("sql_export_bucket", sqlExport.bucket.url, "Weekly SQL exports");
  }
}
