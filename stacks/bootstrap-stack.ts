import { IamWorkloadIdentityPoolProvider } from "@cdktf/provider-google/lib/iam-workload-identity-pool-provider/index.js";
import { IamWorkloadIdentityPool } from "@cdktf/provider-google/lib/iam-workload-identity-pool/index.js";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider/index.js";
import { Fn, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { BootstrapConfig } from "../environments/schema.js";
import { BOOTSTRAP_APIS, ProjectApis } from "./apis.js";
import { EnvironmentCi, planEnvironment } from "./ci-identities.js";

export const BOOTSTRAP_STACK = "bootstrap";
/** GitHub Actions' OIDC issuer. */
const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
/** The protected branch: only its jobs get an environment attribute the prod and deployer bindings match. */
const PROTECTED_REF = "refs/heads/main";

/**
 * What must exist before any environment stack, and what CI needs to run them: each environment's
 * Terraform state bucket (in that environment's project), a Workload Identity Federation pool whose
 * GitHub provider admits this repository's workflows only, and per environment a planner and a deployer
 * (stacks/ci-identities.ts). A stack cannot create the bucket its own backend lives in, so this one
 * keeps a local state file; it holds no secret and can be re-imported if lost.
 */
export class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, config: BootstrapConfig) {
    super(scope, BOOTSTRAP_STACK);
    // Relative to where cdktf runs Terraform (cdktf.out/stacks/bootstrap): the file lands in the repository
    // root (git-ignored), out of cdktf.out, which routine cleans wipe.
    new LocalBackend(this, { path: "../../../terraform.bootstrap.tfstate" });
    new GoogleProvider(this, "google", {
      project: config.projectId,
      defaultLabels: { app: "pierre", managed_by: "cdktf" },
    });

    const apisOf = new Map<string, ProjectApis>();
    for (const projectId of new Set([config.projectId, ...config.environments.map((env) => env.projectId)])) {
      apisOf.set(projectId, new ProjectApis(this, `apis-${projectId}`, { projectId, apis: BOOTSTRAP_APIS, placeholders: config.placeholders }));
    }
    const poolApis = apisOf.get(config.projectId)!;

    const pool = new IamWorkloadIdentityPool(this, "github-pool", {
      workloadIdentityPoolId: "pierre-github",
      displayName: "Pierre GitHub Actions",
      dependsOn: [poolApis.api("iam.googleapis.com"), poolApis.api("sts.googleapis.com")],
    });
    const provider = new IamWorkloadIdentityPoolProvider(this, "github-provider", {
      workloadIdentityPoolId: pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: "github",
      displayName: "GitHub OIDC",
      oidc: { issuerUri: GITHUB_ISSUER },
      attributeMapping: {
        "google.subject": "assertion.sub",
        "attribute.repository": "assertion.repository",
        // The job's GitHub Environment, only when it runs on the protected branch: a pull request's job gets
        // "none" even if it names an environment (or one that was never protected, or is auto-created).
        "attribute.main_environment": `has(assertion.environment) && assertion.ref == "${PROTECTED_REF}" ? assertion.environment : "none"`,
      },
      // Tokens of any other repository are refused outright, whatever the bindings say.
      attributeCondition: `assertion.repository == "${config.githubRepository}"`,
    });

    const identities = config.environments.map(
      (environment, index) =>
        new EnvironmentCi(this, `ci-${environment.name}`, {
          environment,
          promotionSource: config.environments[index - 1],
          stateBucketLocation: config.stateBucketLocation,
          poolName: pool.name,
          githubRepository: config.githubRepository,
          apis: apisOf.get(environment.projectId)!,
        }),
    );
    const byEnvironment = (account: (ci: EnvironmentCi) => string) =>
      Fn.jsonencode(Object.fromEntries(config.environments.map((env, index) => [env.name, account(identities[index])])));

    // The three repository variables the workflows read (Settings > Secrets and variables > Actions).
    new TerraformOutput(this, "GCP_WORKLOAD_IDENTITY_PROVIDER", {
      value: provider.name,
      description: "Repository variable GCP_WORKLOAD_IDENTITY_PROVIDER",
    });
    new TerraformOutput(this, "GCP_PLAN_SERVICE_ACCOUNTS", {
      value: byEnvironment((ci) => ci.planner.email),
      description: "Repository variable GCP_PLAN_SERVICE_ACCOUNTS (JSON: environment -> planner)",
    });
    new TerraformOutput(this, "GCP_DEPLOY_SERVICE_ACCOUNTS", {
      value: byEnvironment((ci) => ci.deployer.email),
      description: "Repository variable GCP_DEPLOY_SERVICE_ACCOUNTS (JSON: environment -> deployer)",
    });
    new TerraformOutput(this, "github_environments", {
      value: config.environments.flatMap((env) => [env.name, planEnvironment(env.name)]),
      description: "GitHub Environments to create: dev, staging, prod and prod-plan with main as their only deployment branch, prod with reviewers",
    });
  }
}
