// The release flow of .github/workflows/scripts/release.ts: what each action deploys, and the real gcloud
// CLI reading a (local, fake) Cloud Run API to find the live release and the migration job's settings.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfiguration, PLACEHOLDER_IMAGE } from "../../environments/load.js";
import { createApp } from "../../stacks/app.js";
import { CANDIDATE_TAG, planRelease, ReleaseError, settingsFrom, STABLE_TAG } from "../../.github/workflows/scripts/release.js";
import { runScript } from "../support/process.js";
import { FakeGoogleCloud, type ServiceState } from "../support/delivery/fake-google-cloud.js";
import { gcloudInstalled } from "../support/delivery/gcloud.js";
import { readKeyValueFile } from "../support/delivery/workflows.js";
import { scratchDirectories } from "../support/delivery/scratch.js";

const scratch = scratchDirectories();

const REPO = "us-central1-docker.pkg.dev/pierre-prod-123/pierre/pierre";
const sha = (digit: string) => digit.repeat(40);
const digest = (digit: string) => `sha256:${digit.repeat(64)}`;
/** Releases are deployed by digest; the registry maps each commit tag to one. */
const image = (digit: string) => `${REPO}@${digest(digit)}`;

describe("planRelease", () => {
  const stable = { stableImage: image("a") };
  const canaryLive = { stableImage: image("a"), candidate: { image: image("b"), percent: 10 } };

  it("canary: the new image takes the default 10% beside the live stable image", () => {
    expect(planRelease("canary", stable, { image: image("b") })).toEqual({
      stableImage: image("a"),
      canary: { image: image("b"), percent: 10 },
    });
  });

  it("promote: the live candidate becomes the only, stable image and the old stable is remembered", () => {
    expect(planRelease("promote", canaryLive)).toEqual({ stableImage: image("b"), outgoingStable: image("a") });
  });

  it("canary then promote ends with all traffic on the new image", () => {
    const canary = planRelease("canary", stable, { image: image("b") });
    const promoted = planRelease("promote", { stableImage: canary.stableImage!, candidate: canary.canary });
    expect(promoted.stableImage).toBe(image("b"));
    expect(promoted.canary).toBeUndefined();
  });

  it("rollback during a canary returns to the stable image; afterwards to the previous stable release", () => {
    expect(planRelease("rollback", canaryLive)).toEqual({ stableImage: image("a") });
    expect(planRelease("rollback", { stableImage: image("b") }, { previousStable: image("a") })).toEqual({ stableImage: image("a") });
    expect(planRelease("rollback", canaryLive, { image: image("c") })).toEqual({ stableImage: image("c") });
  });

  it("the first release of an environment goes straight to stable: there is no traffic to protect", () => {
    expect(planRelease("canary", undefined, { image: image("b") })).toEqual({ stableImage: image("b") });
    expect(planRelease("canary", { stableImage: PLACEHOLDER_IMAGE }, { image: image("b") })).toEqual({ stableImage: image("b") });
  });

  it("deploy makes the new image stable and remembers the one it replaces (never the placeholder)", () => {
    expect(planRelease("deploy", stable, { image: image("b") })).toEqual({ stableImage: image("b"), outgoingStable: image("a") });
    expect(planRelease("deploy", { stableImage: PLACEHOLDER_IMAGE }, { image: image("b") })).toEqual({ stableImage: image("b") });
    expect(planRelease("deploy", stable, { image: image("a") })).toEqual({ stableImage: image("a") });
  });

  it("current reproduces what runs, canary included", () => {
    expect(planRelease("current", canaryLive)).toEqual({ stableImage: image("a"), canary: { image: image("b"), percent: 10 } });
    expect(planRelease("current", undefined)).toEqual({ stableImage: undefined, canary: undefined });
  });

  it("refuses releases that make no sense, with a reason", () => {
    expect(() => planRelease("canary", canaryLive, { image: image("c") })).toThrow(/already live.*promote or roll it back/);
    expect(() => planRelease("canary", stable, { image: image("a") })).toThrow(/already the stable release/);
    expect(() => planRelease("promote", stable)).toThrow(/no canary is live/);
    expect(() => planRelease("rollback", stable)).toThrow(ReleaseError);
    expect(() => planRelease("deploy", stable)).toThrow(/needs the commit/);
  });
});


