// The entry point: what `npm run synth` / `cdktf synth` produce, and how it fails on bad input.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfiguration } from "../../environments/load.js";
import { createApp } from "../../stacks/app.js";

const outdir = mkdtempSync(join(tmpdir(), "pierre-synth-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("the CDKTF app", () => {
  it("writes cdktf.out/stacks/<name>/cdk.tf.json for bootstrap, dev, staging and prod", () => {
    createApp(loadConfiguration({}), outdir).synth();
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["bootstrap", "dev", "prod", "staging"]);
    for (const name of ["bootstrap", "dev", "staging", "prod"]) {
      const file = join(outdir, "stacks", name, "cdk.tf.json");
      expect(existsSync(file), file).toBe(true);
      expect(JSON.parse(readFileSync(file, "utf8")).terraform).toBeDefined();
    }
  });

  it("is what cdktf.json runs", () => {
    const cdktf = JSON.parse(readFileSync("cdktf.json", "utf8"));
    expect(cdktf).toMatchObject({ language: "typescript", app: "npx tsx main.ts" });
  });

  it("refuses bad configuration with the variable's name and no stack trace", () => {
    const result = spawnSync(join("node_modules", ".bin", "tsx"), ["main.ts"], {
      env: { PATH: process.env.PATH, PIERRE_PROD_CANARY_PERCENT: "150", PIERRE_PROD_CANARY_IMAGE: "gcr.io/acme/pierre:2" },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "Invalid environment configuration:\n  - PIERRE_PROD_CANARY_PERCENT: must be at most 100 (100 = promoted) (got \"150\")\n",
    );
  });
});
