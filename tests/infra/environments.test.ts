import { describe, expect, it } from "vitest";
import { overlappingPairs, parseCidr } from "../../environments/cidr.js";
import {
  DEFINITIONS,
  EnvironmentConfigError,
  loadConfiguration,
  PLACEHOLDER_IMAGE,
} from "../../environments/load.js";
import { ENVIRONMENT_NAMES, type EnvironmentDefinition, type EnvironmentName } from "../../environments/schema.js";
import { maxConnectionsFor } from "../../stacks/database.js";
import { maxPortsPerConnectorVm } from "../../stacks/network.js";
import { CONFIGURED_ENV, STABLE_IMAGE } from "../support/infra/fixtures.js";

const byName = (env: NodeJS.ProcessEnv = {}) =>
  Object.fromEntries(loadConfiguration(env).environments.map((config) => [config.name, config]));

/** The issues a configuration raises, or [] when it loads. */
function issuesOf(env: NodeJS.ProcessEnv, definitions = DEFINITIONS): string[] {
  try {
    loadConfiguration(env, definitions);
    return [];
  } catch (error) {
    if (error instanceof EnvironmentConfigError) return error.issues;
    throw error;
  }
}

function withDefinition(name: EnvironmentName, change: (definition: EnvironmentDefinition) => void) {
  const changed = structuredClone(DEFINITIONS[name]);
  change(changed);
  return { ...DEFINITIONS, [name]: changed };
}

