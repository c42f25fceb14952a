// Defects that only show at `terraform apply` against a real project (issue 10), each pinned by the
// synthesized JSON: what Terraform or the Google APIs would reject, or what would break on a first apply.
import { readFileSync } from "node:fs";
import { resolve, sep } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFINITIONS } from "../../environments/load.js";
import { ENVIRONMENT_NAMES, type EnvironmentName } from "../../environments/schema.js";
import { CONFIGURED_ENV } from "../support/infra/fixtures.js";
import { addressOf, listOf, single, synthesizeAll, type Json, type StackName, type SynthesizedStack } from "../support/infra/synth.js";

let stacks: Record<StackName, SynthesizedStack>;
beforeAll(() => {
  stacks = synthesizeAll();
});

const ENVS = ENVIRONMENT_NAMES.map((name) => [name] as [EnvironmentName]);
const ALL: StackName[] = ["bootstrap", ...ENVIRONMENT_NAMES];

describe("placeholder guard (Terraform must be able to evaluate it)", () => {
  it.each(ALL)("%s: no synthesized expression contains `undefined`", (name) => {
    expect(stacks[name].text).not.toMatch(/\bundefined\b/);
  });

  it.each(ALL)("%s: the precondition compares the number of unset settings with a number", (name) => {
    const service = listOf(stacks[name], "google_project_service")[0];
    expect(service.lifecycle.precondition[0].condition).toMatch(/^\$\{\(?length\(local\.[A-Za-z0-9_-]+\) < 1\)?\}$/);
  });
});

