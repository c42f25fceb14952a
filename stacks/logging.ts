import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config/index.js";
import { Construct } from "constructs";
import type { ProjectApis } from "./apis.js";

export interface LoggingProps {
  projectId: string;
  retentionDays: number;
  apis: ProjectApis;
}

/** Retention of the project's `_Default` log bucket (where Cloud Run's request and application logs land). */
export class Logging extends Construct {
  constructor(scope: Construct, id: string, props: LoggingProps) {
    super(scope, id);
    new LoggingProjectBucketConfig(this, "default-bucket", {
      project: props.projectId,
      location: "global",
      bucketId: "_Default",
      retentionDays: props.retentionDays,
      dependsOn: [props.apis.api("logging.googleapis.com")],
    });
  }
}
