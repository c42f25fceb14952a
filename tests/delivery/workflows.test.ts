// What the CI and deploy workflows must keep doing, read from the YAML GitHub runs.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfiguration } from "../../environments/load.js";
import { ENVIRONMENT_NAMES } from "../../environments/schema.js";
import { createApp } from "../../stacks/app.js";
import { CANDIDATE_TAG } from "../../.github/workflows/scripts/release.js";
import { planEnvironment } from "../../stacks/ci-identities.js";
import { REPOSITORY_ID, ROLLBACK_TAG } from "../../stacks/registry.js";
import { OPERATOR_SECRETS } from "../../stacks/secrets.js";
import {
  MIGRATION_COMMAND,
  WORKFLOW_DIR,
  WORKFLOW_FILES,
  findRun,
  findUses,
  loadWorkflow,
  needsOf,
  workflowText,
  type Job,
} from "../support/delivery/workflows.js";
import { scratchDirectories } from "../support/delivery/scratch.js";

const scratch = scratchDirectories();

const ci = loadWorkflow("ci.yml");
const deploy = loadWorkflow("deploy.yml");
const release = loadWorkflow("deploy-environment.yml");
const releaseJob = release.jobs.release;
const all = WORKFLOW_FILES.map((file) => ({ file, workflow: loadWorkflow(file), text: workflowText(file) }));
const allSteps = all.flatMap(({ workflow }) => Object.values(workflow.jobs).flatMap((job) => job.steps ?? []));

const CURRENT_MAJORS: Record<string, string> = {
  "actions/checkout": "v4",
  "actions/setup-node": "v4",
  "actions/upload-artifact": "v4",
  "google-github-actions/auth": "v2",
  "google-github-actions/setup-gcloud": "v2",
  "hashicorp/setup-terraform": "v3",
  "docker/setup-buildx-action": "v3",
  "docker/build-push-action": "v6",
};

