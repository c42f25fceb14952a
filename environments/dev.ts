import type { EnvironmentDefinition } from "./schema.js";

/** Developer sandbox: smallest tiers, scales to zero, nothing pages anyone. */
export const dev: EnvironmentDefinition = {
  name: "dev",
  region: "us-central1",
  network: {
    subnetCidr: "10.0.0.0/24",
    connectorCidr: "10.8.0.0/28",
    sqlPeeringCidr: "10.16.0.0/16",
    connector: { machineType: "e2-micro", minInstances: 2, maxInstances: 3 },
  },
  database: {
    tier: "db-f1-micro",
    highAvailability: false,
    diskSizeGb: 10,
    diskAutoresizeLimitGb: 50,
    retainedBackups: 7,
    poolMaxPerInstance: 3,
    reservedConnections: 10,
    slowQueryMs: 500,
    deletionProtection: false,
  },
  service: {
    minInstances: 0,
    maxInstances: 10,
    concurrency: 80,
    cpu: "1",
    memory: "512Mi",
    requestTimeoutSeconds: 300,
    logLevel: "debug",
    deletionProtection: false,
    secretsRotation: "initial",
  },
  edge: {
    loadBalancer: false,
    cloudArmor: {
      enabled: false,
      wafSensitivity: 1,
      rateLimit: { requestsPerMinute: 600, banAfterRequestsPer5Minutes: 4000, banDurationSeconds: 600 },
      blockedRegionCodes: [],
      layer7DdosDefense: false,
    },
  },
  logging: { retentionDays: 7, sqlExportRetentionDays: 30, sqlExportSchedule: "0 4 * * 0" },
  registry: { keepRecentVersions: 10, deleteAfterDays: 7 },
  alerting: {
    pageOnCritical: false,
    externalApiErrorsPer5Minutes: 20,
    trafficSpikeMinRequestsPerSecond: 0.2,
  },
};
