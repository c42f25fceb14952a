import { CloudSchedulerJob } from "@cdktf/provider-google/lib/cloud-scheduler-job/index.js";
import { ProjectIamCustomRole } from "@cdktf/provider-google/lib/project-iam-custom-role/index.js";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket/index.js";
import { Construct } from "constructs";
import type { EnvironmentDefinition } from "../environments/schema.js";
import type { ProjectApis } from "./apis.js";
import { DATABASE_NAME, type Database } from "./database.js";

export interface SqlExportProps {
  env: string;
  projectId: string;
  region: string;
  logging: EnvironmentDefinition["logging"];
  database: Database;
  /** Whether the bucket may be destroyed with exports still in it. */
  protectBucket: boolean;
  apis: ProjectApis;
}

/**
 * Weekly logical export of the database to a private bucket, independent of Cloud SQL's own backups
 * (which die with the instance unless retained). Cloud SQL has no scheduled export, so Cloud Scheduler calls
 * the SQL Admin export API as a dedicated service account that may do nothing but export. Each run
 * overwrites one object; bucket versioning keeps the earlier exports until the retention period ends.
 */
export class SqlExport extends Construct {
  readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: SqlExportProps) {
    super(scope, id);
    const { env, projectId, database } = props;

    const bucketName = `${projectId}-pierre-sql-exports`;
    this.bucket = new StorageBucket(this, "bucket", {
      name: bucketName,
      location: props.region.toUpperCase(),
      storageClass: "NEARLINE", // written weekly, read only in an emergency
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true },
      forceDestroy: !props.protectBucket,
      lifecycleRule: [
        {
          action: { type: "Delete" },
          condition: { withState: "ARCHIVED", daysSinceNoncurrentTime: props.logging.sqlExportRetentionDays },
        },
      ],
      dependsOn: [props.apis.api("storage.googleapis.com")],
    });

    // The instance's own service account writes the export file (and overwrites last week's).
    const instanceWriter = new StorageBucketIamMember(this, "instance-writer", {
      bucket: this.bucket.name,
      role: "roles/storage.objectAdmin",
      member: `serviceAccount:${database.instance.serviceAccountEmailAddress}`,
    });

    const exporter = new ServiceAccount(this, "exporter", {
      accountId: `pierre-sql-export-${env}`,
      displayName: `Pierre ${env} weekly SQL export`,
      dependsOn: [props.apis.api("iam.googleapis.com")],
    });
    const exportRole = new ProjectIamCustomRole(this, "export-role", {
      roleId: "pierreSqlExporter",
      title: "Pierre SQL exporter",
      description: "Start Cloud SQL exports and nothing else",
      permissions: ["cloudsql.instances.export"],
      dependsOn: [props.apis.api("iam.googleapis.com")],
    });
    const exporterGrant = new ProjectIamMember(this, "exporter-grant", {
      project: projectId,
      role: exportRole.name,
      member: exporter.member,
      dependsOn: [props.apis.api("cloudresourcemanager.googleapis.com")],
    });

    const exportRequest = {
      exportContext: {
        fileType: "SQL",
        uri: `gs://${bucketName}/${database.instanceName}/${DATABASE_NAME}.sql.gz`,
        databases: [DATABASE_NAME],
      },
    };
    new CloudSchedulerJob(this, "weekly-export", {
      name: `pierre-sql-export-${env}`,
      region: props.region,
      description: "Weekly Cloud SQL export to the backup bucket",
      schedule: props.logging.sqlExportSchedule,
      timeZone: "Etc/UTC",
      attemptDeadline: "180s",
      retryConfig: { retryCount: 3, minBackoffDuration: "300s" },
      httpTarget: {
        httpMethod: "POST",
        uri: `https://sqladmin.googleapis.com/v1/projects/${projectId}/instances/${database.instanceName}/export`,
        headers: { "Content-Type": "application/json" },
        body: Buffer.from(JSON.stringify(exportRequest)).toString("base64"),
        oauthToken: {
          serviceAccountEmail: exporter.email,
          scope: "https://www.googleapis.com/auth/cloud-platform",
        },
      },
      // The body names the bucket and instance as plain strings: depend on them explicitly.
      dependsOn: [props.apis.api("cloudscheduler.googleapis.com"), database.instance, instanceWriter, exporterGrant],
    });
  }
}
