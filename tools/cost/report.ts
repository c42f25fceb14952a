// The cost estimate as Markdown: one table per environment, and the totals beside the design's figures.
import type { EnvironmentName } from "../../environments/schema.js";
import prices from "../prices.json" with { type: "json" };
import type { TerraformJson } from "../synthesized.js";
import { estimateMonthlyCost, total } from "./estimate.js";

/** The design's monthly estimates, which the README compares with. */
export const DESIGN_ESTIMATES: Record<EnvironmentName, string> = { dev: "about $75", staging: "about $200", prod: "$485-825" };

const dollars = (value: number) => `$${value.toFixed(2)}`;

export function costReport(stacks: Partial<Record<EnvironmentName, TerraformJson>>): string {
  const names = Object.keys(stacks) as EnvironmentName[];
  const sections = names.map((name) => {
    const lines = estimateMonthlyCost(stacks[name], prices.usage[name]);
    return [
      `### ${name}: ${dollars(total(lines))} per month (design: ${DESIGN_ESTIMATES[name]})`,
      "",
      "| service | item | monthly |",
      "| --- | --- | ---: |",
      ...lines.map((line) => `| ${line.service} | ${line.item} | ${dollars(line.monthly)} |`),
    ].join("\n");
  });
  return [`Prices: ${prices.source}, as of ${prices.date} (tools/prices.json).`, "", ...sections.flatMap((section) => [section, ""])]
    .join("\n")
    .trimEnd();
}
