// CI identities declared in the bootstrap stack: Workload Identity Federation for this repository only,
// and per environment a planner and a deployer that reach that environment's state bucket and nothing
// else. The property that matters: no identity a pull request can use reads prod's state or changes prod.
import { beforeAll, describe, expect, it } from "vitest";
import { ENVIRONMENT_NAMES, type EnvironmentName } from "../../environments/schema.js";
import { DEPLOYER_PROJECT_ROLES, PLANNER_PROJECT_ROLES, planEnvironment } from "../../stacks/ci-identities.js";
import { CONFIGURED_ENV } from "../support/infra/fixtures.js";
import { addressOf, listOf, single, synthesizeAll, type Json, type SynthesizedStack } from "../support/infra/synth.js";

const REPOSITORY = "acme/pierre";
let bootstrap: SynthesizedStack;
let environments: Record<EnvironmentName, SynthesizedStack>;
beforeAll(() => {
  const stacks = synthesizeAll({ ...CONFIGURED_ENV, PIERRE_GITHUB_REPOSITORY: REPOSITORY });
  bootstrap = stacks.bootstrap;
  environments = { dev: stacks.dev, staging: stacks.staging, prod: stacks.prod };
});

const ENVS = ENVIRONMENT_NAMES.map((name) => [name] as [EnvironmentName]);
const account = (accountId: string) => `\${${addressOf(bootstrap, "google_service_account", (sa) => sa.account_id === accountId)}.member}`;
const accountName = (accountId: string) => `\${${addressOf(bootstrap, "google_service_account", (sa) => sa.account_id === accountId)}.name}`;
const bucketOf = (env: EnvironmentName) =>
  `\${${addressOf(bootstrap, "google_storage_bucket", (bucket) => bucket.name === environments[env].json.terraform.backend.gcs.bucket)}.name}`;
/** Who may impersonate a service account (members of its roles/iam.workloadIdentityUser bindings). */
const impersonators = (accountId: string): string[] =>
  listOf(bootstrap, "google_service_account_iam_member")
    .filter((binding) => binding.service_account_id === accountName(accountId) && binding.role === "roles/iam.workloadIdentityUser")
    .map((binding) => binding.member);
const pool = () => `\${${addressOf(bootstrap, "google_iam_workload_identity_pool", () => true)}.name}`;

describe("Workload Identity Federation", () => {
  it("admits GitHub Actions tokens of this repository only", () => {
    const provider = single(bootstrap, "google_iam_workload_identity_pool_provider");
    expect(provider.oidc).toEqual({ issuer_uri: "https://token.actions.githubusercontent.com" });
    expect(provider.attribute_condition).toBe(`assertion.repository == "${REPOSITORY}"`);
    expect(provider.attribute_mapping).toMatchObject({
      "google.subject": "assertion.sub",
      "attribute.repository": "assertion.repository",
    });
    // An environment counts only on main: a pull request's token (ref refs/pull/N/merge) maps to "none".
    expect(provider.attribute_mapping["attribute.main_environment"]).toBe(
      'has(assertion.environment) && assertion.ref == "refs/heads/main" ? assertion.environment : "none"',
    );
  });

  it("outputs the three repository variables the workflows read", () => {
    expect(Object.keys(bootstrap.json.output)).toEqual(
      expect.arrayContaining(["GCP_WORKLOAD_IDENTITY_PROVIDER", "GCP_PLAN_SERVICE_ACCOUNTS", "GCP_DEPLOY_SERVICE_ACCOUNTS"]),
    );
  });
});

describe("per-environment CI identities", () => {
  it.each(ENVS)("%s: the planner is read-only on its project and reads its own state bucket only", (env) => {
    const planner = account(`pierre-plan-${env}`);
    const roles = listOf(bootstrap, "google_project_iam_member").filter((grant) => grant.member === planner);
    expect(roles.map((grant) => `${grant.project} ${grant.role}`).sort()).toEqual(
      PLANNER_PROJECT_ROLES.map((role) => `acme-pierre-${env} ${role}`).sort(),
    );
    const buckets = listOf(bootstrap, "google_storage_bucket_iam_member").filter((grant) => grant.member === planner);
    expect(buckets.map((grant) => [grant.bucket, grant.role])).toEqual([[bucketOf(env), "roles/storage.objectViewer"]]);
  });

  it.each(ENVS)("%s: the deployer administers its project and writes its own state bucket only", (env) => {
    const deployer = account(`pierre-deploy-${env}`);
    const ownProject = listOf(bootstrap, "google_project_iam_member").filter(
      (grant) => grant.member === deployer && grant.project === `acme-pierre-${env}`,
    );
    expect(ownProject.map((grant) => grant.role).sort()).toEqual([...DEPLOYER_PROJECT_ROLES].sort());
    expect(ownProject.map((grant) => grant.role)).not.toContain("roles/owner");
    const buckets = listOf(bootstrap, "google_storage_bucket_iam_member").filter((grant) => grant.member === deployer);
    expect(buckets.map((grant) => [grant.bucket, grant.role])).toEqual([[bucketOf(env), "roles/storage.objectAdmin"]]);
  });

  it("deployers read the environment they promote from, and only read it", () => {
    const sourceGrants = (env: EnvironmentName, source: string) =>
      listOf(bootstrap, "google_project_iam_member")
        .filter((grant) => grant.member === account(`pierre-deploy-${env}`) && grant.project === source)
        .map((grant) => grant.role)
        .sort();
    expect(sourceGrants("staging", "acme-pierre-dev")).toEqual(["roles/artifactregistry.reader", "roles/run.viewer"]);
    expect(sourceGrants("prod", "acme-pierre-staging")).toEqual(["roles/artifactregistry.reader", "roles/run.viewer"]);
    expect(sourceGrants("dev", "acme-pierre-prod")).toEqual([]);
  });

  it("lets pull requests impersonate only the dev and staging planners", () => {
    const anyWorkflow = `principalSet://iam.googleapis.com/${pool()}/attribute.repository/${REPOSITORY}`;
    const inEnvironment = (name: string) => `principalSet://iam.googleapis.com/${pool()}/attribute.main_environment/${name}`;
    expect(impersonators("pierre-plan-dev")).toEqual([anyWorkflow]);
    expect(impersonators("pierre-plan-staging")).toEqual([anyWorkflow]);
    expect(impersonators("pierre-plan-prod")).toEqual([inEnvironment(planEnvironment("prod"))]);
    for (const env of ENVIRONMENT_NAMES) expect(impersonators(`pierre-deploy-${env}`)).toEqual([inEnvironment(env)]);
  });

  it("gives no identity a pull request can use any access to prod's state", () => {
    const prodBucketReaders = listOf(bootstrap, "google_storage_bucket_iam_member")
      .filter((grant) => grant.bucket === bucketOf("prod"))
      .map((grant: Json) => grant.member as string);
    expect(prodBucketReaders.sort()).toEqual([account("pierre-deploy-prod"), account("pierre-plan-prod")].sort());
    for (const member of prodBucketReaders) {
      const accountId = listOf(bootstrap, "google_service_account").find((sa) => member === account(sa.account_id)).account_id;
      expect(impersonators(accountId).every((principal) => principal.includes("/attribute.main_environment/"))).toBe(true);
    }
  });
});
