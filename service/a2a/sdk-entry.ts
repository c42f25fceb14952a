// The SDK's modules the A2A face uses, as one module: bundled on its own as dist/a2a-sdk.cjs
// (esbuild.config.mjs) and required from sdk.ts on the first A2A request.
export * as core from "@a2a-js/sdk";
export * as server from "@a2a-js/sdk/server";
export * as express from "@a2a-js/sdk/server/express";
