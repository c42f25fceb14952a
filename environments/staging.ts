import type { EnvironmentDefinition } from "./schema.js";

/**
 * Pre-production: production-shaped database, always-warm service and the same edge as prod (load
 * balancer + Cloud Armor), so an edge change runs here before it runs in prod; alerts to Slack only.
 */
export const staging: EnvironmentDefinition = {
  name: "staging",
  region: "us-central1",
  network: {
    subnetCidr: "10.0.0.0/24",
    connectorCidr: "10.8.0.0/28",
    sqlPeeringCidr: "10.16.0.0/16",
    connector: { machineType: "e2-micro", minInstances: 2, maxInstances: 5 },
  },
  database: {
    tier: "db-custom-2-8192",
    highAvailability: false,
    diskSizeGb: 20,
    diskAutoresizeLimitGb: 200,
    retainedBackups: 14,
    poolMaxPerInstance: 5,
    reservedConnections: 15,
    slowQueryMs: 500,
    deletionProtection: true,
  },
  service: {
    minInstances: 1,
    maxInstances: 50,
    concurrency: 80,
    cpu: "1",
    memory: "1Gi",
    requestTimeoutSeconds: 300,
    logLevel: "info",
    deletionProtection: false,
    secretsRotation: "initial",
  },
  edge: {
    loadBalancer: true,
    cloudArmor: {
      enabled: true,
      wafSensitivity: 1,
      rateLimit: { requestsPerMinute: 600, banAfterRequestsPer5Minutes: 4000, banDurationSeconds: 600 },
      blockedRegionCodes: [],
      layer7DdosDefense: true,
    },
  },
  logging: { retentionDays: 30, sqlExportRetentionDays: 90, sqlExportSchedule: "0 4 * * 0" },
  registry: { keepRecentVersions: 20, deleteAfterDays: 14 },
  alerting: {
    slackChannel: "#pierre-alerts-staging",
    pageOnCritical: false,
    externalApiErrorsPer5Minutes: 20,
    trafficSpikeMinRequestsPerSecond: 0.5,
  },
};
