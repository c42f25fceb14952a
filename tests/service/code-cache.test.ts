// boot/code-cache.ts: the production entry point's loader. Each load runs in its own Node process
// (tests/support/load-bundle.ts), because a cache only matters, and is only checked, on a fresh V8.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { codeCachePath } from "../../service/boot/code-cache.js";
import { runCommand } from "../support/process.js";

const LOADER = "tests/support/load-bundle.ts";

// A CommonJS module using what a bundle uses: require() of built-ins, module.exports, __dirname.
const bundleSource = (word: string) =>
  `const { basename } = require("node:path");\nmodule.exports = { describe: () => "${word} from " + basename(__dirname) };\n`;

let bundlePath: string;
beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), "pierre-code-cache-"));
  bundlePath = join(dir, "service.cjs");
  writeFileSync(bundlePath, bundleSource("hello"));
});

async function load(options: { write?: boolean; nodeFlags?: string[] } = {}): Promise<{ codeCache: string; description: string }> {
  const args = [...(options.nodeFlags ?? []), "--import", "tsx", LOADER, bundlePath, ...(options.write ? ["write"] : [])];
  const run = await runCommand(process.execPath, args, process.env);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { codeCache: string; description: string };
}

describe("loadBundle", () => {
  it("runs a CommonJS bundle without a cache, with require, module.exports and __dirname", async () => {
    const dir = bundlePath.split("/").at(-2);
    expect(await load()).toEqual({ codeCache: "absent", description: `hello from ${dir}` });
  });

  it("reports errors at the bundle file's own lines and columns", async () => {
    const line = `module.exports = { describe: () => new Error("where").stack.split("\\n")[1] };`;
    writeFileSync(bundlePath, `${line}\n// a second line\n`);
    expect((await load()).description).toContain(`${bundlePath}:1:${line.indexOf("new Error") + 1}`);
  });

  it("uses the cache written for the bundle on the next start", async () => {
    await load({ write: true });
    expect(readFileSync(codeCachePath(bundlePath)).length).toBeGreaterThan(32);
    expect(await load()).toMatchObject({ codeCache: "used", description: expect.stringMatching(/^hello from /) });
  });

  it("rejects a cache written for another bundle of the same length, and runs the bundle it has", async () => {
    await load({ write: true });
    writeFileSync(bundlePath, bundleSource("howdy"));
    expect(await load()).toMatchObject({ codeCache: "rejected", description: expect.stringMatching(/^howdy from /) });
  });

  it("reports a cache that V8 refuses (written under other V8 flags) as rejected, and still runs", async () => {
    await load({ write: true });
    // A flag that changes code generation: V8 hashes those into the cache. Heap sizes are not hashed on
    // Node 24 (a cache written without --max-semi-space-size is used with it), only on Node 20.
    expect(await load({ nodeFlags: ["--no-opt"] })).toMatchObject({ codeCache: "rejected", description: expect.stringMatching(/^hello from /) });
  });
});
