import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { Construct } from "constructs";
import type { ProjectApis } from "./apis.js";

/**
 * Project-level roles of the runtime identity: only what the service uses. Secret access is granted per
 * secret (stacks/secrets.ts), never project-wide. Not here, on purpose:
 * - cloudsql.client: it is for the Cloud SQL Auth Proxy and connectors; the service dials the private IP;
 * - logging.logWriter: Cloud Run ships the container's stdout itself; the service never calls the Logging API;
 * - monitoring.metricWriter: the service writes no custom metrics (its metrics are log-based).
 */
export const RUNTIME_PROJECT_ROLES = [
  "roles/cloudsql.instanceUser", // IAM database login (cloudsql.instances.login)
  "roles/cloudtrace.agent", // span export to Cloud Trace (service/tracing/, TRACE_SAMPLE_RATIO)
] as const;

export interface IdentityProps {
  env: string;
  projectId: string;
  apis: ProjectApis;
}

/** The dedicated service account Cloud Run runs as, with only what the service needs. */
export class Identity extends Construct {
  readonly runtime: ServiceAccount;
  readonly grants: ProjectIamMember[];

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    this.runtime = new ServiceAccount(this, "runtime", {
      accountId: `pierre-run-${props.env}`,
      displayName: `Pierre ${props.env} runtime`,
      description: "Identity of the Pierre Cloud Run service",
      dependsOn: [props.apis.api("iam.googleapis.com")],
    });
    this.grants = RUNTIME_PROJECT_ROLES.map(
      (role) =>
        new ProjectIamMember(this, role.replace("roles/", ""), {
          project: props.projectId,
          role,
          member: this.runtime.member,
          dependsOn: [props.apis.api("cloudresourcemanager.googleapis.com")],
        }),
    );
  }
}
