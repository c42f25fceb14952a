// Cost and architecture come from the synthesized stacks; the committed copies (docs/cost.md,
// docs/architecture-<env>.svg, the README's prod Mermaid block) must match what the code builds now.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ENVIRONMENT_NAMES, type EnvironmentName } from "../../environments/schema.js";
import { estimateMonthlyCost, total } from "../../tools/cost/estimate.js";
import { costReport, DESIGN_ESTIMATES } from "../../tools/cost/report.js";
import { architecture } from "../../tools/diagram/graph.js";
import { toMermaid } from "../../tools/diagram/mermaid.js";
import { toSvg } from "../../tools/diagram/svg.js";
import { COST_PATH, readmeDiagram, svgPath } from "../../tools/docs.js";
import prices from "../../tools/prices.json" with { type: "json" };
import { synthesizedStacks, type TerraformJson } from "../../tools/synthesized.js";

let stacks: Record<EnvironmentName, TerraformJson>;
beforeAll(() => {
  stacks = synthesizedStacks({});
});

const STALE = "stale: run `npm run cost -- --write` and `npm run diagram -- dev staging prod --write`";

describe("generated documents are current", () => {
  it("docs/cost.md", () => {
    expect(readFileSync(COST_PATH, "utf8"), STALE).toBe(`${costReport(stacks)}\n`);
  });

  it.each(ENVIRONMENT_NAMES.map((name) => [name] as [EnvironmentName]))("docs/architecture-%s.svg", (name) => {
    expect(readFileSync(svgPath(name), "utf8"), STALE).toBe(toSvg(architecture(name, stacks[name])));
  });

  it("the README's cost comparison with the design", () => {
    const readme = readFileSync("README.md", "utf8");
    for (const name of ENVIRONMENT_NAMES) {
      const estimate = total(estimateMonthlyCost(stacks[name], prices.usage[name])).toFixed(2);
      expect(readme, "update the README's cost table (Infrastructure, Cost)").toContain(`| ${name} | ${DESIGN_ESTIMATES[name]} | $${estimate} |`);
    }
  });

  it("the README's prod diagram", () => {
    expect(readmeDiagram(), STALE).toBe(toMermaid(architecture("prod", stacks.prod)));
  });
});

describe("cost estimate", () => {
  it("names its price source and date", () => {
    expect(prices.source).toMatch(/pricing/);
    expect(prices.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("follows the stack: prod's regional HA doubles the database, staging and prod pay for the edge", () => {
    const line = (env: EnvironmentName, service: string) =>
      estimateMonthlyCost(stacks[env], prices.usage[env]).filter((l) => l.service === service);
    const sqlCompute = (env: EnvironmentName) => line(env, "Cloud SQL")[0].monthly;
    // db-custom-4-16384: 4 x 0.0413 + 16 x 0.007 per hour, 730 hours, twice for HA.
    expect(sqlCompute("prod")).toBeCloseTo((4 * 0.0413 + 16 * 0.007) * 730 * 2, 2);
    expect(line("dev", "Load balancer")).toEqual([]);
    expect(line("dev", "Cloud Armor")).toEqual([]);
    expect(line("prod", "Cloud Armor")[0].item).toMatch(/11 rules/);
    expect(line("staging", "Load balancer").length).toBeGreaterThan(0);
  });

  it("stays within the design's ranges where the design gives one", () => {
    expect(total(estimateMonthlyCost(stacks.prod, prices.usage.prod))).toBeGreaterThan(485);
    expect(total(estimateMonthlyCost(stacks.prod, prices.usage.prod))).toBeLessThan(825);
  });
});

describe("architecture diagram", () => {
  it("shows the edge only where the stack has one, and the database inside the VPC", () => {
    const nodes = (env: EnvironmentName) => architecture(env, stacks[env]).nodes.map((node) => node.id);
    expect(nodes("prod")).toEqual(expect.arrayContaining(["lb", "armor", "run", "connector", "nat", "sql", "secrets", "monitoring"]));
    expect(nodes("dev")).not.toContain("lb");
    expect(architecture("prod", stacks.prod).nodes.filter((node) => node.inVpc).map((node) => node.id).sort()).toEqual(["connector", "nat", "sql"]);
    expect(toMermaid(architecture("prod", stacks.prod))).toContain("db-custom-4-16384, regional HA");
  });
});
