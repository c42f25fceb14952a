// Behaviour of the synthesized plan, environment by environment. Each stack is synthesized once.
import { beforeAll, describe, expect, it } from "vitest";
import { overlappingPairs } from "../../environments/cidr.js";
import { DEFINITIONS } from "../../environments/load.js";
import { ENVIRONMENT_NAMES, type EnvironmentName } from "../../environments/schema.js";
import { GOOGLE_APIS } from "../../stacks/apis.js";
import { maxConnectionsFor } from "../../stacks/database.js";
import { WAF_RULE_SETS } from "../../stacks/edge.js";
import { RUNTIME_PROJECT_ROLES } from "../../stacks/identity.js";
import { API_KEY_SECRETS, OPERATOR_SECRETS, PROVIDER_CREDENTIALS } from "../../stacks/secrets.js";
import { CONFIGURED_ENV, PROVIDERS_ENV } from "../support/infra/fixtures.js";
import {
  addresses,
  addressOf,
  isReference,
  listOf,
  resourcesOf,
  single,
  synthesizeAll,
  type Json,
  type StackName,
  type SynthesizedStack,
} from "../support/infra/synth.js";

let stacks: Record<StackName, SynthesizedStack>;
beforeAll(() => {
  stacks = synthesizeAll();
});

const expected = {
  dev: { tier: "db-f1-micro", availability: "ZONAL", min: 0, max: 10, ingress: "INGRESS_TRAFFIC_ALL", retention: 7, sqlProtected: false },
  staging: {
    tier: "db-custom-2-8192",
    availability: "ZONAL",
    min: 1,
    max: 50,
    ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
    retention: 30,
    sqlProtected: true,
  },
  prod: {
    tier: "db-custom-4-16384",
    availability: "REGIONAL",
    min: 2,
    max: 100,
    ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
    retention: 90,
    sqlProtected: true,
  },
} as const;

const ENVS = ENVIRONMENT_NAMES.map((name) => [name] as [EnvironmentName]);
const container = (stack: SynthesizedStack) => single(stack, "google_cloud_run_v2_service").template.containers[0];
const envVar = (stack: SynthesizedStack, name: string) => container(stack).env.find((entry: Json) => entry.name === name);
const referencesTo = (value: unknown, address: string) => JSON.stringify(value).includes(`${address}.`);

describe("state", () => {
  it("gives each environment its own bucket (in its own project), under its own prefix", () => {
    const backends = ENVIRONMENT_NAMES.map((name) => stacks[name].json.terraform.backend.gcs);
    expect(backends).toEqual(
      ENVIRONMENT_NAMES.map((name) => ({ bucket: `pierre-tfstate-placeholder-${name}`, prefix: `pierre/${name}` })),
    );
    for (const name of ENVIRONMENT_NAMES) {
      const bucket = listOf(stacks.bootstrap, "google_storage_bucket").find((b) => b.name === `pierre-tfstate-placeholder-${name}`);
      expect(bucket).toMatchObject({
        project: `pierre-${name}-placeholder`,
        versioning: { enabled: true },
        uniform_bucket_level_access: true,
        public_access_prevention: "enforced",
        lifecycle: { prevent_destroy: true },
      });
    }
  });

  it("keeps the bootstrap stack's own state in a local file", () => {
    expect(stacks.bootstrap.json.terraform.backend).toEqual({ local: { path: "../../../terraform.bootstrap.tfstate" } });
  });

  it("pins the provider versions so plain Terraform runs the JSON reproducibly", () => {
    expect(stacks.prod.json.terraform.required_providers).toEqual({
      google: { source: "google", version: "6.50.0" },
      time: { source: "hashicorp/time", version: "0.13.1" },
    });
  });
});

describe("placeholder guard", () => {
  it("lets CI synthesize without variables but makes any plan of that JSON fail", () => {
    for (const name of ["bootstrap", ...ENVIRONMENT_NAMES] as StackName[]) {
      const services = listOf(stacks[name], "google_project_service");
      expect(services.length).toBeGreaterThan(0);
      for (const service of services) {
        expect(service.lifecycle.precondition[0].error_message).toMatch(/synthesized with placeholders for .*PIERRE_STATE_BUCKET/i);
      }
    }
  });

  it("disappears once every deploy-time value is set", () => {
    const configured = synthesizeAll(CONFIGURED_ENV);
    for (const name of ["bootstrap", ...ENVIRONMENT_NAMES] as StackName[]) {
      expect(listOf(configured[name], "google_project_service").every((service) => !service.lifecycle)).toBe(true);
      expect(Object.keys(configured[name].json.locals ?? {}).filter((local) => /unset_settings/.test(local))).toEqual([]);
    }
  });
});