describe("alert policies on a log-based metric (provider issue #11102)", () => {
  it.each(ENVS)("%s: every policy and SLO on a log-based metric waits for a time_sleep that waits for that metric", (name) => {
    const stack = stacks[name];
    const sleeps = Object.entries(stack.json.resource.time_sleep ?? {}) as Array<[string, Json]>;
    const readers = [...listOf(stack, "google_monitoring_alert_policy"), ...listOf(stack, "google_monitoring_slo")];
    const metrics = Object.keys(stack.json.resource.google_logging_metric ?? {}).map((id) => `google_logging_metric.${id}`);
    let checked = 0;
    for (const reader of readers) {
      const text = JSON.stringify(reader.conditions ?? reader.request_based_sli);
      for (const metric of metrics.filter((address) => text.includes(`${address}.name`))) {
        const sleep = sleeps.find(([sleepName, body]) => reader.depends_on?.includes(`time_sleep.${sleepName}`) && JSON.stringify(body).includes(metric));
        expect(sleep, `${reader.display_name} waits after ${metric}`).toBeDefined();
        expect(Number.parseInt(sleep![1].create_duration, 10)).toBeGreaterThanOrEqual(120);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(4);
  });

  it("pins the time provider beside google and random", () => {
    expect(stacks.prod.json.terraform.required_providers.time).toEqual({ source: "hashicorp/time", version: "0.13.1" });
  });
});

describe("Cloud Armor lets loopback redirect URIs through (RFC 8252 native clients)", () => {
  const rfiRule = (stack: SynthesizedStack) =>
    single(stack, "google_compute_security_policy").rule.find((rule: Json) =>
      /rfi-v33-stable/.test(rule.match.expr?.expression ?? ""),
    );

  it("opts out of CRS 931100 (a parameter holding http://<IPv4>) in the RFI rule set", () => {
    expect(rfiRule(stacks.prod).match.expr.expression).toBe(
      "evaluatePreconfiguredWaf('rfi-v33-stable', {'sensitivity': 1, 'opt_out_rule_ids': ['owasp-crs-v030301-id931100-rfi']})",
    );
  });

  it("runs the same edge (load balancer + Armor) in staging, so prod is not the first place it runs", () => {
    const configured = synthesizeAll({ ...CONFIGURED_ENV, PIERRE_STAGING_DOMAIN: "staging.pierre.example.com" });
    expect(DEFINITIONS.staging.edge.loadBalancer).toBe(true);
    expect(single(configured.staging, "google_compute_security_policy").rule).toEqual(
      single(configured.prod, "google_compute_security_policy").rule,
    );
    expect(single(configured.staging, "google_cloud_run_v2_service").ingress).toBe("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
  });
});

describe("Artifact Registry", () => {
  it.each(ENVS)("%s: tagged images older than the window age out too; recent ones and the rollback target stay", (name) => {
    const policies: Json[] = single(stacks[name], "google_artifact_registry_repository").cleanup_policies;
    const deletes = policies.filter((policy) => policy.action === "DELETE");
    expect(deletes).toHaveLength(1);
    expect(deletes[0].condition).toEqual({ tag_state: "ANY", older_than: `${DEFINITIONS[name].registry.deleteAfterDays * 86_400}s` });
    const keeps = policies.filter((policy) => policy.action === "KEEP");
    expect(keeps.map((policy) => policy.most_recent_versions?.keep_count).filter(Boolean)).toEqual([
      DEFINITIONS[name].registry.keepRecentVersions,
    ]);
    expect(keeps.some((policy) => policy.condition?.tag_prefixes?.includes("previous-stable"))).toBe(true);
  });
});

describe("database credentials (rotation must not drop connections)", () => {
  it.each(ENVS)("%s: no database password exists: the runtime logs in with IAM database authentication", (name) => {
    const stack = stacks[name];
    expect(listOf(stack, "random_password")).toEqual([]);
    expect(stack.text).not.toMatch(/pierre-db-password|PGPASSWORD/);
    const runtime = addressOf(stack, "google_service_account", (account) => account.account_id === `pierre-run-${name}`);
    expect(single(stack, "google_sql_user")).toMatchObject({
      type: "CLOUD_IAM_SERVICE_ACCOUNT",
      name: `\${trimsuffix(${runtime}.email, ".gserviceaccount.com")}`,
    });
    const flags = single(stack, "google_sql_database_instance").settings.database_flags;
    expect(flags).toContainEqual({ name: "cloudsql.iam_authentication", value: "on" });
  });
});

describe("smaller first-apply problems", () => {
  it("keeps the bootstrap state outside cdktf.out (which routine cleans wipe)", () => {
    const path: string = stacks.bootstrap.json.terraform.backend.local.path;
    // cdktf runs Terraform for a stack in cdktf.out/stacks/<stack>.
    const absolute = resolve("cdktf.out/stacks/bootstrap", path);
    expect(absolute.startsWith(resolve("cdktf.out") + sep)).toBe(false);
    expect(absolute).toBe(resolve("terraform.bootstrap.tfstate"));
  });

  it("creates the load balancer's uptime alert disabled until the certificate is declared active", () => {
    const serviceDown = (stack: SynthesizedStack) =>
      listOf(stack, "google_monitoring_alert_policy").find((policy) => /Service down/.test(policy.display_name));
    expect(serviceDown(stacks.prod).enabled).toBe(false);
    const live = synthesizeAll({ ...CONFIGURED_ENV, PIERRE_PROD_CERTIFICATE_ACTIVE: "true" });
    expect(serviceDown(live.prod).enabled).toBe(true);
    // run.app has its certificate from the start.
    expect(serviceDown(stacks.dev).enabled).toBe(true);
  });

  it("makes Slack optional: dev has no Slack channel and asks for no Slack token", () => {
    expect(DEFINITIONS.dev.alerting.slackChannel).toBeUndefined();
    expect(listOf(stacks.dev, "google_monitoring_notification_channel")).toEqual([]);
    expect(stacks.dev.json.variable?.slack_auth_token).toBeUndefined();
    expect(stacks.staging.json.variable.slack_auth_token).toBeDefined();
  });

  it("documents the domain ownership a Cloud Run domain mapping needs", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toMatch(/domain mapping[^\n]*verified owner/i);
    expect(readme).toContain("gcloud domains verify");
  });
});
