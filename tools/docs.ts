// Where the generated copies live: the cost report and SVGs in docs/, the prod Mermaid block in README.md.
import { readFileSync } from "node:fs";

export const COST_PATH = "docs/cost.md";

export const svgPath = (env: string): string => `docs/architecture-${env}.svg`;

const BEGIN = "<!-- diagram:prod (npm run diagram -- prod --write) -->";
const END = "<!-- /diagram:prod -->";

/** The README's current Mermaid block, or undefined when the markers are missing. */
export function readmeDiagram(readme = readFileSync("README.md", "utf8")): string | undefined {
  const open = `${BEGIN}\n\`\`\`mermaid\n`;
  const start = readme.indexOf(open);
  const end = readme.indexOf(`\n\`\`\`\n${END}`);
  return start === -1 || end < start ? undefined : readme.slice(start + open.length, end);
}

export function readmeWithDiagram(mermaid: string, readme = readFileSync("README.md", "utf8")): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`README.md lacks the ${BEGIN} ... ${END} markers`);
  return `${readme.slice(0, start)}${BEGIN}\n\`\`\`mermaid\n${mermaid}\n\`\`\`\n${readme.slice(end)}`;
}