describe("settingsFrom", () => {
  it("takes the PIERRE_* configuration variables except the images, which only the release plan sets", () => {
    const vars = {
      PIERRE_STATE_BUCKET: "acme-tfstate",
      PIERRE_PROD_PROJECT_ID: "acme-prod",
      PIERRE_PROD_IMAGE: image("z"),
      PIERRE_PROD_CANARY_IMAGE: image("y"),
      PIERRE_PROD_CANARY_PERCENT: "50",
      GCP_WORKLOAD_IDENTITY_PROVIDER: "projects/1/locations/global/workloadIdentityPools/p/providers/github",
    };
    expect(settingsFrom(JSON.stringify(vars))).toEqual({ PIERRE_STATE_BUCKET: "acme-tfstate", PIERRE_PROD_PROJECT_ID: "acme-prod" });
    expect(settingsFrom(undefined)).toEqual({});
  });

  it("refuses a multi-line value, which would smuggle extra lines into $GITHUB_ENV", () => {
    expect(() => settingsFrom(JSON.stringify({ PIERRE_PROD_DOMAIN: "mcp.example.com\nNODE_OPTIONS=--require=/tmp/x" }))).toThrow(
      "PIERRE_PROD_DOMAIN: must be a single line",
    );
  });
});

/** The Cloud Run service Terraform would create from these PIERRE_* variables, via the same code as `npm run synth`. */
function synthesizedService(env: Record<string, string>) {
  const outdir = scratch("synth");
  createApp(loadConfiguration(env), outdir).synth();
  const stack = JSON.parse(readFileSync(join(outdir, "stacks", "prod", "cdk.tf.json"), "utf8"));
  return Object.values(stack.resource.google_cloud_run_v2_service)[0] as {
    template: { containers: Array<{ image: string }> };
    traffic: Array<{ percent: number; tag?: string }>;
  };
}

