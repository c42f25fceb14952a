// One snapshot file per stack, synthesized as CI does (no variables): any change to the plan shows up in
// review as a diff of tests/infra/__snapshots__/<stack>.tf.json. After an intended change, run
// `npx vitest run tests/infra/snapshots.test.ts -u` and review that diff like code.
import { beforeAll, describe, expect, it } from "vitest";
import { synthesizeAll, type StackName, type SynthesizedStack } from "../support/infra/synth.js";

const STACKS: StackName[] = ["bootstrap", "dev", "staging", "prod"];
let stacks: Record<StackName, SynthesizedStack>;
beforeAll(() => {
  stacks = synthesizeAll();
});

describe("synthesized stacks", () => {
  it.each(STACKS)("%s matches its snapshot", async (name) => {
    await expect(`${stacks[name].text}\n`).toMatchFileSnapshot(`./__snapshots__/${name}.tf.json`);
  });
});