describe("environment configuration", () => {
  it("synthesizes with no variables at all, on placeholders it lists for the plan guard", () => {
    const { environments, bootstrap } = loadConfiguration({});
    expect(environments.map((config) => config.name)).toEqual(["dev", "staging", "prod"]);
    for (const config of environments) {
      expect(config.projectId).toBe(`pierre-${config.name}-placeholder`);
      expect(config.image).toBe(PLACEHOLDER_IMAGE);
      expect(config.canary).toBeUndefined();
      expect(config.placeholders).toContain(`PIERRE_${config.name.toUpperCase()}_PROJECT_ID`);
      expect(config.placeholders).toContain("PIERRE_STATE_BUCKET");
    }
    expect(byName().prod.placeholders).toContain("PIERRE_PROD_DOMAIN");
    expect(bootstrap.placeholders.sort()).toEqual([
      "PIERRE_DEV_PROJECT_ID",
      "PIERRE_GITHUB_REPOSITORY",
      "PIERRE_PROD_PROJECT_ID",
      "PIERRE_STAGING_PROJECT_ID",
      "PIERRE_STATE_BUCKET",
    ]);
  });

  it("takes project ids, domain, images and the state bucket from PIERRE_* variables", () => {
    const { environments, bootstrap } = loadConfiguration(CONFIGURED_ENV);
    const prod = environments.find((config) => config.name === "prod")!;
    expect(prod).toMatchObject({
      projectId: "acme-pierre-prod",
      domain: "mcp.pierre.example.com",
      image: STABLE_IMAGE,
      stateBucket: "acme-pierre-tfstate-prod",
      placeholders: [],
    });
    expect(environments.every((config) => config.placeholders.length === 0)).toBe(true);
    expect(bootstrap).toMatchObject({ projectId: "acme-pierre-prod", githubRepository: "acme/pierre", placeholders: [] });
    expect(bootstrap.environments.map((env) => env.stateBucket)).toEqual(
      ["dev", "staging", "prod"].map((name) => `acme-pierre-tfstate-${name}`),
    );
    expect(loadConfiguration({ ...CONFIGURED_ENV, PIERRE_STATE_PROJECT_ID: "acme-ops" }).bootstrap.projectId).toBe("acme-ops");
  });

  it("treats empty variables as unset (CI often exports empty strings)", () => {
    expect(byName({ PIERRE_DEV_PROJECT_ID: "  ", PIERRE_DEV_IMAGE: "" }).dev.projectId).toBe("pierre-dev-placeholder");
  });

  it("switches a provider on per environment by its client id; unset is off, not a placeholder", () => {
    const environments = byName({ PIERRE_STAGING_STRAVA_CLIENT_ID: "123456", PIERRE_PROD_GARMIN_CLIENT_ID: " garmin-client " });
    expect(environments.dev.providerClientIds).toEqual({});
    expect(environments.staging.providerClientIds).toEqual({ strava: "123456" });
    expect(environments.prod.providerClientIds).toEqual({ garmin: "garmin-client" });
    expect(loadConfiguration(CONFIGURED_ENV).environments.every((config) => config.placeholders.length === 0)).toBe(true);
  });

  it("uses a domain outside prod only when one is given", () => {
    expect(byName().dev.domain).toBeUndefined();
    expect(byName({ PIERRE_DEV_DOMAIN: "dev.pierre.example.com" }).dev.domain).toBe("dev.pierre.example.com");
  });

  it("defaults a canary to 10% and accepts 100 as promoted", () => {
    const canaryImage = STABLE_IMAGE.replace(/a+$/, "b".repeat(64));
    expect(byName({ PIERRE_PROD_IMAGE: STABLE_IMAGE, PIERRE_PROD_CANARY_IMAGE: canaryImage }).prod.canary).toEqual({
      image: canaryImage,
      percent: 10,
    });
    const promoted = { PIERRE_PROD_IMAGE: STABLE_IMAGE, PIERRE_PROD_CANARY_IMAGE: canaryImage, PIERRE_PROD_CANARY_PERCENT: "100" };
    expect(byName(promoted).prod.canary?.percent).toBe(100);
  });

  it.each([
    [{ PIERRE_PROD_PROJECT_ID: "Acme_Prod" }, /^PIERRE_PROD_PROJECT_ID: must be a GCP project id .*\(got "Acme_Prod"\)$/],
    [{ PIERRE_PROD_DOMAIN: "https://pierre.example.com/" }, /^PIERRE_PROD_DOMAIN: must be a lowercase DNS name/],
    [{ PIERRE_STAGING_IMAGE: "not an image" }, /^PIERRE_STAGING_IMAGE: must be a container image reference/],
    [{ PIERRE_STATE_BUCKET: "UPPER" }, /^PIERRE_STATE_BUCKET: must be a GCS bucket name/],
    [{ PIERRE_PROD_CANARY_IMAGE: "gcr.io/x/y:2", PIERRE_PROD_CANARY_PERCENT: "ten" }, /^PIERRE_PROD_CANARY_PERCENT: must be a whole number/],
    [{ PIERRE_PROD_CANARY_IMAGE: "gcr.io/x/y:2", PIERRE_PROD_CANARY_PERCENT: "0" }, /^PIERRE_PROD_CANARY_PERCENT: must be at least 1/],
    [{ PIERRE_PROD_CANARY_IMAGE: "gcr.io/x/y:2", PIERRE_PROD_CANARY_PERCENT: "101" }, /^PIERRE_PROD_CANARY_PERCENT: must be at most 100/],
    [{ PIERRE_DEV_CANARY_PERCENT: "20" }, /^PIERRE_DEV_CANARY_PERCENT: set PIERRE_DEV_CANARY_IMAGE too/],
    [{ PIERRE_PROD_IMAGE: "gcr.io/x/y:1", PIERRE_PROD_CANARY_IMAGE: "gcr.io/x/y:1" }, /^PIERRE_PROD_CANARY_IMAGE: equals PIERRE_PROD_IMAGE/],
    [{ PIERRE_PROD_CERTIFICATE_ACTIVE: "yes" }, /^PIERRE_PROD_CERTIFICATE_ACTIVE: must be true or false/],
    [{ PIERRE_DEV_USDA_ENABLED: "yes" }, /^PIERRE_DEV_USDA_ENABLED: must be true or false/],
    [{ PIERRE_STAGING_STRAVA_CLIENT_ID: "id with spaces" }, /^PIERRE_STAGING_STRAVA_CLIENT_ID: must be a plain OAuth client id/],
  ])("refuses %j with a message naming the variable", (env, message) => {
    const issues = issuesOf(env);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(message);
  });

  it("reports every problem at once, in a readable error", () => {
    const error = (() => {
      try {
        loadConfiguration({ PIERRE_DEV_PROJECT_ID: "x", PIERRE_PROD_PROJECT_ID: "y" });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error("expected a failure");
    })();
    expect(error).toBeInstanceOf(EnvironmentConfigError);
    expect(error.message).toMatch(/^Invalid environment configuration:\n {2}- PIERRE_DEV_PROJECT_ID: .*\n {2}- PIERRE_PROD_PROJECT_ID: /);
  });

  describe("static definitions", () => {
    it("are valid as shipped", () => {
      expect(issuesOf({})).toEqual([]);
    });

    it("refuse a peering range that overlaps the subnet (the original design's 10.0.0.0/16)", () => {
      const overlapping = withDefinition("prod", (prod) => (prod.network.sqlPeeringCidr = "10.0.0.0/16"));
      expect(issuesOf({}, overlapping)).toEqual([
        "environments/prod.ts network: 10.0.0.0/24 overlaps 10.0.0.0/16; GCP rejects overlapping ranges",
      ]);
    });

    it("refuse a connector range that is not a /28", () => {
      const wide = withDefinition("dev", (dev) => (dev.network.connectorCidr = "10.8.0.0/27"));
      expect(issuesOf({}, wide)).toEqual(["environments/dev.ts network.connectorCidr: a Serverless VPC Access connector needs a /28"]);
    });

    it("refuse Cloud Armor without the load balancer it attaches to", () => {
      const armorOnly = withDefinition("dev", (dev) => (dev.edge.cloudArmor.enabled = true));
      expect(issuesOf({}, armorOnly)).toEqual([
        "environments/dev.ts edge.cloudArmor.enabled: Cloud Armor attaches to a load balancer backend; enable edge.loadBalancer too",
      ]);
    });

    it("refuse connector scaling GCP rejects (max must exceed min)", () => {
      const flat = withDefinition("dev", (dev) => (dev.network.connector = { machineType: "e2-micro", minInstances: 3, maxInstances: 3 }));
      expect(issuesOf({}, flat)).toEqual(["environments/dev.ts network.connector: connector maxInstances must exceed minInstances"]);
    });
  });
});

describe("sizing rules", () => {
  it.each(ENVIRONMENT_NAMES)("%s: max_connections covers max instances x pool plus the reserve", (name) => {
    const { database, service } = DEFINITIONS[name];
    const maxConnections = maxConnectionsFor(database, service.maxInstances);
    expect(maxConnections).toBe(service.maxInstances * database.poolMaxPerInstance + database.reservedConnections);
    expect(maxConnections - service.maxInstances * database.poolMaxPerInstance).toBeGreaterThanOrEqual(5);
  });

  it("gives each connector VM a power-of-two port budget that fits one NAT IP", () => {
    for (const maxInstances of [3, 5, 10]) {
      const ports = maxPortsPerConnectorVm(maxInstances);
      expect(Math.log2(ports) % 1).toBe(0);
      expect(ports * maxInstances).toBeLessThanOrEqual(64_512);
      expect(ports * 2 * maxInstances).toBeGreaterThan(64_512);
    }
  });
});

describe("CIDR arithmetic", () => {
  it("parses network ranges and rejects malformed ones", () => {
    expect(parseCidr("10.8.0.0/28")).toMatchObject({ first: 10 * 2 ** 24 + 8 * 2 ** 16, last: 10 * 2 ** 24 + 8 * 2 ** 16 + 15 });
    expect(() => parseCidr("10.8.0.1/28")).toThrow(/host bits/);
    expect(() => parseCidr("10.0.0.256/32")).toThrow(/not an IPv4 CIDR/);
    expect(() => parseCidr("10.0.0.0")).toThrow(/not an IPv4 CIDR/);
  });

  it("finds overlaps, including containment and shared edges", () => {
    expect(overlappingPairs(["10.0.0.0/24", "10.8.0.0/28", "10.16.0.0/16"])).toEqual([]);
    expect(overlappingPairs(["10.0.0.0/24", "10.0.0.0/16"])).toEqual([["10.0.0.0/24", "10.0.0.0/16"]]);
    expect(overlappingPairs(["10.0.0.0/25", "10.0.0.128/25", "10.0.0.64/26"])).toEqual([
      ["10.0.0.0/25", "10.0.0.64/26"],
    ]);
  });
});