describe("APIs", () => {
  const apiOfType: Array<[RegExp, string]> = [
    [/^google_compute_/, "compute.googleapis.com"],
    [/^google_service_networking_connection$/, "servicenetworking.googleapis.com"],
    [/^google_vpc_access_connector$/, "vpcaccess.googleapis.com"],
    [/^google_sql_/, "sqladmin.googleapis.com"],
    [/^google_secret_manager_/, "secretmanager.googleapis.com"],
    [/^google_cloud_run_/, "run.googleapis.com"],
    [/^google_artifact_registry_/, "artifactregistry.googleapis.com"],
    [/^google_monitoring_/, "monitoring.googleapis.com"],
    [/^google_logging_/, "logging.googleapis.com"],
    [/^google_cloud_scheduler_job$/, "cloudscheduler.googleapis.com"],
    [/^google_service_account$|^google_project_iam_custom_role$/, "iam.googleapis.com"],
    [/^google_project_iam_member$/, "cloudresourcemanager.googleapis.com"],
    [/^google_storage_bucket/, "storage.googleapis.com"],
  ];

  /** Addresses a resource refers to, directly or through locals, plus its depends_on. */
  function directDependencies(stack: SynthesizedStack, body: Json): string[] {
    const text = JSON.stringify(body);
    const found = new Set<string>(body.depends_on ?? []);
    for (const match of text.matchAll(/(?<!data\.)\b((?:google|random)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g)) found.add(`${match[1]}.${match[2]}`);
    for (const match of text.matchAll(/\blocal\.([A-Za-z0-9_-]+)/g)) {
      directDependencies(stack, stack.json.locals[match[1]]).forEach((address) => found.add(address));
    }
    return [...found];
  }

  function transitiveDependencies(stack: SynthesizedStack, address: string): Set<string> {
    const seen = new Set<string>();
    const queue = [address];
    while (queue.length > 0) {
      const [type, name] = queue.pop()!.split(".");
      for (const dependency of directDependencies(stack, stack.json.resource[type][name])) {
        if (!seen.has(dependency)) {
          seen.add(dependency);
          queue.push(dependency);
        }
      }
    }
    return seen;
  }

  it.each(ENVS)("%s: enables every API the stack uses, and keeps them on at destroy", (name) => {
    const services = listOf(stacks[name], "google_project_service");
    expect(services.map((service) => service.service).sort()).toEqual([...GOOGLE_APIS].sort());
    expect(services.every((service) => service.disable_on_destroy === false)).toBe(true);
  });

  it.each(ENVS)("%s: creates nothing before its API is enabled", (name) => {
    const stack = stacks[name];
    const apiAddress = (api: string) => addressOf(stack, "google_project_service", (service) => service.service === api);
    const checked = addresses(stack).filter((address) => !/^(google_project_service|time_sleep)\./.test(address));
    expect(checked.length).toBeGreaterThan(30);
    for (const address of checked) {
      const api = apiOfType.find(([pattern]) => pattern.test(address.split(".")[0]))?.[1];
      expect(api, `${address} has no API in the table`).toBeDefined();
      expect([...transitiveDependencies(stack, address)], `${address} must wait for ${api}`).toContain(apiAddress(api!));
    }
  });
});

describe("network", () => {
  it.each(ENVS)("%s: custom-mode VPC, Private Google Access, dedicated /28 for the connector", (name) => {
    const stack = stacks[name];
    expect(single(stack, "google_compute_network")).toMatchObject({ name: `pierre-vpc-${name}`, auto_create_subnetworks: false });
    const subnets = listOf(stack, "google_compute_subnetwork");
    expect(subnets.map((subnet) => [subnet.ip_cidr_range, subnet.private_ip_google_access]).sort()).toEqual([
      ["10.0.0.0/24", true],
      ["10.8.0.0/28", true],
    ]);
    const connector = single(stack, "google_vpc_access_connector");
    expect(connector.name.length).toBeLessThanOrEqual(25);
    expect(connector.min_instances).toBeGreaterThanOrEqual(2);
    expect(connector.max_instances).toBeGreaterThan(connector.min_instances);
    expect(connector.max_instances).toBeLessThanOrEqual(10);
    expect(referencesTo(connector.subnet, addressOf(stack, "google_compute_subnetwork", (s) => s.ip_cidr_range === "10.8.0.0/28"))).toBe(true);
  });

  it.each(ENVS)("%s: subnet, connector and Cloud SQL peering ranges never overlap", (name) => {
    const stack = stacks[name];
    const peering = listOf(stack, "google_compute_global_address").find((address) => address.purpose === "VPC_PEERING");
    expect(peering).toMatchObject({ address_type: "INTERNAL", name: `pierre-sql-peering-${name}` });
    const ranges = [
      ...listOf(stack, "google_compute_subnetwork").map((subnet) => subnet.ip_cidr_range),
      `${peering.address}/${peering.prefix_length}`,
    ];
    expect(ranges).toHaveLength(3);
    expect(overlappingPairs(ranges)).toEqual([]);
  });

  it.each(ENVS)("%s: Private Service Access peering is abandoned, not deleted, on destroy", (name) => {
    const stack = stacks[name];
    const connection = single(stack, "google_service_networking_connection");
    expect(connection).toMatchObject({ service: "servicenetworking.googleapis.com", deletion_policy: "ABANDON" });
    const peering = addressOf(stack, "google_compute_global_address", (address) => address.purpose === "VPC_PEERING");
    expect(connection.reserved_peering_ranges).toEqual([`\${${peering}.name}`]);
  });

  it.each(ENVS)("%s: Cloud NAT on one reserved IP covers the connector subnet", (name) => {
    const stack = stacks[name];
    const nat = single(stack, "google_compute_router_nat");
    const address = single(stack, "google_compute_address");
    expect(address).toMatchObject({ address_type: "EXTERNAL" });
    expect(nat.nat_ip_allocate_option).toBe("MANUAL_ONLY");
    expect(nat.nat_ips).toEqual([expect.stringContaining(`${addressOf(stack, "google_compute_address", () => true)}.self_link`)]);
    expect(nat.source_subnetwork_ip_ranges_to_nat).toBe("LIST_OF_SUBNETWORKS");
    const connectorSubnet = addressOf(stack, "google_compute_subnetwork", (s) => s.ip_cidr_range === "10.8.0.0/28");
    expect(nat.subnetwork.some((entry: Json) => referencesTo(entry.name, connectorSubnet) && entry.source_ip_ranges_to_nat[0] === "ALL_IP_RANGES")).toBe(true);
  });
});

describe("database", () => {
  it.each(ENVS)("%s: PostgreSQL 16 ENTERPRISE on the environment's tier and availability", (name) => {
    const instance = single(stacks[name], "google_sql_database_instance");
    expect(instance.database_version).toBe("POSTGRES_16");
    expect(instance.settings).toMatchObject({
      edition: "ENTERPRISE",
      tier: expected[name].tier,
      availability_type: expected[name].availability,
      disk_autoresize: true,
    });
  });

  it.each(ENVS)("%s: daily backups at 03:00 UTC and 7 days of point-in-time recovery", (name) => {
    const { backup_configuration: backups } = single(stacks[name], "google_sql_database_instance").settings;
    expect(backups).toMatchObject({
      enabled: true,
      start_time: "03:00",
      point_in_time_recovery_enabled: true,
      transaction_log_retention_days: 7,
    });
  });

  it.each(ENVS)("%s: private IP only, TLS required, no authorized networks", (name) => {
    const stack = stacks[name];
    const instance = single(stack, "google_sql_database_instance");
    const ip = instance.settings.ip_configuration;
    expect(ip).toMatchObject({ ipv4_enabled: false, ssl_mode: "ENCRYPTED_ONLY" });
    expect(ip.authorized_networks).toBeUndefined();
    expect(referencesTo(ip.private_network, addressOf(stack, "google_compute_network", () => true))).toBe(true);
    expect(instance.depends_on).toContain(addressOf(stack, "google_service_networking_connection", () => true));
  });

  it.each(ENVS)("%s: deletion protection only where data matters", (name) => {
    const stack = stacks[name];
    const instance = single(stack, "google_sql_database_instance");
    expect(instance.deletion_protection).toBe(expected[name].sqlProtected);
    expect(instance.settings.deletion_protection_enabled).toBe(expected[name].sqlProtected);
  });

  it.each(ENVS)("%s: max_connections fits max instances x pool, and the service's pool matches", (name) => {
    const stack = stacks[name];
    const flags = Object.fromEntries(
      single(stack, "google_sql_database_instance").settings.database_flags.map((flag: Json) => [flag.name, flag.value]),
    );
    const { database, service } = DEFINITIONS[name];
    expect(Number(flags.max_connections)).toBe(maxConnectionsFor(database, service.maxInstances));
    expect(Number(flags.max_connections)).toBeGreaterThan(expected[name].max * Number(envVar(stack, "DB_POOL_MAX").value));
    expect(Number(flags.log_min_duration_statement)).toBeGreaterThan(0);
    expect(single(stack, "google_sql_database_instance").settings.maintenance_window).toMatchObject({ day: 7, hour: 5 });
  });

  it.each(ENVS)("%s: the only user is the runtime's IAM database user, without a password", (name) => {
    const stack = stacks[name];
    const user = single(stack, "google_sql_user");
    expect(user.password).toBeUndefined();
    expect(user.type).toBe("CLOUD_IAM_SERVICE_ACCOUNT");
    expect(envVar(stack, "PGUSER").value).toBe(`\${${addressOf(stack, "google_sql_user", () => true)}.name}`);
    expect(envVar(stack, "DATABASE_AUTH").value).toBe("gcp-iam");
    expect(single(stack, "google_sql_database").name).toBe("pierre");
  });
});

describe("secrets", () => {
  const ALL_SECRETS = Object.values(OPERATOR_SECRETS).sort();

  it.each(ENVS)("%s: one automatically replicated secret per credential", (name) => {
    const secrets = listOf(stacks[name], "google_secret_manager_secret");
    expect(secrets.map((secret) => secret.secret_id).sort()).toEqual(ALL_SECRETS);
    expect(secrets.every((secret) => JSON.stringify(secret.replication) === '{"auto":{}}')).toBe(true);
  });

  it.each(ENVS)("%s: Terraform writes no secret value at all", (name) => {
    expect(listOf(stacks[name], "google_secret_manager_secret_version")).toEqual([]);
  });

  it.each(ENVS)("%s: the service reads every secret from Secret Manager, the newest version at start", (name) => {
    const stack = stacks[name];
    for (const [variable, secretId] of Object.entries(OPERATOR_SECRETS)) {
      const entry = envVar(stack, variable);
      expect(entry.value, variable).toBeUndefined();
      const secretAddress = addressOf(stack, "google_secret_manager_secret", (secret) => secret.secret_id === secretId);
      expect(entry.value_source.secret_key_ref.secret).toBe(`\${${secretAddress}.secret_id}`);
    }
    expect(envVar(stack, "TOKEN_ENCRYPTION_KEY").value_source.secret_key_ref.version).toBe("latest");
  });

  it.each(ENVS)("%s: no sensitive field holds a literal", (name) => {
    const sensitiveFields: Array<[string, unknown]> = [];
    const walk = (value: Json, path: string) => {
      if (value && typeof value === "object") {
        for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`);
      } else if (/(secret_data|password|auth_token|service_key)$/.test(path)) {
        sensitiveFields.push([path, value]);
      }
    };
    walk(stacks[name].json.resource, "resource");
    // One per alerting credential variable (Slack, PagerDuty), each set from that variable.
    expect(sensitiveFields.length).toBe(Object.keys(stacks[name].json.variable ?? {}).length);
    for (const [path, value] of sensitiveFields) expect(isReference(value), path).toBe(true);
  });

  it("keeps values given at deploy time (TF_VAR_*, stray secret variables) out of the JSON", () => {
    const canaries = {
      TF_VAR_slack_auth_token: "xoxb-canary-slack-0001",
      TF_VAR_pagerduty_service_key: "canary-pagerduty-0002",
      STRAVA_CLIENT_SECRET: "canary-strava-0003",
      PGPASSWORD: "canary-password-0004",
      PIERRE_PROD_TOKEN_ENCRYPTION_KEY: "canary-token-key-0005",
    };
    const leaked = synthesizeAll({ ...CONFIGURED_ENV, ...canaries });
    for (const stack of Object.values(leaked)) {
      for (const value of Object.values(canaries)) expect(stack.text).not.toContain(value);
    }
  });

  it.each(ENVS)("%s: alert credentials are sensitive Terraform variables without defaults", (name) => {
    const variables = stacks[name].json.variable ?? {};
    const expectedVariables = { dev: [], staging: ["slack_auth_token"], prod: ["pagerduty_service_key", "slack_auth_token"] }[name];
    expect(Object.keys(variables).sort()).toEqual(expectedVariables);
    for (const variable of Object.values(variables) as Json[]) {
      expect(variable).toMatchObject({ sensitive: true, type: "string", nullable: false });
      expect(variable.default).toBeUndefined();
    }
  });
});

describe("API-key data services (USDA, OpenWeather)", () => {
  const KEYS = Object.values(API_KEY_SECRETS);

  it.each(ENVS)("%s: switched off by default: no secret, import or variable", (name) => {
    const secretIds = listOf(stacks[name], "google_secret_manager_secret").map((secret) => secret.secret_id);
    const names = container(stacks[name]).env.map((entry: Json) => entry.name);
    for (const key of KEYS) {
      expect(secretIds).not.toContain(key.secretId);
      expect(names).not.toContain(key.secretVariable);
    }
  });

  it("PIERRE_<ENV>_<S>_ENABLED adopts the key's secret, lets the runtime read it and passes it to the container", () => {
    const on = synthesizeAll({ ...CONFIGURED_ENV, PIERRE_PROD_USDA_ENABLED: "true" });
    const stack = on.prod;
    const secretAddress = addressOf(stack, "google_secret_manager_secret", (secret) => secret.secret_id === "pierre-usda-api-key");
    expect(stack.json.import).toContainEqual({ to: secretAddress, id: "projects/acme-pierre-prod/secrets/pierre-usda-api-key" });
    const grants = Object.values(resourcesOf(stack, "google_secret_manager_secret_iam_member"));
    expect(grants).toContainEqual(expect.objectContaining({ secret_id: `\${${secretAddress}.id}`, role: "roles/secretmanager.secretAccessor" }));
    expect(envVar(stack, "USDA_API_KEY")).toEqual({
      name: "USDA_API_KEY",
      value_source: { secret_key_ref: { secret: `\${${secretAddress}.secret_id}`, version: "latest" } },
    });
    expect(container(on.staging).env.map((entry: Json) => entry.name)).not.toContain("USDA_API_KEY");
    expect(container(stack).env.map((entry: Json) => entry.name)).not.toContain("OPENWEATHER_API_KEY");
  });
});

describe("provider credentials", () => {
  const CREDENTIALS = Object.entries(PROVIDER_CREDENTIALS);
  let enabled: Record<StackName, SynthesizedStack>;
  beforeAll(() => {
    enabled = synthesizeAll({ ...CONFIGURED_ENV, ...PROVIDERS_ENV });
  });
  const envNames = (stack: SynthesizedStack): string[] => container(stack).env.map((entry: Json) => entry.name);

  it.each(ENVS)("%s: no client id, no provider secret, grant, import or variable", (name) => {
    const stack = stacks[name];
    const secretIds = listOf(stack, "google_secret_manager_secret").map((secret) => secret.secret_id);
    for (const [, credential] of CREDENTIALS) {
      expect(secretIds).not.toContain(credential.secretId);
      expect(envNames(stack)).not.toContain(credential.clientIdVariable);
      expect(envNames(stack)).not.toContain(credential.secretVariable);
    }
    expect(stack.json.import).toBeUndefined();
  });

  it("a client id switches on that provider only, in that environment only", () => {
    const only = synthesizeAll({ ...CONFIGURED_ENV, PIERRE_STAGING_STRAVA_CLIENT_ID: "123456" });
    const all = new Set<string>(CREDENTIALS.flatMap(([, credential]) => [credential.clientIdVariable, credential.secretVariable]));
    const providerVariables = (stack: SynthesizedStack) => envNames(stack).filter((variable) => all.has(variable));
    expect(providerVariables(only.staging).sort()).toEqual(["STRAVA_CLIENT_ID", "STRAVA_CLIENT_SECRET"]);
    expect(providerVariables(only.dev)).toEqual([]);
    expect(providerVariables(only.prod)).toEqual([]);
    expect(listOf(only.staging, "google_secret_manager_secret").map((secret) => secret.secret_id).sort()).toEqual(
      [...Object.values(OPERATOR_SECRETS), "pierre-strava-client-secret"].sort(),
    );
  });

  it.each(ENVS)("%s: each provider switched on gets an adopted secret the runtime may read, and both variables", (name) => {
    const stack = enabled[name];
    const runtime = addressOf(stack, "google_service_account", (account) => account.account_id === `pierre-run-${name}`);
    const dependsOn: string[] = single(stack, "google_cloud_run_v2_service").depends_on;
    const grants = resourcesOf(stack, "google_secret_manager_secret_iam_member");
    for (const [provider, credential] of CREDENTIALS) {
      const secretAddress = addressOf(stack, "google_secret_manager_secret", (secret) => secret.secret_id === credential.secretId);
      expect(resourcesOf(stack, "google_secret_manager_secret")[secretAddress.split(".")[1]]).toMatchObject({
        replication: { auto: {} },
        deletion_protection: false,
      });
      // Adopted, never created empty: the plan fails at this import until the operator has created it.
      expect(stack.json.import).toContainEqual({ to: secretAddress, id: `projects/acme-pierre-${name}/secrets/${credential.secretId}` });

      const [grantName, grant] = Object.entries(grants).find(([, g]) => g.secret_id === `\${${secretAddress}.id}`)!;
      expect(grant).toMatchObject({ role: "roles/secretmanager.secretAccessor", member: `\${${runtime}.member}` });
      expect(dependsOn).toContain(`google_secret_manager_secret_iam_member.${grantName}`);

      const clientId = PROVIDERS_ENV[`PIERRE_${name.toUpperCase()}_${provider.toUpperCase()}_CLIENT_ID`];
      expect(envVar(stack, credential.clientIdVariable)).toEqual({ name: credential.clientIdVariable, value: clientId });
      expect(envVar(stack, credential.secretVariable)).toEqual({
        name: credential.secretVariable,
        value_source: { secret_key_ref: { secret: `\${${secretAddress}.secret_id}`, version: "latest" } },
      });
    }
    expect(listOf(stack, "google_secret_manager_secret_version")).toEqual([]);
  });
});

describe("identity", () => {
  it.each(ENVS)("%s: IAM bindings are exactly the intended ones", (name) => {
    const stack = stacks[name];
    const runtime = addressOf(stack, "google_service_account", (account) => account.account_id === `pierre-run-${name}`);
    const exporter = addressOf(stack, "google_service_account", (account) => account.account_id === `pierre-sql-export-${name}`);
    const iamTypes = Object.keys(stack.json.resource).filter((type) => /_iam_/.test(type) && type !== "google_project_iam_custom_role");
    expect(iamTypes.sort()).toEqual([
      "google_cloud_run_v2_service_iam_member",
      "google_project_iam_member",
      "google_secret_manager_secret_iam_member",
      "google_storage_bucket_iam_member",
    ]);

    const projectGrants = listOf(stack, "google_project_iam_member").map((grant) => `${grant.role} ${grant.member}`);
    const customRole = addressOf(stack, "google_project_iam_custom_role", () => true);
    expect(projectGrants.sort()).toEqual(
      [
        ...RUNTIME_PROJECT_ROLES.map((role) => `${role} \${${runtime}.member}`),
        `\${${customRole}.name} \${${exporter}.member}`,
      ].sort(),
    );
    expect(single(stack, "google_project_iam_custom_role").permissions).toEqual(["cloudsql.instances.export"]);

    const secretGrants = listOf(stack, "google_secret_manager_secret_iam_member");
    expect(secretGrants).toHaveLength(Object.keys(OPERATOR_SECRETS).length);
    for (const grant of secretGrants) {
      expect(grant).toMatchObject({ role: "roles/secretmanager.secretAccessor", member: `\${${runtime}.member}` });
    }
    const grantedSecrets = secretGrants.map((grant) => grant.secret_id).sort();
    const secretIds = Object.keys(resourcesOf(stack, "google_secret_manager_secret")).map((secret) => `\${google_secret_manager_secret.${secret}.id}`);
    expect(grantedSecrets).toEqual(secretIds.sort());

    const sqlInstance = addressOf(stack, "google_sql_database_instance", () => true);
    expect(single(stack, "google_storage_bucket_iam_member")).toMatchObject({
      role: "roles/storage.objectAdmin",
      member: `serviceAccount:\${${sqlInstance}.service_account_email_address}`,
    });
    expect(single(stack, "google_cloud_run_v2_service_iam_member")).toMatchObject({ role: "roles/run.invoker", member: "allUsers" });
  });
});

describe("registry", () => {
  it.each(ENVS)("%s: Docker repository `pierre` in the region, pruned by cleanup policies", (name) => {
    const repository = single(stacks[name], "google_artifact_registry_repository");
    expect(repository).toMatchObject({ repository_id: "pierre", format: "DOCKER", location: "us-central1", cleanup_policy_dry_run: false });
    expect(repository.cleanup_policies.map((policy: Json) => policy.action).sort()).toEqual(["DELETE", "KEEP", "KEEP"]);
  });
});

describe("service", () => {
  it.each(ENVS)("%s: pierre-<env> on port 8081, without setting the reserved PORT", (name) => {
    const stack = stacks[name];
    expect(single(stack, "google_cloud_run_v2_service").name).toBe(`pierre-${name}`);
    expect(container(stack).ports).toEqual({ container_port: 8081, name: "http1" });
    expect(envVar(stack, "PORT")).toBeUndefined();
  });

  it.each(ENVS)("%s: concurrency 80, one full CPU billed per request, startup boost", (name) => {
    const stack = stacks[name];
    const service = single(stack, "google_cloud_run_v2_service");
    expect(service.template.max_instance_request_concurrency).toBe(80);
    expect(Number(container(stack).resources.limits.cpu)).toBeGreaterThanOrEqual(1);
    expect(container(stack).resources).toMatchObject({ cpu_idle: true, startup_cpu_boost: true });
  });

  it.each(ENVS)("%s: scaling and ingress per environment", (name) => {
    const service = single(stacks[name], "google_cloud_run_v2_service");
    expect(service.template.scaling).toEqual({ min_instance_count: expected[name].min, max_instance_count: expected[name].max });
    expect(service.ingress).toBe(expected[name].ingress);
  });

  it.each(ENVS)("%s: startup and liveness probes on /health", (name) => {
    const { startup_probe: startup, liveness_probe: liveness } = container(stacks[name]);
    expect(startup.http_get).toEqual({ path: "/health", port: 8081 });
    expect(liveness.http_get).toEqual({ path: "/health", port: 8081 });
  });

  it.each(ENVS)("%s: the startup probe passes within a second of the service answering, inside Cloud Run's limits", (name) => {
    const { startup_probe: startup } = container(stacks[name]);
    // A new instance takes traffic only after a passing probe; the service answers in about 0.4 s.
    expect(startup.period_seconds).toBe(1);
    expect(startup.initial_delay_seconds ?? 0).toBe(0);
    // Cloud Run: timeout <= period, and period x failure threshold <= 240 s.
    expect(startup.timeout_seconds).toBeLessThanOrEqual(startup.period_seconds);
    expect(startup.period_seconds * startup.failure_threshold).toBeLessThanOrEqual(240);
    expect(startup.period_seconds * startup.failure_threshold).toBeGreaterThanOrEqual(60);
  });

  it.each(ENVS)("%s: all egress through the connector, so external calls leave via the NAT IP", (name) => {
    const stack = stacks[name];
    const vpcAccess = single(stack, "google_cloud_run_v2_service").template.vpc_access;
    expect(vpcAccess.egress).toBe("ALL_TRAFFIC");
    expect(vpcAccess.connector).toBe(`\${${addressOf(stack, "google_vpc_access_connector", () => true)}.id}`);
  });

  it.each(ENVS)("%s: the environment contract with the service", (name) => {
    const stack = stacks[name];
    const sqlInstance = addressOf(stack, "google_sql_database_instance", () => true);
    const plain = Object.fromEntries(
      container(stack)
        .env.filter((entry: Json) => entry.value !== undefined)
        .map((entry: Json) => [entry.name, entry.value]),
    );
    expect(plain).toEqual({
      NODE_ENV: "production",
      LOG_LEVEL: DEFINITIONS[name].service.logLevel,
      PUBLIC_BASE_URL: expect.any(String),
      GOOGLE_CLOUD_PROJECT: `pierre-${name}-placeholder`,
      TRUST_PROXY_HOPS: DEFINITIONS[name].edge.loadBalancer ? "2" : "1",
      PGHOST: `\${${sqlInstance}.private_ip_address}`,
      PGPORT: "5432",
      PGDATABASE: "pierre",
      PGUSER: `\${${addressOf(stack, "google_sql_user", () => true)}.name}`,
      DATABASE_AUTH: "gcp-iam",
      DATABASE_SSL: "require",
      DATABASE_SSL_CA: `\${${sqlInstance}.server_ca_cert[0].cert}`,
      DB_POOL_MAX: String(DEFINITIONS[name].database.poolMaxPerInstance),
    });
  });

  it("uses the domain as PUBLIC_BASE_URL in prod and the run.app URL elsewhere", () => {
    expect(envVar(stacks.prod, "PUBLIC_BASE_URL").value).toBe("https://pierre-prod.invalid");
    expect(envVar(stacks.dev, "PUBLIC_BASE_URL").value).toBe(
      '${format("https://%s-%s.%s.run.app", "pierre-dev", data.google_project.project.number, "us-central1")}',
    );
  });

  it("maps a custom domain without a load balancer straight to Cloud Run and advertises it", () => {
    const configured = synthesizeAll({ ...CONFIGURED_ENV, PIERRE_DEV_DOMAIN: "dev.pierre.example.com" }).dev;
    expect(single(configured, "google_cloud_run_domain_mapping")).toMatchObject({
      name: "dev.pierre.example.com",
      spec: { route_name: `\${${addressOf(configured, "google_cloud_run_v2_service", () => true)}.name}` },
    });
    expect(envVar(configured, "PUBLIC_BASE_URL").value).toBe("https://dev.pierre.example.com");
    expect(listOf(stacks.dev, "google_cloud_run_domain_mapping")).toEqual([]);
    expect(listOf(stacks.staging, "google_cloud_run_domain_mapping")).toEqual([]);
    expect(listOf(stacks.prod, "google_cloud_run_domain_mapping")).toEqual([]);
  });

  it("rolls a new revision when the secrets-rotation label changes", () => {
    const dev = structuredClone(DEFINITIONS.dev);
    dev.service.secretsRotation = "2026-01-12";
    const rotated = synthesizeAll({}, { ...DEFINITIONS, dev }).dev;
    expect(single(stacks.dev, "google_cloud_run_v2_service").template.labels).toEqual({ "secrets-rotation": "initial" });
    expect(single(rotated, "google_cloud_run_v2_service").template.labels).toEqual({ "secrets-rotation": "2026-01-12" });
    // The label is part of the template fingerprint, hence of the revision name.
    const fingerprint = (stack: SynthesizedStack) =>
      Object.entries(stack.json.locals).find(([name]) => name.startsWith("service_template_fingerprint"))![1];
    expect(fingerprint(rotated)).toContain('"secrets-rotation" = "2026-01-12"');
    expect(fingerprint(stacks.dev)).toContain('"secrets-rotation" = "initial"');
  });

  it.each(ENVS)("%s: the first revision waits for secrets access, IAM, the database user and NAT", (name) => {
    const stack = stacks[name];
    const dependsOn: string[] = single(stack, "google_cloud_run_v2_service").depends_on;
    const runtime = addressOf(stack, "google_service_account", (account) => account.account_id === `pierre-run-${name}`);
    const runtimeGrants = [
      ...Object.keys(resourcesOf(stack, "google_secret_manager_secret_iam_member")).map((grant) => `google_secret_manager_secret_iam_member.${grant}`),
      ...Object.entries(resourcesOf(stack, "google_project_iam_member"))
        .filter(([, grant]) => grant.member === `\${${runtime}.member}`)
        .map(([grant]) => `google_project_iam_member.${grant}`),
    ];
    expect(runtimeGrants).toHaveLength(Object.keys(OPERATOR_SECRETS).length + RUNTIME_PROJECT_ROLES.length);
    for (const grant of runtimeGrants) expect(dependsOn).toContain(grant);
    expect(dependsOn).toContain(addressOf(stack, "google_sql_user", () => true));
    expect(dependsOn).toContain(addressOf(stack, "google_compute_router_nat", () => true));
  });

  it.each(ENVS)("%s: public invoker (Pierre does its own OAuth), deletion protection in prod only", (name) => {
    const service = single(stacks[name], "google_cloud_run_v2_service");
    expect(service.deletion_protection).toBe(name === "prod");
  });
});

describe("edge (staging and prod)", () => {
  const EDGE_TYPES = [
    "google_compute_backend_service",
    "google_compute_global_forwarding_rule",
    "google_compute_managed_ssl_certificate",
    "google_compute_region_network_endpoint_group",
    "google_compute_security_policy",
    "google_compute_ssl_policy",
    "google_compute_target_http_proxy",
    "google_compute_target_https_proxy",
    "google_compute_url_map",
  ];

  it.each(ENVS)("%s: load balancer and Cloud Armor exist where the edge is switched on (staging, prod)", (name) => {
    for (const type of EDGE_TYPES) {
      expect(listOf(stacks[name], type).length > 0, `${name} ${type}`).toBe(name !== "dev");
    }
  });

  it("routes HTTPS through a serverless NEG to pierre-prod, with a managed certificate for the domain", () => {
    const prod = stacks.prod;
    const service = addressOf(prod, "google_cloud_run_v2_service", () => true);
    expect(single(prod, "google_compute_region_network_endpoint_group")).toMatchObject({
      network_endpoint_type: "SERVERLESS",
      cloud_run: { service: `\${${service}.name}` },
    });
    const backend = single(prod, "google_compute_backend_service");
    expect(backend).toMatchObject({ load_balancing_scheme: "EXTERNAL_MANAGED", protocol: "HTTPS" });
    expect(backend.health_checks).toBeUndefined();
    expect(backend.timeout_sec).toBeUndefined();
    expect(backend.security_policy).toBe(`\${${addressOf(prod, "google_compute_security_policy", () => true)}.id}`);
    expect(single(prod, "google_compute_managed_ssl_certificate").managed.domains).toEqual(["pierre-prod.invalid"]);
    const rules = listOf(prod, "google_compute_global_forwarding_rule");
    expect(rules.map((rule) => rule.port_range).sort()).toEqual(["443", "80"]);
    const address = addressOf(prod, "google_compute_global_address", (a) => a.name === "pierre-lb-ip-prod");
    expect(rules.every((rule) => rule.ip_address === `\${${address}.id}`)).toBe(true);
  });

  it("answers plain HTTP only with a redirect to HTTPS", () => {
    const redirect = listOf(stacks.prod, "google_compute_url_map").find((map) => map.default_url_redirect);
    expect(redirect.default_url_redirect).toMatchObject({ https_redirect: true, strip_query: false });
    expect(redirect.default_service).toBeUndefined();
  });

  it("applies the OWASP rule sets, a per-IP rate-based ban and Layer 7 DDoS defense", () => {
    const policy = single(stacks.prod, "google_compute_security_policy");
    const rules: Json[] = policy.rule;
    const wafSets = rules
      .map((rule) => /evaluatePreconfiguredWaf\('([a-z0-9-]+)'/.exec(rule.match.expr?.expression ?? "")?.[1])
      .filter(Boolean);
    expect(wafSets).toEqual([...WAF_RULE_SETS]);
    expect(WAF_RULE_SETS.map((set) => set.split("-")[0])).toEqual([
      "sqli", "xss", "lfi", "rfi", "rce", "scannerdetection", "protocolattack", "sessionfixation", "methodenforcement",
    ]);
    const ban = rules.find((rule) => rule.action === "rate_based_ban");
    expect(ban.rate_limit_options).toMatchObject({ enforce_on_key: "IP", conform_action: "allow", exceed_action: "deny(429)" });
    expect(Math.max(...rules.filter((r) => r.action === "deny(403)").map((r) => r.priority))).toBeLessThan(ban.priority);
    expect(rules.find((rule) => rule.priority === 2_147_483_647)).toMatchObject({ action: "allow" });
    expect(policy.adaptive_protection_config.layer_7_ddos_defense_config.enable).toBe(true);
    expect(rules.some((rule) => /origin\.region_code/.test(rule.match.expr?.expression ?? ""))).toBe(false);
  });

  it("adds geo-fencing from config, at most five region codes per rule", () => {
    const prod = structuredClone(DEFINITIONS.prod);
    prod.edge.cloudArmor.blockedRegionCodes = ["KP", "IR", "SY", "CU", "RU", "BY", "VE"];
    const fenced = synthesizeAll(CONFIGURED_ENV, { ...DEFINITIONS, prod }).prod;
    const geoRules = single(fenced, "google_compute_security_policy").rule.filter((rule: Json) =>
      /origin\.region_code/.test(rule.match.expr?.expression ?? ""),
    );
    expect(geoRules.map((rule: Json) => rule.match.expr.expression)).toEqual([
      "origin.region_code == 'KP' || origin.region_code == 'IR' || origin.region_code == 'SY' || origin.region_code == 'CU' || origin.region_code == 'RU'",
      "origin.region_code == 'BY' || origin.region_code == 'VE'",
    ]);
    expect(geoRules.every((rule: Json) => rule.action === "deny(403)" && rule.priority < 1000)).toBe(true);
  });
});

describe("monitoring", () => {
  it.each(ENVS)("%s: uptime check on /health over HTTPS (the LB domain in prod)", (name) => {
    const stack = stacks[name];
    const uptime = single(stack, "google_monitoring_uptime_check_config");
    expect(uptime.http_check).toMatchObject({ path: "/health", port: 443, use_ssl: true, validate_ssl: true });
    const host = uptime.monitored_resource.labels.host;
    if (DEFINITIONS[name].edge.loadBalancer) expect(host).toBe(`pierre-${name}.invalid`);
    else expect(host).toBe(`\${replace(${addressOf(stack, "google_cloud_run_v2_service", () => true)}.uri, "https://", "")}`);
  });

  it.each(ENVS)("%s: 16 alert policies (8 platform, 4 on service events, 4 SLO burn rates), each with a condition, and a notification channel where Slack is set", (name) => {
    const policies = listOf(stacks[name], "google_monitoring_alert_policy");
    expect(policies).toHaveLength(16);
    for (const policy of policies) {
      expect(policy.conditions.length, policy.display_name).toBeGreaterThan(0);
      expect(policy.notification_channels.length > 0, policy.display_name).toBe(name !== "dev");
      for (const condition of policy.conditions) expect(condition.condition_monitoring_query_language).toBeUndefined();
    }
  });

  it.each(["staging", "prod"] as const)("%s: critical alerts page (prod) and warnings go to Slack", (name) => {
    const stack = stacks[name];
    const slack = `\${${addressOf(stack, "google_monitoring_notification_channel", (c) => c.type === "slack")}.id}`;
    const policies = listOf(stack, "google_monitoring_alert_policy");
    const critical = policies.filter((policy) => policy.severity === "CRITICAL");
    expect(critical.map((policy) => policy.display_name.split(": ")[1]).sort()).toEqual([
      "5xx responses above 5%",
      "Availability SLO fast burn",
      "Database connections near exhaustion",
      "MCP latency SLO fast burn",
      "Service down (uptime check failing)",
    ]);
    for (const policy of policies.filter((p) => p.severity === "WARNING")) expect(policy.notification_channels).toEqual([slack]);
    if (name === "prod") {
      const pagerDuty = `\${${addressOf(stack, "google_monitoring_notification_channel", (c) => c.type === "pagerduty")}.id}`;
      for (const policy of critical) expect(policy.notification_channels).toContain(pagerDuty);
    } else {
      expect(listOf(stack, "google_monitoring_notification_channel").map((channel) => channel.type)).toEqual(["slack"]);
      for (const policy of critical) expect(policy.notification_channels).toEqual([slack]);
    }
  });

  const conditionOf = (stack: SynthesizedStack, name: string) =>
    listOf(stack, "google_monitoring_alert_policy").find((policy) => policy.display_name.endsWith(name)).conditions[0];

  it.each(ENVS)("%s: the alert thresholds of the design", (name) => {
    const stack = stacks[name];
    const errorRate = conditionOf(stack, "5xx responses above 5%").condition_threshold;
    expect(errorRate).toMatchObject({ threshold_value: 0.05, comparison: "COMPARISON_GT" });
    expect(errorRate.filter).toContain('metric.label.response_code_class="5xx"');
    expect(errorRate.denominator_filter).toContain("run.googleapis.com/request_count");
    expect(errorRate.aggregations[0].alignment_period).toBe("300s");

    const latency = conditionOf(stack, "p95 latency above 1 s").condition_threshold;
    expect(latency.aggregations[0].per_series_aligner).toBe("ALIGN_PERCENTILE_95");
    expect(latency.threshold_value).toBe(1000);
    const memory = conditionOf(stack, "Container memory above 80%").condition_threshold;
    expect(memory.aggregations[0].per_series_aligner).toMatch(/^ALIGN_PERCENTILE_/);
    expect(memory.threshold_value).toBe(0.8);
    expect(conditionOf(stack, "Database disk above 85%").condition_threshold.threshold_value).toBe(0.85);

    const { database, service } = DEFINITIONS[name];
    const connections = conditionOf(stack, "Database connections near exhaustion").condition_threshold;
    expect(connections.filter).toContain("cloudsql.googleapis.com/database/postgresql/num_backends");
    expect(connections.threshold_value).toBe(Math.floor(maxConnectionsFor(database, service.maxInstances) * 0.8));
  });

  it.each(ENVS)("%s: traffic spike compares with the same window a week earlier, in PromQL", (name) => {
    const promql = conditionOf(stacks[name], "Traffic spike (+50% week over week)").condition_prometheus_query_language;
    const rate = `sum(rate(run_googleapis_com:request_count{monitored_resource="cloud_run_revision",service_name="pierre-${name}"}[10m]`;
    expect(promql.query).toBe(
      `${rate})) > 1.5 * ${rate} offset 1w)) and ${rate})) > ${DEFINITIONS[name].alerting.trafficSpikeMinRequestsPerSecond}`,
    );
  });

  it.each(ENVS)("%s: external API failures come from the service's structured error event", (name) => {
    const stack = stacks[name];
    const isErrorCounter = (metric: Json) => metric.filter.includes('jsonPayload.event="external_api_error"') && !metric.value_extractor;
    const metric = listOf(stack, "google_logging_metric").find(isErrorCounter);
    expect(metric.filter).toContain(`resource.labels.service_name="pierre-${name}"`);
    const condition = conditionOf(stack, "External API failures").condition_threshold;
    expect(condition.filter).toContain(`logging.googleapis.com/user/\${${addressOf(stack, "google_logging_metric", isErrorCounter)}.name}`);
  });
});

describe("logging and backups", () => {
  it.each(ENVS)("%s: _Default log bucket retention", (name) => {
    expect(single(stacks[name], "google_logging_project_bucket_config")).toMatchObject({
      bucket_id: "_Default",
      location: "global",
      retention_days: expected[name].retention,
    });
  });

  it.each(ENVS)("%s: private, versioned export bucket with lifecycle retention", (name) => {
    const bucket = single(stacks[name], "google_storage_bucket");
    expect(bucket).toMatchObject({
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
      versioning: { enabled: true },
      force_destroy: name === "dev",
    });
    expect(bucket.lifecycle_rule[0]).toMatchObject({
      action: { type: "Delete" },
      condition: { with_state: "ARCHIVED", days_since_noncurrent_time: DEFINITIONS[name].logging.sqlExportRetentionDays },
    });
  });

  it.each(ENVS)("%s: weekly job calls the SQL Admin export API as the exporter account", (name) => {
    const stack = stacks[name];
    const job = single(stack, "google_cloud_scheduler_job");
    const project = `pierre-${name}-placeholder`;
    expect(job.schedule).toBe("0 4 * * 0");
    expect(job.http_target).toMatchObject({
      http_method: "POST",
      uri: `https://sqladmin.googleapis.com/v1/projects/${project}/instances/pierre-db-${name}/export`,
      oauth_token: {
        service_account_email: `\${${addressOf(stack, "google_service_account", (a) => a.account_id.startsWith("pierre-sql-export"))}.email}`,
      },
    });
    expect(JSON.parse(Buffer.from(job.http_target.body, "base64").toString())).toEqual({
      exportContext: { fileType: "SQL", uri: `gs://${project}-pierre-sql-exports/pierre-db-${name}/pierre.sql.gz`, databases: ["pierre"] },
    });
    expect(single(stack, "google_storage_bucket").name).toBe(`${project}-pierre-sql-exports`);
  });
});

describe("outputs", () => {
  it.each(ENVS)("%s: what an operator needs after deploy", (name) => {
    const outputs = Object.keys(stacks[name].json.output).sort();
    const common = ["artifact_registry", "nat_egress_ip", "run_app_url", "runtime_service_account", "service_url", "sql_connection_name", "sql_export_bucket"];
    expect(outputs).toEqual((DEFINITIONS[name].edge.loadBalancer ? [...common, "domain", "load_balancer_ip"] : common).sort());
  });
});
