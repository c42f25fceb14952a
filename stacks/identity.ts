import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { Construct } from "constructs";
import type { ProjectApis } from "./apis.js";

/**
 * Project-level roles of the runtime identity. Secret access is granted per secret (stacks/secrets.ts),
 * never project-wide.
 */
export const RUNTIME_PROJECT_ROLES = [
  "roles/cloudsql.client",
  "roles/logging.logWriter",
  "roles/monitoring.metricWriter",
  "roles/cloudtrace.agent",
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
