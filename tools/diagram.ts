// npm run diagram -- [dev|staging|prod ...] [--svg] [--write]: the architecture from the synthesized stacks.
// Mermaid by default (--svg: SVG). --write regenerates the committed copies (docs/architecture-<env>.svg
// and the README's prod Mermaid block); tests/infra/reports.test.ts fails while they are stale.
import { writeFileSync } from "node:fs";
import { architecture } from "./diagram/graph.js";
import { toMermaid } from "./diagram/mermaid.js";
import { toSvg } from "./diagram/svg.js";
import { readmeWithDiagram, svgPath } from "./docs.js";
import { environmentArguments, synthesizedStacks } from "./synthesized.js";

const args = process.argv.slice(2);
const names = environmentArguments(args);
// The committed copies come from the same placeholder synthesis as CI's, whatever this shell has set.
const stacks = synthesizedStacks(args.includes("--write") ? {} : process.env);
for (const name of names) {
  const diagram = architecture(name, stacks[name]);
  if (args.includes("--write")) {
    writeFileSync(svgPath(name), toSvg(diagram));
    if (name === "prod") writeFileSync("README.md", readmeWithDiagram(toMermaid(diagram)));
  } else {
    console.log(args.includes("--svg") ? toSvg(diagram) : toMermaid(diagram));
  }
}
