// Runs the repository's own entry points (server, admin CLI) as real child processes.
import { spawn, type ChildProcess } from "node:child_process";

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

const TSX = ["--import", "tsx"];

/** Runs a TypeScript entry point to completion. */
export function runScript(script: string, args: string[], env: Record<string, string>): Promise<Finished> {
  return runCommand(process.execPath, [...TSX, script, ...args], { ...process.env, ...env });
}

/** Runs a command to completion with exactly `env`, collecting its output. */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts a long-running entry point and resolves once `url` answers 200. */
export async function startScript(script: string, env: Record<string, string>, healthUrl: string, timeoutMs = 60_000): Promise<Started> {
  const child = spawn(process.execPath, [...TSX, script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${script} exited early:\n${output}`);
    try {
      if ((await fetch(healthUrl)).status === 200) return { child, output: () => output, exited };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`${script} did not become healthy:\n${output}`);
}