describe.skipIf(!gcloudInstalled)("release.ts with the gcloud CLI against a local Cloud Run API", () => {
  const cloud = new FakeGoogleCloud("pierre-prod-123", "us-central1");
  const settings = {
    PIERRE_STATE_BUCKET: "pierre-tfstate-test",
    PIERRE_PROD_PROJECT_ID: "pierre-prod-123",
    PIERRE_PROD_DOMAIN: "mcp.pierre.example",
  };
  const certificate = "-----BEGIN CERTIFICATE-----\nMIIB,with+commas==\n-----END CERTIFICATE-----\n";
  const serviceEnv: ServiceState["env"] = [
    { name: "NODE_ENV", value: "production" },
    { name: "PGHOST", value: "10.16.0.3" },
    { name: "DATABASE_SSL_CA", value: certificate },
    { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: "pierre-db-password", key: "2" } } },
    { name: "TOKEN_ENCRYPTION_KEY", valueFrom: { secretKeyRef: { name: "pierre-token-encryption-key", key: "latest" } } },
  ];
  const liveService = (revisions: Record<string, string>, traffic: ServiceState["traffic"]) =>
    cloud.services.set("pierre-prod", {
      name: "pierre-prod",
      serviceAccount: "pierre-run-prod@pierre-prod-123.iam.gserviceaccount.com",
      connector: "projects/pierre-prod-123/locations/us-central1/connectors/pierre-conn-prod",
      env: serviceEnv,
      revisions,
      traffic,
    });
  const stableOnly = () => liveService({ "pierre-prod-aaa": image("a") }, [{ revisionName: "pierre-prod-aaa", percent: 100 }]);
  const canaryRunning = () =>
    liveService({ "pierre-prod-aaa": image("a"), "pierre-prod-bbb": image("b") }, [
      { revisionName: "pierre-prod-aaa", percent: 90, tag: "stable" },
      { revisionName: "pierre-prod-bbb", percent: 10, tag: "candidate" },
    ]);

  beforeAll(async () => {
    await cloud.start();
    for (const commit of ["a", "b", "c"]) cloud.tags.set(sha(commit), digest(commit));
  });
  afterAll(() => cloud.stop());

  async function release(...args: string[]) {
    const dir = scratch("release");
    const files = { GITHUB_OUTPUT: join(dir, "output"), GITHUB_ENV: join(dir, "env") };
    writeFileSync(files.GITHUB_OUTPUT, "");
    writeFileSync(files.GITHUB_ENV, "");
    const run = await runScript(".github/workflows/scripts/release.ts", args, { ...cloud.gcloudEnv(), ...settings, ...files });
    return { ...run, outputs: readKeyValueFile(files.GITHUB_OUTPUT), env: readKeyValueFile(files.GITHUB_ENV) };
  }

  it("canary: keeps the live stable image and gives the commit's image 10% of traffic, tagged candidate", async () => {
    stableOnly();
    const result = await release("prod", "canary", "--sha", sha("b"));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.env).toEqual({
      PIERRE_PROD_IMAGE: image("a"),
      PIERRE_PROD_CANARY_IMAGE: image("b"),
      PIERRE_PROD_CANARY_PERCENT: "10",
    });
    expect(result.outputs).toMatchObject({
      configured: "true",
      project_id: "pierre-prod-123",
      region: "us-central1",
      service: "pierre-prod",
      repository: REPO,
      image: image("b"),
      service_exists: "true",
    });

    const service = synthesizedService({ ...settings, ...result.env });
    expect(service.template.containers[0].image).toBe(image("b"));
    expect(service.traffic.map(({ percent, tag }) => ({ percent, tag }))).toEqual([
      { percent: 90, tag: STABLE_TAG },
      { percent: 10, tag: CANDIDATE_TAG },
    ]);
  });

  it("promote: the candidate's image takes all traffic, the canary variables are cleared", async () => {
    canaryRunning();
    const result = await release("prod", "promote");
    expect(result.code).toBe(0);
    expect(result.env).toEqual({ PIERRE_PROD_IMAGE: image("b"), PIERRE_PROD_CANARY_IMAGE: "", PIERRE_PROD_CANARY_PERCENT: "" });
    expect(result.outputs.outgoing_stable).toBe(image("a"));

    const service = synthesizedService({ ...settings, ...result.env });
    expect(service.template.containers[0].image).toBe(image("b"));
    expect(service.traffic).toEqual([expect.objectContaining({ percent: 100 })]);
    expect(service.traffic[0].tag).toBeUndefined();
  });

  it("rollback during a canary returns all traffic to the stable revision's image", async () => {
    canaryRunning();
    const result = await release("prod", "rollback");
    expect(result.code).toBe(0);
    expect(result.env).toEqual({ PIERRE_PROD_IMAGE: image("a"), PIERRE_PROD_CANARY_IMAGE: "", PIERRE_PROD_CANARY_PERCENT: "" });
  });

  it("rollback after a promotion returns to the image tagged previous-stable", async () => {
    liveService({ "pierre-prod-bbb": image("b") }, [{ revisionName: "pierre-prod-bbb", percent: 100 }]);
    cloud.tags.set("previous-stable", digest("a"));
    try {
      const result = await release("prod", "rollback");
      expect(result.code).toBe(0);
      expect(result.env.PIERRE_PROD_IMAGE).toBe(image("a"));
      expect(result.env.PIERRE_PROD_CANARY_IMAGE).toBe("");
    } finally {
      cloud.tags.delete("previous-stable");
    }
  });

  it("writes a flags file that makes gcloud deploy a job with the service's identity, network, settings and secrets", async () => {
    stableOnly();
    const flagsFile = join(scratch("flags"), "job-flags.json");
    expect((await release("prod", "canary", "--sha", sha("b"), "--job-flags", flagsFile)).code).toBe(0);

    // The real gcloud reads the file; the fake API records the Job it sends.
    const deploy = ["run", "jobs", "deploy", "pierre-migrate-prod", "--region", "us-central1", "--project", "pierre-prod-123",
      "--image", image("b"), "--command", "node", "--args", "dist/service/db/migrate-cli.js", `--flags-file=${flagsFile}`];
    await promisify(execFile)("gcloud", deploy, { env: { ...process.env, ...cloud.gcloudEnv() } });
    const job = cloud.jobs.get("pierre-migrate-prod") as {
      spec: { template: { metadata: { annotations: Record<string, string> }; spec: { template: { spec: Record<string, unknown> & { containers: Array<Record<string, unknown>> } } } } };
    };
    expect(job.spec.template.metadata.annotations).toMatchObject({
      "run.googleapis.com/vpc-access-connector": "projects/pierre-prod-123/locations/us-central1/connectors/pierre-conn-prod",
      "run.googleapis.com/vpc-access-egress": "all-traffic",
    });
    const task = job.spec.template.spec.template.spec;
    expect(task.serviceAccountName).toBe("pierre-run-prod@pierre-prod-123.iam.gserviceaccount.com");
    expect(task.containers[0]).toMatchObject({ image: image("b"), command: ["node"], args: ["dist/service/db/migrate-cli.js"] });
    expect(task.containers[0].env).toEqual(expect.arrayContaining(serviceEnv));
    expect(task.containers[0].env).toHaveLength(serviceEnv.length);
  });

  it("refuses a second canary with a reason and writes no variables", async () => {
    canaryRunning();
    const result = await release("prod", "canary", "--sha", sha("c"));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^release: a canary is already live .* promote or roll it back first\n$/);
    expect(result.env).toEqual({});
  });

  it("releases straight to stable when the service does not exist yet", async () => {
    cloud.services.clear();
    const first = await release("prod", "canary", "--sha", sha("b"));
    expect(first.code).toBe(0);
    expect(first.outputs.service_exists).toBe("false");
    expect(first.env).toEqual({ PIERRE_PROD_IMAGE: image("b"), PIERRE_PROD_CANARY_IMAGE: "", PIERRE_PROD_CANARY_PERCENT: "" });
  });

  it("rejects a commit without a published image and a short sha", async () => {
    stableOnly();
    const unpublished = await release("prod", "canary", "--sha", sha("d"));
    expect(unpublished.code).toBe(1);
    expect(unpublished.stderr).toContain(`${REPO}:${sha("d")} does not exist; publish the commit's image first`);
    const short = await release("prod", "canary", "--sha", "abc1234");
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("sha: must be a full 40-character commit sha");
  });

  it("verify: a commit moves on only if the environment runs its image", async () => {
    stableOnly();
    const running = await release("prod", "verify", "--sha", sha("a"));
    expect(running.code).toBe(0);
    expect(running.outputs).toMatchObject({ image: image("a"), repository: REPO, region: "us-central1" });

    const other = await release("prod", "verify", "--sha", sha("b"));
    expect(other.code).toBe(1);
    expect(other.stderr).toBe(`release: prod runs ${image("a")}, not ${image("b")}; only the release prod runs can move on\n`);
  });

  it("skips an environment that is not configured when planning, but refuses to deploy it", async () => {
    const plan = await release("staging", "current");
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("::notice::staging is not configured: set PIERRE_STAGING_PROJECT_ID");
    expect(plan.outputs).toEqual({ configured: "false" });
    const deploy = await release("staging", "deploy", "--sha", sha("b"));
    expect(deploy.code).toBe(1);
    expect(deploy.stderr).toContain("staging is not configured: set PIERRE_STAGING_PROJECT_ID");
  });
});
