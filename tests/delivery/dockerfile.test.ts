// What the Dockerfile and .dockerignore promise Cloud Run and the deploy pipeline, read from their text.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dockerignoreMatcher, execForm, parseCopy, parseDockerfile, type Stage } from "../support/delivery/dockerfile.js";

const stages = parseDockerfile(readFileSync("Dockerfile", "utf8"));
const runtime = stages.at(-1)!;
const instructions = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const stageNamed = (name: string) => stages.find((stage) => stage.name === name);

describe("Dockerfile", () => {
  it("is multi-stage, every external base a pinned Node 24 (current LTS) slim tag (no latest, no digest)", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const stageNames = new Set(stages.map((stage) => stage.name));
    const externalBases = stages.map((stage) => stage.base).filter((base) => !stageNames.has(base));
    expect(externalBases.length).toBeGreaterThan(0);
    for (const base of externalBases) expect(base).toMatch(/^node:24\.\d+-bookworm-slim$/);
    expect(new Set(externalBases).size).toBe(1);
  });

  it("runs as the non-root node user, set before the command", () => {
    const users = instructions(runtime, "USER");
    expect(users.at(-1)?.args).toBe("node");
    const keywords = runtime.instructions.map((i) => i.keyword);
    expect(keywords.lastIndexOf("USER")).toBeLessThan(keywords.lastIndexOf("CMD"));
  });

  it("starts node itself as PID 1 (exec form; no npm, no shell), on the built entry point", () => {
    expect(instructions(runtime, "ENTRYPOINT")).toEqual([]);
    const cmd = instructions(runtime, "CMD");
    expect(cmd).toHaveLength(1);
    expect(execForm(cmd[0].args)).toEqual(["node", "dist/main.js"]);
  });

  it("exposes 8081, runs in production mode and leaves PORT to Cloud Run", () => {
    expect(instructions(runtime, "EXPOSE").map((i) => i.args)).toEqual(["8081"]);
    expect(instructions(runtime, "ENV").map((i) => i.args)).toContain("NODE_ENV=production");
    for (const stage of stages) expect(instructions(stage, "ENV").some((i) => /^PORT[= ]/.test(i.args))).toBe(false);
  });

  it("ships only what runs: dist/ and package.json, no node_modules (the bundles hold every dependency)", () => {
    const copies = instructions(runtime, "COPY").map((i) => parseCopy(i.args));
    expect(copies.flatMap((copy) => copy.sources).sort()).toEqual(["/app/dist", "package.json"]);
    expect(instructions(runtime, "RUN")).toEqual([]); // nothing is compiled or installed in the final stage
    // The build installs without running any dependency install script.
    const installs = stages.flatMap((stage) => instructions(stage, "RUN").map((i) => i.args)).filter((run) => /npm ci\b/.test(run));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toContain("--ignore-scripts");
  });

  // That the migrations really land beside the bundles is shown by running them: container.test.ts.
  it("copies dist/ from the stage that runs npm run build", () => {
    const copies = instructions(runtime, "COPY").map((i) => parseCopy(i.args));
    const dist = copies.find((copy) => copy.sources.some((source) => source.endsWith("/dist")))!;
    expect(dist.destination).toBe("./dist");
    expect(instructions(stageNamed(dist.from!)!, "RUN").map((i) => i.args)).toContain("npm run build");
  });
});

describe(".dockerignore", () => {
  const ignored = dockerignoreMatcher(readFileSync(".dockerignore", "utf8"));

  it.each([
    "node_modules/express/package.json",
    ".data/postgres/PG_VERSION",
    "cdktf.out/stacks/prod/cdk.tf.json",
    ".git/HEAD",
    "tests/delivery/dockerfile.test.ts",
    "bench/run.ts",
    "dist/main.js",
    ".env",
    "terraform.bootstrap.tfstate",
    "stacks/service.ts",
    ".github/workflows/deploy.yml",
  ])("keeps %s out of the build context", (path) => {
    expect(ignored(path)).toBe(true);
  });

  it.each([
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "esbuild.config.mjs",
    "service/entry/main.ts",
    "service/db/migrations/0001_initial.sql",
  ])("sends %s, which the build needs", (path) => {
    expect(ignored(path)).toBe(false);
  });

  it("leaves every file the Dockerfile copies from the context in it", () => {
    const fromContext = stages
      .flatMap((stage) => instructions(stage, "COPY").map((i) => parseCopy(i.args)))
      .filter((copy) => copy.from === undefined)
      .flatMap((copy) => copy.sources);
    expect(fromContext.length).toBeGreaterThan(0);
    for (const source of fromContext) expect(ignored(source), source).toBe(false);
  });
});
