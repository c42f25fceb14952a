import { SqlDatabaseInstance } from "@cdktf/provider-google/lib/sql-database-instance/index.js";
import { SqlDatabase } from "@cdktf/provider-google/lib/sql-database/index.js";
import { SqlUser } from "@cdktf/provider-google/lib/sql-user/index.js";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { EnvironmentDefinition } from "../environments/schema.js";
import type { ProjectApis } from "./apis.js";
import type { Network } from "./network.js";

export const DATABASE_NAME = "pierre";
export const DATABASE_PORT = 5432;

export interface DatabaseProps {
  env: string;
  region: string;
  database: EnvironmentDefinition["database"];
  /** Cloud Run's max instances: with the per-instance pool it bounds how many connections can arrive. */
  maxServiceInstances: number;
  network: Network;
  /** The identity the service (and its migration job) logs in as, with IAM database authentication. */
  runtimeServiceAccountEmail: string;
  apis: ProjectApis;
}

/** Every instance at full pool plus the reserve must fit under max_connections. */
export function maxConnectionsFor(database: EnvironmentDefinition["database"], maxServiceInstances: number): number {
  return maxServiceInstances * database.poolMaxPerInstance + database.reservedConnections;
}

/**
 * Cloud SQL for PostgreSQL 16 on a private IP only, TLS required, with backups and point-in-time recovery.
 * No database password exists: the runtime service account logs in with IAM database authentication (a
 * short-lived OAuth token as the password), so there is nothing to store, leak or rotate.
 */
export class Database extends Construct {
  readonly instance: SqlDatabaseInstance;
  /** Known at synthesis (unlike `instance.name`), for places that need a plain string. */
  readonly instanceName: string;
  readonly database: SqlDatabase;
  readonly user: SqlUser;
  readonly maxConnections: number;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { database } = props;
    this.maxConnections = maxConnectionsFor(database, props.maxServiceInstances);

    this.instanceName = `pierre-db-${props.env}`;
    this.instance = new SqlDatabaseInstance(this, "instance", {
      name: this.instanceName,
      region: props.region,
      databaseVersion: "POSTGRES_16",
      deletionProtection: database.deletionProtection,
      settings: {
        // Unset, the API picks ENTERPRISE_PLUS for PostgreSQL 16, which rejects db-f1-micro and db-custom tiers.
        edition: "ENTERPRISE",
        tier: database.tier,
        availabilityType: database.highAvailability ? "REGIONAL" : "ZONAL",
        diskType: "PD_SSD",
        diskSize: database.diskSizeGb,
        diskAutoresize: true,
        diskAutoresizeLimit: database.diskAutoresizeLimitGb,
        deletionProtectionEnabled: database.deletionProtection,
        retainBackupsOnDelete: database.deletionProtection,
        backupConfiguration: {
          enabled: true,
          startTime: "03:00", // UTC
          pointInTimeRecoveryEnabled: true,
          transactionLogRetentionDays: 7, // the ENTERPRISE maximum
          backupRetentionSettings: { retainedBackups: database.retainedBackups, retentionUnit: "COUNT" },
        },
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: props.network.vpc.id,
          allocatedIpRange: props.network.sqlPeeringRange.name,
          sslMode: "ENCRYPTED_ONLY",
        },
        maintenanceWindow: { day: 7, hour: 5, updateTrack: "stable" }, // Sunday 05:00 UTC, after backup and export
        insightsConfig: { queryInsightsEnabled: true, queryStringLength: 1024 },
        databaseFlags: [
          { name: "max_connections", value: String(this.maxConnections) },
          { name: "log_min_duration_statement", value: String(database.slowQueryMs) },
          { name: "log_lock_waits", value: "on" },
          { name: "log_temp_files", value: "10240" }, // kB: spills of 10 MB or more
          { name: "cloudsql.iam_authentication", value: "on" },
        ],
      },
      dependsOn: [props.apis.api("sqladmin.googleapis.com"), props.network.privateServiceAccess],
    });

    this.database = new SqlDatabase(this, "database", {
      name: DATABASE_NAME,
      instance: this.instance.name,
      // Protected environments keep the database if Terraform ever stops managing it.
      deletionPolicy: database.deletionProtection ? "ABANDON" : "DELETE",
    });

    this.user = new SqlUser(this, "user", {
      // Cloud SQL names a service account's database user after its email without ".gserviceaccount.com".
      name: Fn.trimsuffix(props.runtimeServiceAccountEmail, ".gserviceaccount.com"),
      instance: this.instance.name,
      type: "CLOUD_IAM_SERVICE_ACCOUNT",
      // PostgreSQL refuses to drop a role that owns objects; abandon it instead of failing destroy.
      deletionPolicy: "ABANDON",
    });
  }

  /** The instance's server CA certificate (PEM): public, lets the service verify the server. */
  get serverCaPem(): string {
    return this.instance.serverCaCert.get(0).cert;
  }
}
