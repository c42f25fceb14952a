// npm run cost -- [dev|staging|prod ...] [--write]: monthly estimate per environment from the synthesized
// stacks. --write regenerates docs/cost.md (all environments, CI's placeholder synthesis), which
// tests/infra/reports.test.ts keeps current, so a pull request's diff shows its cost change.
import { writeFileSync } from "node:fs";
import { costReport } from "./cost/report.js";
import { COST_PATH } from "./docs.js";
import { environmentArguments, synthesizedStacks } from "./synthesized.js";

const args = process.argv.slice(2);
if (args.includes("--write")) {
  writeFileSync(COST_PATH, `${costReport(synthesizedStacks({}))}\n`);
} else {
  const stacks = synthesizedStacks(process.env);
  console.log(costReport(Object.fromEntries(environmentArguments(args).map((name) => [name, stacks[name]]))));
}
