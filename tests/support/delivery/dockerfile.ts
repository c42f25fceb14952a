// Reads the Dockerfile and .dockerignore the way BuildKit does (for the subset this repository uses), and
// replays the image build on the local disk, since no Docker engine is available where the tests run.
import { execSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync } from "node:fs";
import { join, posix, relative } from "node:path";

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name?: string;
  base: string;
  instructions: Instruction[];
}

/** Instructions grouped by stage; global ARG defaults are substituted into FROM. */
export function parseDockerfile(text: string): Stage[] {
  const lines = text
    .split("\n")
    .filter((line) => !line.trim().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [keyword, ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    if (instruction.keyword === "FROM") {
      const [base, as, name] = instruction.args.replace(/\$\{(\w+)\}/g, (_, arg: string) => globalArgs[arg] ?? "").split(/\s+/);
      stages.push({ base, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === "ARG") {
      const [arg, value = ""] = instruction.args.split("=");
      globalArgs[arg] = value;
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** JSON (exec) form of CMD/ENTRYPOINT, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === "string") ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export interface Copy {
  from?: string;
  sources: string[];
  destination: string;
}

export function parseCopy(args: string): Copy {
  const words = args.split(/\s+/);
  const flags = words.filter((word) => word.startsWith("--"));
  const paths = words.filter((word) => !word.startsWith("--"));
  const from = flags.find((flag) => flag.startsWith("--from="))?.slice("--from=".length);
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1)! };
}

/** .dockerignore semantics: last matching pattern wins, `!` re-includes, a match on a parent directory counts. */
export function dockerignoreMatcher(text: string): (path: string) => boolean {
  const rules = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const negated = line.startsWith("!");
      const pattern = posix.normalize(line.slice(negated ? 1 : 0).replace(/^\/+/, "")).replace(/\/+$/, "");
      return { negated, regex: globToRegex(pattern) };
    });
  return (path) => {
    const parts = path.split("/");
    const candidates = parts.map((_, index) => parts.slice(0, index + 1).join("/"));
    let excluded = false;
    for (const rule of rules) {
      if (candidates.some((candidate) => rule.regex.test(candidate))) excluded = !rule.negated;
    }
    return excluded;
  };
}

function globToRegex(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === "*" && pattern[i + 1] === "*") {
      const slash = pattern[i + 2] === "/";
      source += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

export interface BuiltImage {
  /** The final stage's working directory on the local disk. */
  workdir: string;
  env: Record<string, string>;
  cmd: string[];
  user?: string;
}

/**
 * Replays the stages on disk: each stage is a directory standing for its file system. COPY from the
 * build context goes through .dockerignore (so a file the build needs but the context leaves out fails
 * here as in Docker); COPY --from copies from an earlier stage; RUN runs in the stage's WORKDIR.
 * Stand-in, the one liberty taken: `npm ci ...` links the repository's installed node_modules instead of
 * installing (a superset of what the image gets).
 */
export function replayBuild(repoRoot: string, dockerfile: string, dockerignore: string, outDir: string): BuiltImage {
  const ignored = dockerignoreMatcher(dockerignore);
  const stages = parseDockerfile(dockerfile);
  const roots = new Map<string, string>();
  const workdirs = new Map<string, string>();
  let image: BuiltImage | undefined;
  stages.forEach((stage, index) => {
    const root = join(outDir, `stage-${index}`);
    const parent = roots.get(stage.base);
    if (parent) cpSync(parent, root, { recursive: true, verbatimSymlinks: true });
    else mkdirSync(root, { recursive: true });
    image = { workdir: root, env: {}, cmd: [], user: undefined };
    let workdir = workdirs.get(stage.base) ?? "/";
    for (const { keyword, args } of stage.instructions) {
      const inStage = (path: string) => join(root, posix.resolve(workdir, path));
      if (keyword === "WORKDIR") {
        workdir = posix.resolve(workdir, args);
        mkdirSync(inStage("."), { recursive: true });
      } else if (keyword === "COPY") {
        const copy = parseCopy(args);
        for (const source of copy.sources) {
          const target = copy.destination.endsWith("/") ? posix.join(copy.destination, posix.basename(source)) : copy.destination;
          if (copy.from) cpSync(join(roots.get(copy.from)!, source), inStage(target), { recursive: true, verbatimSymlinks: true });
          else copyFromContext(repoRoot, source, inStage(target), ignored);
        }
      } else if (keyword === "RUN") {
        const command = args.replace(/--mount=\S+\s*/g, "");
        if (/^npm ci\b/.test(command)) symlinkSync(join(repoRoot, "node_modules"), inStage("node_modules"));
        else execSync(command, { cwd: inStage("."), stdio: "pipe" });
      } else if (keyword === "ENV") {
        const [name, ...value] = args.split("=");
        image.env[name] = value.join("=");
      } else if (keyword === "USER") image.user = args;
      else if (keyword === "CMD") image.cmd = execForm(args) ?? ["/bin/sh", "-c", args];
    }
    image.workdir = join(root, workdir);
    roots.set(stage.name ?? String(index), root);
    workdirs.set(stage.name ?? String(index), workdir);
  });
  if (!image) throw new Error("the Dockerfile has no stage");
  return image;
}

function copyFromContext(repoRoot: string, source: string, target: string, ignored: (path: string) => boolean): void {
  const files = walk(repoRoot, source).filter((file) => !ignored(file));
  if (files.length === 0) throw new Error(`COPY ${source}: not in the build context (missing, or excluded by .dockerignore)`);
  const isDirectory = statSync(join(repoRoot, source)).isDirectory();
  for (const file of files) {
    const destination = isDirectory ? join(target, relative(source, file)) : target;
    mkdirSync(join(destination, ".."), { recursive: true });
    cpSync(join(repoRoot, file), destination);
  }
}

/** Files under `path` (relative to root), as context-relative paths with forward slashes. */
function walk(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((entry) => walk(root, posix.join(path, entry)));
}
