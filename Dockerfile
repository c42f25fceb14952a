# syntax=docker/dockerfile:1
# Pierre service image: `node dist/main.js` on Node 24 (the current LTS), as a non-root user, on 8081.
#
#   docker buildx build -t pierre:local .
#
# Stages: deps (all dependencies, for the bundler) -> build (`npm run build`: esbuild bundles in dist/
# with the SQL migrations beside them, and the service bundle's V8 code cache) -> runtime (dist/ and
# package.json only). The bundles hold every module the service, the migration job and the admin CLI
# load, so the runtime has no node_modules at all: no embedded PostgreSQL binaries (local development
# only; required lazily, never in production), no tsx, no esbuild, no sources, no dev tools.
# Base tag pinned to a Node minor on Debian 12 slim; bump it deliberately (Dependabot or by hand).
ARG NODE_IMAGE=node:24.21-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No dependency install script is needed to build (esbuild's JS API finds its platform binary without
# one; the embedded PostgreSQL binaries are for local development only), so none runs in the image build.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json esbuild.config.mjs ./
COPY service ./service
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Files stay owned by root: the service user can read its code but not change it.
# package.json's "type": "module" makes Node load the dist/*.js entry points as ES modules straight away.
COPY package.json ./
# dist/main.js (entry point) with dist/service.cjs and its code cache service.cjs.v8cache,
# dist/migrate-cli.js (the deploy's migration job), dist/admin.js, and dist/migrations/*.sql, which the
# migrator reads from beside its bundle. The code cache is only valid for the Node binary that wrote it:
# the build stage and this one come from the same NODE_IMAGE, so they run the same one.
COPY --from=build /app/dist ./dist
USER node
# Cloud Run sets PORT to the service's containerPort (8081); the service defaults to 8081 without it.
EXPOSE 8081
# No HEALTHCHECK: Cloud Run ignores it; the service's startup and liveness probes call GET /health.
# Node itself is PID 1 (exec form, no npm or shell in between), so SIGTERM reaches the service's
# graceful-shutdown handler directly; the service starts no child processes, so nothing needs reaping.
CMD ["node", "dist/main.js"]
