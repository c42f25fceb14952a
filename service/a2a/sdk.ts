// @a2a-js/sdk, required on the first A2A request rather than imported: with its Express integration it
// takes ~150 ms to load, which the cold start of an instance that may never see an A2A call should not
// pay. require(), not import(): the production bundle runs as a V8-cached script (boot/code-cache.ts),
// where Node 20 cannot resolve an import(). The runtime image has no node_modules, so the build bundles
// sdk-entry.ts on its own as dist/a2a-sdk.cjs beside dist/service.cjs; from source (tsx) the entry
// module itself is required. Modules that need the SDK's values receive them from here.
import { createRequire } from "node:module";

export type A2aSdk = typeof import("./sdk-entry.js");

/** The file name esbuild.config.mjs gives the SDK's bundle (entry "a2a-sdk"). */
const SDK_BUNDLE = "a2a-sdk.cjs";

export function requireA2aSdk(): A2aSdk {
  // In the service bundle import.meta.url is dist/service.cjs (esbuild.config.mjs defines it so).
  const bundled = import.meta.url.endsWith(".cjs");
  return createRequire(import.meta.url)(bundled ? `./${SDK_BUNDLE}` : "./sdk-entry.ts") as A2aSdk;
}

export type TaskStates = A2aSdk["core"]["TaskState"];
