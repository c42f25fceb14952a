import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member/index.js";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket/index.js";
import { Construct } from "constructs";
import type { BootstrapConfig } from "../environments/schema.js";
import type { ProjectApis } from "./apis.js";

/**
 * GitHub Environment CI's plan of an environment runs in (ci.yml). Only prod's matters for access: it is
 * restricted to main, and the prod planner admits no other job, so no pull request can use it.
 */
export const planEnvironment = (env: string): string => `${env}-plan`;

/** Read-only: what `terraform plan -refresh` reads, IAM policies included. */
export const PLANNER_PROJECT_ROLES = ["roles/viewer", "roles/iam.securityReviewer"] as const;

/** What `cdktf deploy <env>` and the release steps (migration job, role grant, image push) change. */
export const DEPLOYER_PROJECT_ROLES = [
  "roles/artifactregistry.admin",
  "roles/cloudscheduler.admin",
  "roles/cloudsql.admin",
  "roles/compute.loadBalancerAdmin",
  "roles/compute.networkAdmin",
  "roles/compute.securityAdmin",
  "roles/iam.roleAdmin",
  "roles/iam.serviceAccountAdmin",
  "roles/iam.serviceAccountUser",
  "roles/logging.admin",
  "roles/monitoring.admin",
  "roles/resourcemanager.projectIamAdmin",
  "roles/run.admin",
  "roles/secretmanager.admin",
  "roles/servicenetworking.networksAdmin",
  "roles/serviceusage.serviceUsageAdmin",
  "roles/storage.admin",
  "roles/vpcaccess.admin",
] as const;

/** A promotion copies the image the previous environment runs: read its registry and Cloud Run services. */
export const PROMOTION_SOURCE_ROLES = ["roles/artifactregistry.reader", "roles/run.viewer"] as const;

export interface EnvironmentCiProps {
  environment: BootstrapConfig["environments"][number];
  /** The environment a release of this one copies its image from (staging from dev, prod from staging). */
  promotionSource?: BootstrapConfig["environments"][number];
  stateBucketLocation: string;
  /** `projects/<number>/locations/global/workloadIdentityPools/<id>`. */
  poolName: string;
  githubRepository: string;
  apis: ProjectApis;
}

/**
 * One environment's Terraform state bucket, in its own project, and its two CI identities:
 * - planner: read-only on the project, read on this bucket only (plans run with -lock=false);
 * - deployer: its project roles and read/write on this bucket only.
 * Who may impersonate them is decided by claims of GitHub's OIDC token, mapped by the pool's provider:
 * a planner of dev or staging by any workflow of the repository (pull requests plan those); the prod
 * planner and every deployer only by a job in the matching GitHub Environment running on main (the
 * token's `ref`, checked by the pool's attribute mapping, whatever the environment's own protection).
 * A pull request from any branch therefore reaches neither prod's state nor prod.
 */
export class EnvironmentCi extends Construct {
  readonly stateBucket: StorageBucket;
  readonly planner: ServiceAccount;
  readonly deployer: ServiceAccount;

  constructor(scope: Construct, id: string, props: EnvironmentCiProps) {
    super(scope, id);
    const { name: env, projectId } = props.environment;
    const after = { dependsOn: [props.apis.api("iam.googleapis.com")] };
    const principalSet = (attribute: string, value: string) =>
      `principalSet://iam.googleapis.com/${props.poolName}/attribute.${attribute}/${value}`;

    this.stateBucket = new StorageBucket(this, "state-bucket", {
      project: projectId,
      name: props.environment.stateBucket,
      location: props.stateBucketLocation,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true }, // every state write is recoverable
      lifecycleRule: [
        // Keep the 20 most recent earlier versions of each state file, each for at least 30 days.
        { action: { type: "Delete" }, condition: { withState: "ARCHIVED", numNewerVersions: 20, daysSinceNoncurrentTime: 30 } },
      ],
      lifecycle: { preventDestroy: true },
      dependsOn: [props.apis.api("storage.googleapis.com")],
    });

    this.planner = new ServiceAccount(this, "planner", {
      project: projectId,
      accountId: `pierre-plan-${env}`,
      displayName: `Pierre ${env} CI planner`,
      description: "Read-only: terraform plan of this environment from CI",
      ...after,
    });
    this.deployer = new ServiceAccount(this, "deployer", {
      project: projectId,
      accountId: `pierre-deploy-${env}`,
      displayName: `Pierre ${env} CI deployer`,
      description: "Releases this environment from CI (cdktf deploy, migrations)",
      ...after,
    });

    const grant = (account: ServiceAccount, project: string, roles: readonly string[], prefix = "") =>
      roles.forEach(
        (role) =>
          new ProjectIamMember(this, `${account.node.id}-${prefix}${role.replace("roles/", "")}`, {
            project,
            role,
            member: account.member,
            dependsOn: [props.apis.api("cloudresourcemanager.googleapis.com")],
          }),
      );
    grant(this.planner, projectId, PLANNER_PROJECT_ROLES);
    grant(this.deployer, projectId, DEPLOYER_PROJECT_ROLES);
    if (props.promotionSource) grant(this.deployer, props.promotionSource.projectId, PROMOTION_SOURCE_ROLES, "source-");

    new StorageBucketIamMember(this, "planner-state", {
      bucket: this.stateBucket.name,
      role: "roles/storage.objectViewer",
      member: this.planner.member,
    });
    new StorageBucketIamMember(this, "deployer-state", {
      bucket: this.stateBucket.name,
      role: "roles/storage.objectAdmin",
      member: this.deployer.member,
    });

    const impersonation = (account: ServiceAccount, member: string) =>
      new ServiceAccountIamMember(this, `${account.node.id}-workload-identity`, {
        serviceAccountId: account.name,
        role: "roles/iam.workloadIdentityUser",
        member,
      });
    impersonation(
      this.planner,
      env === "prod" ? principalSet("main_environment", planEnvironment(env)) : principalSet("repository", props.githubRepository),
    );
    impersonation(this.deployer, principalSet("main_environment", env));
  }
}
