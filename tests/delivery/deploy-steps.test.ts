// Rehearses the deploy's migration and canary smoke-test steps: the scripts exactly as written in
// deploy-environment.yml, run by bash with the real gcloud CLI against the local Cloud Run API, whose
// job executions run the task on the image replayed from the Dockerfile (tests/support/delivery/dockerfile.ts).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/database.js";
import { replayBuild, type BuiltImage } from "../support/delivery/dockerfile.js";
import { FakeGoogleCloud, type ServiceState, type TaskContainer } from "../support/delivery/fake-google-cloud.js";
import { gcloudInstalled } from "../support/delivery/gcloud.js";
import { loadWorkflow, readKeyValueFile, runStep, type ExpressionValues, type Step } from "../support/delivery/workflows.js";
import { scratchDirectories } from "../support/delivery/scratch.js";

const scratch = scratchDirectories();

const job = loadWorkflow("deploy-environment.yml").jobs.release;
const step = (match: (step: Step) => boolean) => job.steps!.find(match)!;
const planStep = step((s) => s.id === "release");
const migrateStep = step((s) => s.name === "Migrate the database");
const smokeStep = step((s) => s.id === "smoke-canary");
const rememberStep = step((s) => s.name === "Remember the replaced release for rollbacks");

const PROJECT = "pierre-prod-123";
const REPO = `us-central1-docker.pkg.dev/${PROJECT}/pierre/pierre`;
const sha = (digit: string) => digit.repeat(40);
const digest = (digit: string) => `sha256:${digit.repeat(64)}`;

