import type { EnvironmentDefinition } from "./schema.js";

/** Production: regional database, load balancer with Cloud Armor, critical alerts page. */
export const prod: EnvironmentDefinition = {
  name: "prod",
  region: "us-central1",
  network: {
    subnetCidr: "10.0.0.0/24",
    connectorCidr: "10.8.0.0/28",
    sqlPeeringCidr: "10.16.0.0/16",
    connector: { machineType: "e2-micro", minInstances: 2, maxInstances: 10 },
  },
  database: {
    tier: "db-custom-4-16384",
    highAvailability: true,
    diskSizeGb: 50,
    diskAutoresizeLimitGb: 500,
    retainedBackups: 30,
    poolMaxPerInstance: 5,
    reservedConnections: 20,
    slowQueryMs: 250,
    deletionProtection: true,
  },
  service: {
    minInstances: 2,
    maxInstances: 100,
    concurrency: 80,
    cpu: "1",
    memory: "1Gi",
    requestTimeoutSeconds: 300,
    logLevel: "info",
    deletionProtection: true,
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
  logging: { retentionDays: 90, sqlExportRetentionDays: 365, sqlExportSchedule: "0 4 * * 0" },
  registry: { keepRecentVersions: 30, deleteAfterDays: 30 },
  alerting: {
    slackChannel: "#pierre-alerts",
    pageOnCritical: true,
    externalApiErrorsPer5Minutes: 20,
    trafficSpikeMinRequestsPerSecond: 1,
  },
};