describe("every workflow", () => {
  it("uses only known actions, each at its current major version", () => {
    const used = allSteps.flatMap((step) => (step.uses ? [step.uses] : []));
    expect(used.length).toBeGreaterThan(0);
    for (const uses of used) {
      const [action, version] = uses.split("@");
      expect(CURRENT_MAJORS[action], `${uses} is not an expected action`).toBeDefined();
      expect(version, action).toBe(CURRENT_MAJORS[action]);
    }
  });

  it("authenticates to Google Cloud only through Workload Identity Federation, never a key", () => {
    for (const { file, text } of all) expect(text, file).not.toMatch(/credentials_json|GOOGLE_CREDENTIALS|service_account_key|_KEY_JSON/i);
    const auths = allSteps.filter((step) => step.uses?.startsWith("google-github-actions/auth@"));
    expect(auths.length).toBeGreaterThanOrEqual(2);
    for (const auth of auths) {
      expect(Object.keys(auth.with ?? {}).sort()).toEqual(["service_account", "workload_identity_provider"]);
      expect(auth.with?.workload_identity_provider).toBe("${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}");
      expect(String(auth.with?.service_account)).toMatch(
        /^\$\{\{ fromJSON\(vars\.GCP_(PLAN|DEPLOY)_SERVICE_ACCOUNTS\)\[(matrix|inputs)\.environment\] \}\}$/,
      );
    }
  });

  it("grants an OIDC token only where Google Cloud is reached", () => {
    expect(ci.permissions).toEqual({ contents: "read" });
    expect(ci.jobs.plan.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(deploy.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  it("reads only the alerting secrets, and sets each Terraform variable the stacks declare", () => {
    const secrets = new Set(all.flatMap(({ text }) => [...text.matchAll(/secrets\.([A-Z_]+)/g)].map((match) => match[1])));
    expect([...secrets].sort()).toEqual(["PAGERDUTY_SERVICE_KEY", "SLACK_AUTH_TOKEN"]);

    const outdir = scratch("synth");
    createApp(loadConfiguration({}), outdir).synth();
    const declared = new Set(
      ENVIRONMENT_NAMES.flatMap((env) =>
        Object.keys(JSON.parse(readFileSync(join(outdir, "stacks", env, "cdk.tf.json"), "utf8")).variable ?? {}),
      ),
    );
    expect(declared.size).toBeGreaterThan(0);
    const planStep = findRun(ci.jobs.plan, /terraform plan/).step;
    const deploySteps = (releaseJob.steps ?? []).filter((step) => step.run?.includes("cdktf deploy"));
    expect(deploySteps).toHaveLength(2); // the release, and taking a failed canary out of traffic
    for (const step of [planStep, ...deploySteps]) {
      for (const name of declared) expect(step.env?.[`TF_VAR_${name}`], `${step.name}: TF_VAR_${name}`).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
    }
  });

  it("pins the same npm (11, which honours allowScripts) and Terraform everywhere", () => {
    expect(ci.env?.NPM_VERSION).toMatch(/^11\.\d+\.\d+$/);
    expect(release.env?.NPM_VERSION).toBe(ci.env?.NPM_VERSION);
    expect(release.env?.TERRAFORM_VERSION).toBe(ci.env?.TERRAFORM_VERSION);
    for (const step of allSteps.filter((s) => s.uses?.startsWith("hashicorp/setup-terraform@"))) {
      expect(step.with).toMatchObject({ terraform_wrapper: false });
    }
  });
});

describe("CI", () => {
  it("runs on pull requests and on pushes to main", () => {
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(ci.on.push).toEqual({ branches: ["main"] });
  });

  it("lints and runs the whole test suite after a clean install, on Node 24 and 20 with the npm cache", () => {
    const test = ci.jobs.test;
    expect(test.strategy?.matrix?.node).toEqual([24, 20]);
    expect(findUses(test, "actions/setup-node").step.with).toMatchObject({ "node-version": "${{ matrix.node }}", cache: "npm" });
    const install = findRun(test, /^npm ci\b/).index;
    expect(findRun(test, /^npm run lint$/).index).toBeGreaterThan(install);
    expect(findRun(test, /^npm test$/).index).toBeGreaterThan(install);
    expect(test.if).toBeUndefined();
  });

  it("synthesizes every stack and keeps cdktf.out as an artifact", () => {
    const synth = ci.jobs.synth;
    expect(synth.if).toBeUndefined();
    const synthesize = findRun(synth, /^npm run synth$/).index;
    const report = findRun(synth, /npm run -s cost/);
    expect(report.index).toBeGreaterThan(synthesize);
    expect(report.step.run).toContain("npm run -s diagram -- prod");
    expect(findRun(synth, /diff -u base\/docs\/cost\.md docs\/cost\.md/).step.if).toBe("github.event_name == 'pull_request'");
    expect(findUses(synth, "actions/upload-artifact").step.with).toMatchObject({ path: "cdktf.out/", "if-no-files-found": "error" });
  });

  it("builds the image and runs it: migration command, health, start from the code cache, and a clean exit on SIGTERM", () => {
    const image = ci.jobs.image;
    expect(findUses(image, "docker/build-push-action").step.with).toMatchObject({ load: true, push: false });
    const script = findRun(image, /docker stop/).step.run!;
    expect(script).toContain(`"$IMAGE" ${MIGRATION_COMMAND.join(" ")}`);
    expect(script).toMatch(/curl .*--fail .*\/health/);
    expect(script).toMatch(/\{\{\.Config\.User\}\}.*= node/);
    expect(script).toMatch(/docker logs pierre \| grep .*"codeCache":"used"/);
    expect(script).toMatch(/\{\{\.State\.ExitCode\}\}.*= 0/);
    const size = findRun(image, /docker image inspect --format '\{\{\.Size\}\}'/).step.run!;
    expect(size).toContain("find \"$IMAGE\" /app -type f | wc -l");
    expect(size).toContain("$GITHUB_STEP_SUMMARY");
  });

  it("plans dev and staging on pull requests and prod only on main, in <env>-plan, after synth, against the live images", () => {
    const access = ci.jobs["plan-access"];
    const plan = ci.jobs.plan;
    expect(access.if).toBeUndefined();
    expect(access.steps![0].run).toContain(`environments='["dev","staging"]'; else environments='["prod"]'`);
    expect(needsOf(plan).sort()).toEqual(["plan-access", "synth"]);
    expect(plan.if).toBe("needs.plan-access.outputs.configured == 'true'");
    expect(plan.strategy?.matrix?.environment).toBe("${{ fromJSON(needs.plan-access.outputs.environments) }}");
    expect(plan.environment).toBe(planEnvironment("${{ matrix.environment }}"));
    const live = findRun(plan, /release\.ts "\$ENVIRONMENT" current/).index;
    const auth = findUses(plan, "google-github-actions/auth").index;
    const terraform = findRun(plan, /terraform plan/);
    expect(auth).toBeLessThan(live);
    expect(findRun(plan, /^npm run synth$/).index).toBeGreaterThan(live);
    expect(terraform.step["working-directory"]).toBe("cdktf.out/stacks/${{ matrix.environment }}");
    expect(terraform.step.run).toMatch(/terraform init -input=false/);
    expect(terraform.step.run).toMatch(/terraform plan -input=false -lock=false/);
    expect(terraform.step.run).toContain("$GITHUB_STEP_SUMMARY");
  });

  it("skips the plan with a notice when Workload Identity Federation is not configured (forks)", () => {
    const check = ci.jobs["plan-access"].steps![0];
    expect(check.env).toMatchObject({
      PROVIDER: "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}",
      SERVICE_ACCOUNTS: "${{ vars.GCP_PLAN_SERVICE_ACCOUNTS }}",
    });
    expect(check.run).toMatch(/-n "\$PROVIDER" && -n "\$SERVICE_ACCOUNTS"/);
    expect(check.run).toContain("::notice");
    expect(check.run).toContain("configured=false");
  });
});

describe("a new environment", () => {
  const prepare = () => findRun(releaseJob, /gcloud artifacts repositories describe/);

  it("applies the registry, the secrets and the runtime's database user before the image is pushed", () => {
    const { step, index } = prepare();
    expect(step.run).toContain(`repositories describe ${REPOSITORY_ID} `);
    expect(step.run).toMatch(/"google_artifact_registry_repository", "google_secret_manager_secret", "google_sql_user"/);
    expect(step.run).toContain("terraform apply -input=false -no-color -auto-approve $targets");
    expect(index).toBeLessThan(findUses(releaseJob, "docker/build-push-action").index);
  });

  it("generates the token-encryption key once, into the secret the service reads it from", () => {
    const { step } = prepare();
    expect(step.env?.TOKEN_KEY_SECRET).toBe(OPERATOR_SECRETS.TOKEN_ENCRYPTION_KEY);
    expect(step.run).toMatch(/openssl rand -base64 32 \| tr -d '\\n' \| gcloud secrets versions add "\$TOKEN_KEY_SECRET"/);
  });

  it("gives the runtime's IAM database user its role, on the instance and user the stack creates, before migrating", () => {
    const grant = findRun(releaseJob, /gcloud sql users assign-roles/);
    expect(grant.index).toBeGreaterThan(prepare().index);
    expect(grant.index).toBeLessThan(findRun(releaseJob, /gcloud run jobs execute "\$JOB"/).index);
    const outdir = scratch("synth-names");
    createApp(loadConfiguration({}), outdir).synth();
    for (const env of ENVIRONMENT_NAMES) {
      const stack = JSON.parse(readFileSync(join(outdir, "stacks", env, "cdk.tf.json"), "utf8"));
      const instance = Object.values(stack.resource.google_sql_database_instance)[0] as { name: string };
      const accounts = Object.values(stack.resource.google_service_account) as Array<{ account_id: string }>;
      expect(grant.step.run!.replaceAll("${ENVIRONMENT}", env)).toContain(`--instance "${instance.name}"`);
      expect(accounts.map((account) => account.account_id)).toContain(`pierre-run-${env}`);
      expect(grant.step.run).toContain('"pierre-run-${ENVIRONMENT}@${PROJECT}.iam"');
    }
  });
});

describe("Deploy", () => {
  it("runs on pushes to main and by hand with canary, promote or rollback", () => {
    expect(deploy.on.push).toEqual({ branches: ["main"] });
    const dispatch = deploy.on.workflow_dispatch as { inputs: Record<string, { type: string; options?: string[] }> };
    expect(dispatch.inputs.action).toMatchObject({ type: "choice", options: ["canary", "promote", "rollback"] });
  });

  it("builds once for dev, then gives staging the same image after dev; prod only by hand, from main", () => {
    const { dev, staging, prod } = deploy.jobs;
    for (const job of [dev, staging, prod]) {
      expect(job.uses).toBe("./.github/workflows/deploy-environment.yml");
      expect(job.secrets).toBe("inherit");
    }
    expect(existsSync(join(WORKFLOW_DIR, "deploy-environment.yml"))).toBe(true);
    expect(dev.if).toBe("github.event_name == 'push'");
    expect(dev.with).toMatchObject({ environment: "dev", action: "deploy", sha: "${{ github.sha }}", "image-from": "build" });
    expect(needsOf(staging)).toEqual(["dev"]);
    expect(staging.with).toMatchObject({ environment: "staging", action: "deploy", "image-from": "dev" });
    expect(prod.if).toBe("github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main'");
    expect(prod.with).toMatchObject({ environment: "prod", action: "${{ inputs.action }}" });
    expect(prod.with?.["image-from"]).toBe("${{ inputs.action == 'canary' && 'staging' || '' }}");
  });

  it("never runs two releases of one environment at once, and never cancels one midway", () => {
    expect(releaseJob.concurrency).toEqual({ group: "pierre-deploy-${{ inputs.environment }}", "cancel-in-progress": false });
  });

  it("deploys through the environment's GitHub Environment (prod's required reviewers gate it)", () => {
    expect(releaseJob.environment).toMatchObject({ name: "${{ inputs.environment }}" });
    expect(releaseJob.env?.ENVIRONMENT).toBe("${{ inputs.environment }}");
  });

  it("builds and pushes the commit-tagged image to the environment's Artifact Registry", () => {
    const login = findRun(releaseJob, /gcloud auth configure-docker/);
    expect(login.step.run).toContain('"${{ steps.target.outputs.region }}-docker.pkg.dev"');
    const build = findUses(releaseJob, "docker/build-push-action");
    expect(build.index).toBeGreaterThan(findUses(releaseJob, "docker/setup-buildx-action").index);
    expect(build.step.if).toBe("inputs.image-from == 'build'");
    expect(build.step.with).toMatchObject({ push: true, context: ".", tags: "${{ steps.target.outputs.repository }}:${{ inputs.sha }}" });
  });

  it("migrates with a Cloud Run job running the new image, waits for it, and only then deploys", () => {
    const migrate = findRun(releaseJob, /gcloud run jobs deploy "\$JOB"/);
    expect(migrate.step.env?.JOB).toBe("pierre-migrate-${{ inputs.environment }}");
    expect(migrate.step.env?.IMAGE).toBe("${{ steps.release.outputs.image }}");
    const [command, ...args] = MIGRATION_COMMAND;
    expect(migrate.step.run).toContain(`--command ${command} --args ${args.join(",")}`);
    expect(migrate.step.run).toContain('--flags-file "$RUNNER_TEMP/migrate-job.json"');
    expect(migrate.step.run).toMatch(/gcloud run jobs execute "\$JOB" .* --wait/);
    const plan = findRun(releaseJob, /release\.ts "\$ENVIRONMENT" "\$ACTION"/);
    expect(plan.step.run).toContain('--job-flags "$RUNNER_TEMP/migrate-job.json"');
    const cdktf = findRun(releaseJob, /^npx cdktf deploy "\$ENVIRONMENT" --auto-approve$/);
    expect(plan.index).toBeLessThan(migrate.index);
    expect(migrate.index).toBeLessThan(cdktf.index);
  });

  it("smoke-tests a canary on its candidate URL, and takes it out of traffic if that fails", () => {
    const cdktf = findRun(releaseJob, /^npx cdktf deploy "\$ENVIRONMENT" --auto-approve$/).index;
    const smoke = releaseJob.steps!.findIndex((step) => step.id === "smoke-canary");
    expect(smoke).toBeGreaterThan(cdktf);
    const script = releaseJob.steps![smoke].run!;
    expect(script).toContain(`select(.tag == "${CANDIDATE_TAG}")`);
    expect(script).toContain("/health");
    expect(script).toMatch(/gcloud run jobs execute "\$JOB" .* --wait/);
    const abort = releaseJob.steps![smoke + 1];
    expect(abort.if).toBe("failure() && steps.smoke-canary.outcome == 'failure'");
    expect(abort.run).toMatch(/"PIERRE_\$\{ENVIRONMENT\^\^\}_CANARY_IMAGE=" .*\n?.*npx cdktf deploy "\$ENVIRONMENT" --auto-approve/);
  });

  it("smoke-tests the public URL after any other release, and remembers what a promotion replaced", () => {
    const smoke = releaseJob.steps!.find((step) => step.id === "smoke")!;
    expect(smoke.if).toBe("steps.release.outputs.canary_image == ''");
    expect(smoke.run).toMatch(/curl .*--fail .*"\$url\/health"/);
    const remember = findRun(releaseJob, /gcloud artifacts docker tags add/).step;
    expect(remember.run).toContain(`"$REPOSITORY:${ROLLBACK_TAG}"`);
    expect(remember.if).toBe("steps.release.outputs.outgoing_stable != ''");
  });
});

// Job-level sanity that a typo would otherwise only reveal on GitHub.
describe("job wiring", () => {
  it("every `needs` names a job of the same workflow and every step output read exists", () => {
    for (const { file, workflow } of all) {
      for (const [id, job] of Object.entries(workflow.jobs) as Array<[string, Job]>) {
        for (const need of needsOf(job)) expect(Object.keys(workflow.jobs), `${file} ${id}`).toContain(need);
        const stepIds = new Set((job.steps ?? []).map((step) => step.id).filter(Boolean));
        const read = [...JSON.stringify(job).matchAll(/steps\.([a-z-]+)\.(outputs|outcome)/g)].map((match) => match[1]);
        for (const stepId of read) expect(stepIds, `${file} ${id} reads steps.${stepId}`).toContain(stepId);
      }
    }
  });
});
