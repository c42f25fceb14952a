// `node dist/main.js`, the container's entry point (esbuild.config.mjs builds it). It starts the service
// bundle, dist/service.cjs, through the V8 code cache that the build wrote beside it (boot/code-cache.ts);
// `--write-code-cache` is that build step: load the bundle, write the cache, exit.
import { fileURLToPath } from "node:url";
import type { startService } from "../start.js";
import { loadBundle } from "../boot/code-cache.js";

// Node 21+ defines navigator. Node 20 does not, and then pg, when loaded, probes for Cloudflare Workers
// by constructing a fetch Response, which loads Node's whole fetch implementation (~15 ms of cold start).
(globalThis as { navigator?: { userAgent: string } }).navigator ??= { userAgent: `Node.js/${process.versions.node.split(".")[0]}` };

const bundle = loadBundle<{ startService: typeof startService }>(fileURLToPath(new URL("./service.cjs", import.meta.url)));
if (process.argv.includes("--write-code-cache")) {
  bundle.writeCodeCache();
} else {
  void bundle.exports.startService({ codeCache: bundle.codeCache });
}
