// The container contract, checked on the image's own file layout: the Dockerfile is replayed on disk
// (tests/support/delivery/dockerfile.ts; there is no Docker engine here) and its CMD and the deploy's migration-job
// command run against a real PostgreSQL database with the environment Cloud Run gives the service.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../service/free-port.js";
import { createTestDatabase } from "../support/database.js";
import { replayBuild, type BuiltImage } from "../support/delivery/dockerfile.js";
import { MIGRATION_COMMAND } from "../support/delivery/workflows.js";
import { scratchDirectories } from "../support/delivery/scratch.js";

const scratch = scratchDirectories();

let image: BuiltImage;
let databaseEnv: Record<string, string>;

beforeAll(async () => {
  const read = (file: string) => readFileSync(file, "utf8");
  image = replayBuild(process.cwd(), read("Dockerfile"), read(".dockerignore"), scratch("image"));
  const url = new URL(await createTestDatabase());
  databaseEnv = {
    PGHOST: url.hostname,
    PGPORT: url.port,
    PGDATABASE: url.pathname.slice(1),
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
    DATABASE_SSL: "disable",
  };
}, 180_000);

/** What the container sees: the image's ENV plus what Cloud Run and the stack set, nothing from this machine. */
function containerEnv(port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    ...image.env,
    PORT: String(port),
    PUBLIC_BASE_URL: "https://pierre.test.example",
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ...databaseEnv,
  };
}

function start(command: string[], port: number) {
  const child = spawn(command[0], command.slice(1), { cwd: image.workdir, env: containerEnv(port), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitForHealth(url: string, exited: Promise<unknown>, output: () => string): Promise<Response> {
  let stopped = false;
  void exited.then(() => (stopped = true));
  for (let attempt = 0; attempt < 200; attempt++) {
    if (stopped) throw new Error(`the container exited before serving:\n${output()}`);
    try {
      return await fetch(`${url}/health`);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`the container never answered:\n${output()}`);
}

describe("the image", () => {
  it("holds only what runs: package.json and the built dist/, no node_modules", () => {
    expect(readdirSync(image.workdir).sort()).toEqual(["dist", "package.json"]);
    const dist = readdirSync(join(image.workdir, "dist"));
    expect(dist).toEqual(expect.arrayContaining(["main.js", "service.cjs", "service.cjs.v8cache", "migrate-cli.js", "migrations"]));
    expect(dist.filter((file) => file.endsWith(".ts"))).toEqual([]);
    expect(image.user).toBe("node");
  });

  it("runs the deploy's migration job command: every migration applied, then none again", async () => {
    const expected = readdirSync("service/db/migrations").filter((file) => file.endsWith(".sql")).map((file) => file.replace(/\.sql$/, "")).sort();
    expect(expected.length).toBeGreaterThan(0);
    const first = start(MIGRATION_COMMAND, 0);
    expect(await first.exited, first.output()).toBe(0);
    expect(JSON.parse(first.output().trim().split("\n").at(-1)!)).toMatchObject({ message: "migrations done", applied: expected });

    const again = start(MIGRATION_COMMAND, 0);
    expect(await again.exited, again.output()).toBe(0);
    expect(JSON.parse(again.output().trim().split("\n").at(-1)!)).toMatchObject({ applied: [], alreadyApplied: expected });
  });

  it("serves /health and /ready from its CMD in production mode, started from the build's code cache, then drains and exits 0 on SIGTERM", async () => {
    expect(image.env.NODE_ENV).toBe("production");
    const port = await freePort();
    const container = start(image.cmd, port);
    const health = await waitForHealth(`http://127.0.0.1:${port}`, container.exited, container.output);
    expect(health.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    expect(container.output()).toMatch(/"message":"listening".*"codeCache":"used"/);

    container.child.kill("SIGTERM");
    expect(await container.exited, container.output()).toBe(0);
    expect(container.output()).toMatch(/"message":"stopped"/);
  });
});