describe.skipIf(!gcloudInstalled)("deploy-environment.yml steps with gcloud, a local Cloud Run API and the replayed image", () => {
  const cloud = new FakeGoogleCloud(PROJECT, "us-central1");
  const secrets = new Map<string, string>();
  let image: BuiltImage;
  let databaseUrl: string;
  let candidate: Server;
  let candidateStatus = 200;
  const candidateRequests: string[] = [];
  let runnerTemp: string;

  beforeAll(async () => {
    const read = (file: string) => readFileSync(file, "utf8");
    image = replayBuild(process.cwd(), read("Dockerfile"), read(".dockerignore"), scratch("image"));
    databaseUrl = await createTestDatabase();
    candidate = createServer((req, res) => {
      candidateRequests.push(req.url ?? "");
      res.writeHead(candidateStatus).end();
    });
    await new Promise<void>((resolve) => candidate.listen(0, "127.0.0.1", resolve));
    await cloud.start();
    for (const commit of ["a", "b"]) cloud.tags.set(sha(commit), digest(commit));
    // A job execution runs its task on the image: the image's ENV, then the job's, secrets resolved.
    cloud.runTask = (container) => runOnImage(container);

    const url = new URL(databaseUrl);
    secrets.set("pierre-db-password:3", decodeURIComponent(url.password));
    secrets.set("pierre-token-encryption-key:latest", randomBytes(32).toString("base64"));
    cloud.services.set("pierre-prod", liveService(url));
    runnerTemp = scratch("runner");
  }, 180_000);

  afterAll(async () => {
    await cloud.stop();
    await new Promise((resolve) => candidate.close(resolve));
  });

  function liveService(db: URL): ServiceState {
    return {
      name: "pierre-prod",
      serviceAccount: `pierre-run-prod@${PROJECT}.iam.gserviceaccount.com`,
      connector: `projects/${PROJECT}/locations/us-central1/connectors/pierre-conn-prod`,
      env: [
        { name: "NODE_ENV", value: "production" },
        { name: "PUBLIC_BASE_URL", value: "https://mcp.pierre.example" },
        { name: "PGHOST", value: db.hostname },
        { name: "PGPORT", value: db.port },
        { name: "PGDATABASE", value: db.pathname.slice(1) },
        { name: "PGUSER", value: decodeURIComponent(db.username) },
        { name: "DATABASE_SSL", value: "disable" },
        { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: "pierre-db-password", key: "3" } } },
        { name: "TOKEN_ENCRYPTION_KEY", valueFrom: { secretKeyRef: { name: "pierre-token-encryption-key", key: "latest" } } },
      ],
      revisions: { "pierre-prod-aaa": `${REPO}@${digest("a")}` },
      traffic: [{ revisionName: "pierre-prod-aaa", percent: 100 }],
    };
  }

  function runOnImage(container: TaskContainer): Promise<number> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", ...image.env };
    for (const entry of container.env ?? []) {
      const ref = entry.valueFrom?.secretKeyRef;
      env[entry.name] = ref ? secrets.get(`${ref.name}:${ref.key}`)! : entry.value!;
    }
    const [command, ...args] = [...(container.command ?? image.cmd.slice(0, 1)), ...(container.args ?? [])];
    return new Promise((resolve) => {
      const child = spawn(command, args, { cwd: image.workdir, env, stdio: "ignore" });
      child.once("close", (code) => resolve(code ?? 1));
    });
  }

  /** The job env GitHub evaluates for a canary of commit b in prod, and what the runner provides. */
  function context(outputs: Record<string, string> = {}): { values: ExpressionValues; env: Record<string, string> } {
    const vars = { PIERRE_STATE_BUCKET: "pierre-tfstate-test", PIERRE_PROD_PROJECT_ID: PROJECT, PIERRE_PROD_DOMAIN: "mcp.pierre.example" };
    const values: ExpressionValues = {
      "inputs.environment": "prod",
      "inputs.action": "canary",
      "inputs.sha": sha("b"),
      "inputs.image-from": "staging",
      "toJSON(vars)": JSON.stringify(vars),
      ...Object.fromEntries(Object.entries(outputs).map(([name, value]) => [`steps.release.outputs.${name}`, value])),
    };
    const files = { GITHUB_OUTPUT: join(runnerTemp, "output"), GITHUB_ENV: join(runnerTemp, "env") };
    for (const file of Object.values(files)) writeFileSync(file, "");
    return { values, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", RUNNER_TEMP: runnerTemp, ...files, ...cloud.gcloudEnv() } };
  }

  async function planCanary(): Promise<Record<string, string>> {
    const { values, env } = context();
    const plan = await runStep(job, planStep, values, env);
    expect(plan.stderr).toBe("");
    expect(plan.code).toBe(0);
    return readKeyValueFile(env.GITHUB_OUTPUT);
  }

  it("migrates the database with a job that has the service's settings and secrets, and waits for it", async () => {
    const outputs = await planCanary();
    expect(outputs.image).toBe(`${REPO}@${digest("b")}`);
    const { values, env } = context(outputs);
    const migrate = await runStep(job, migrateStep, values, env);
    expect(migrate.code, migrate.stderr).toBe(0);

    const jobSpec = cloud.jobs.get("pierre-migrate-prod") as { spec: { template: { spec: { template: { spec: { containers: TaskContainer[] } } } } } };
    expect(jobSpec.spec.template.spec.template.spec.containers[0].image).toBe(`${REPO}@${digest("b")}`);
    const expected = readdirSync("service/db/migrations").filter((file) => file.endsWith(".sql")).map((file) => file.replace(/\.sql$/, ""));
    expect(expected.length).toBeGreaterThan(0);
    const client = new pg.Client(databaseUrl);
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string }>("SELECT version FROM schema_migrations ORDER BY version");
      expect(rows.map((row) => row.version)).toEqual(expected.sort());
    } finally {
      await client.end();
    }
  });

  it("smoke-tests the candidate's tagged URL from a job, and fails when it is not healthy", async () => {
    await planCanary(); // writes the job flags the smoke job takes its identity and network from
    const service = cloud.services.get("pierre-prod")!;
    service.revisions["pierre-prod-bbb"] = `${REPO}@${digest("b")}`;
    service.traffic = [
      { revisionName: "pierre-prod-aaa", percent: 90, tag: "stable" },
      { revisionName: "pierre-prod-bbb", percent: 10, tag: "candidate" },
    ];
    service.tagUrls = { candidate: `http://127.0.0.1:${(candidate.address() as AddressInfo).port}` };
    const outputs = { canary_image: `${REPO}@${digest("b")}`, service: "pierre-prod", region: "us-central1", project_id: PROJECT };

    const { values, env } = context(outputs);
    candidateStatus = 200;
    const healthy = await runStep(job, smokeStep, values, env);
    expect(healthy.code, healthy.stderr).toBe(0);
    expect(healthy.stdout).toContain(`Candidate: http://127.0.0.1:`);
    expect(candidateRequests).toEqual(["/health"]);

    candidateStatus = 503;
    const broken = await runStep(job, smokeStep, values, env);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain("The execution failed");
    expect(candidateRequests).toEqual(["/health", "/health"]);
  });

  it("tags the image a release replaced as previous-stable, moving the tag on the next release", async () => {
    cloud.tags.delete("previous-stable");
    for (const replaced of ["a", "b"]) {
      const outputs = { outgoing_stable: `${REPO}@${digest(replaced)}`, repository: REPO };
      const { values, env } = context(outputs);
      const remember = await runStep(job, rememberStep, values, env);
      expect(remember.code, remember.stderr).toBe(0);
      expect(cloud.tags.get("previous-stable")).toBe(digest(replaced));
    }
  });
});
