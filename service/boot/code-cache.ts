// Runs a CommonJS bundle through V8's code cache: the compiled bytecode of the bundle's startup,
// written once at build time and handed back to V8 on every start, so a cold start deserializes code
// instead of parsing and compiling ~2 MB of JavaScript (what Node 22's module.enableCompileCache does;
// Node 20 has no such switch). V8 rejects a cache made by another V8 version or with other flags; then
// the bundle compiles normally and the state says "rejected".
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

export type CodeCacheState = "used" | "rejected" | "absent";

export interface LoadedBundle<Exports> {
  exports: Exports;
  codeCache: CodeCacheState;
  /** Writes this bundle's cache from what V8 has compiled so far: run it once the bundle is loaded. */
  writeCodeCache(): void;
}

// V8 checks a cache against the source's length only, so the cache file starts with the SHA-256 of the
// bundle it was made from: a cache left over from another build is never applied to this one.
const HASH_BYTES = 32;

export function codeCachePath(bundlePath: string): string {
  return `${bundlePath}.v8cache`;
}

/** The bundle must be ASCII (the build checks), which lets it be read without UTF-8 decoding. */
export function loadBundle<Exports>(bundlePath: string): LoadedBundle<Exports> {
  const bytes = readFileSync(bundlePath);
  const sourceHash = createHash("sha256").update(bytes).digest();
  const cache = readCache(codeCachePath(bundlePath), sourceHash);
  // The wrapper's own line is numbered -1, so that stack traces and source maps see the file's positions.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {\n${bytes.toString("latin1")}\n})`;
  // No importModuleDynamically: on Node 20 it needs --experimental-vm-modules, so the bundle must not
  // contain import() (the build checks).
  const script = new Script(wrapped, { filename: bundlePath, lineOffset: -1, cachedData: cache.data });
  const module = { exports: {} as Exports };
  script.runInThisContext()(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  return {
    exports: module.exports,
    codeCache: cache.state === "used" && script.cachedDataRejected ? "rejected" : cache.state,
    writeCodeCache() {
      const target = codeCachePath(bundlePath);
      writeFileSync(`${target}.tmp`, Buffer.concat([sourceHash, script.createCachedData()]));
      renameSync(`${target}.tmp`, target);
    },
  };
}

/** The cached data for this bundle, if the file holds any; one made from another bundle is "rejected". */
function readCache(path: string, sourceHash: Buffer): { state: CodeCacheState; data?: Buffer } {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return { state: "absent" };
  }
  if (!file.subarray(0, HASH_BYTES).equals(sourceHash)) return { state: "rejected" };
  return { state: "used", data: file.subarray(HASH_BYTES) };
}
