// The whole runtime configuration, parsed from the environment once at startup and passed down
// explicitly. Nothing else reads process.env.
import { z } from "zod";
// levels.js, not the logging index: the infrastructure stacks import this schema without loading winston.
import { logLevelSchema, type LogLevel } from "./logging/levels.js";
import type { ProviderSettings } from "./providers/index.js";
import { providerEnvSchema, providerSettingsFrom } from "./providers/settings.js";
import { dataServicesConfig, dataServicesEnvSchema, type DataServicesConfig } from "./data-services/config.js";

export interface DatabaseConfig {
  /** Where the database comes from: an explicit URL, pg's PG* variables, or a local embedded cluster. */
  source: "url" | "pg-env" | "embedded";
  /** Connection string; absent for "pg-env", filled in at startup for "embedded". */
  url?: string;
  poolMax: number;
  ssl: "disable" | "require";
  sslCa?: string;
  /**
   * Cloud SQL IAM database authentication: each new connection's password is a short-lived OAuth token
   * of the instance's service account, from the metadata server at this base URL (db/iam-token.ts).
   */
  iamAuth?: { metadataUrl: string };
}

export interface Config {
  production: boolean;
  host: string;
  port: number;
  /** The one canonical external origin: OAuth issuer, resource base, redirects. No trailing slash. */
  publicBaseUrl: string;
  /** The MCP endpoint URL users paste into clients; the `aud` of every MCP access token. */
  mcpResourceUrl: string;
  /** The A2A JSON-RPC endpoint; the `aud` of every A2A access token (so neither kind opens the other door). */
  a2aUrl: string;
  /** Browser origins allowed to call /mcp besides publicBaseUrl's own. */
  allowedOrigins: string[];
  /** Proxy hops in front of the service (Cloud Run's front end, plus the load balancer in prod); 0 locally. */
  trustProxyHops: number;
  bodyLimitBytes: number;
  dataDir: string;
  database: DatabaseConfig;
  logLevel: LogLevel;
  googleCloudProject?: string;
  /** Fraction of new traces sent to Cloud Trace; 0 turns tracing off (tracing/sdk.ts). */
  traceSampleRatio: number;
  shutdownGraceMs: number;
  /** scrypt's cost exponent (log2 N) for new password hashes (identity/passwords.ts). */
  passwordHashCost: number;
  /** 32-byte master key wrapping the data keys; generated into dataDir locally, required in production. */
  encryptionMasterKey?: Buffer;
  /** Fetching OAuth Client ID Metadata Documents (oauth/client-metadata-documents.ts). */
  clientMetadataDocuments: { allowPrivateAddresses: boolean; extraCa?: string };
  /** Configured fitness providers (providers/settings.ts); synthetic is always there. */
  providers: ProviderSettings;
  /** Origin of the provider OAuth callbacks; publicBaseUrl unless PROVIDER_REDIRECT_BASE says otherwise. */
  providerRedirectBase: string;
  /** USDA FoodData Central and OpenWeather (data-services/config.ts). */
  dataServices: DataServicesConfig;
  /** How long a read tool's answer may be given again while the caller's data is unchanged; 0: never (mcp/answer-cache.ts). */
  answerCacheSeconds: number;
}

export class ConfigError extends Error {}

const csv = z
  .string()
  .optional()
  .transform((value) => (value ?? "").split(",").map((item) => item.trim()).filter(Boolean));

/**
 * Every environment variable the service reads: the one definition the deployment (stacks/service.ts)
 * types its env block against, so a variable the service does not know cannot be set there.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  PUBLIC_BASE_URL: z.url().optional(),
  ALLOWED_ORIGINS: csv.pipe(z.array(z.url())),
  // No proxy unless the deployment says so: trusting a hop that is not there lets clients pick their own
  // address (X-Forwarded-For) and walk around every per-IP limit. The stacks set 1 or 2 (see README).
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(100_000),
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  PGHOST: z.string().min(1).optional(),
  // Read by pg itself with PGHOST (not by loadConfig): declared so the deployment may set them.
  PGPORT: z.coerce.number().int().min(1).max(65535).optional(),
  PGDATABASE: z.string().min(1).optional(),
  PGUSER: z.string().min(1).optional(),
  // Split between the main pool and the rate-limit counters' pool (db/pool.ts), so at least 2.
  DB_POOL_MAX: z.coerce.number().int().min(2).max(100).default(10),
  DATABASE_SSL: z.enum(["disable", "require"]).optional(),
  DATABASE_SSL_CA: z.string().includes("BEGIN CERTIFICATE", { message: "must be a PEM certificate" }).optional(),
  // "gcp-iam": the PG* user is an IAM principal and its password a token (Cloud SQL IAM database auth).
  DATABASE_AUTH: z.enum(["password", "gcp-iam"]).default("password"),
  GCP_METADATA_URL: z.url().default("http://metadata.google.internal"),
  LOG_LEVEL: logLevelSchema,
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(8_000),
  PASSWORD_HASH_COST: z.coerce.number().int().min(4).max(20).default(15),
  // Bounds what no data version captures: "today" rolling over, a provider cache lifetime running out.
  ANSWER_CACHE_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
  CLIENT_METADATA_ALLOW_PRIVATE_ADDRESSES: z.enum(["true", "false"]).default("false"),
  CLIENT_METADATA_CA: z.string().includes("BEGIN CERTIFICATE", { message: "must be a PEM certificate" }).optional(),
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .transform((value) => Buffer.from(value, "base64"))
    .refine((key) => key.length === 32, "must be 32 bytes, base64-encoded (openssl rand -base64 32)")
    .optional(),
}).extend(providerEnvSchema.shape).extend(dataServicesEnvSchema.shape);

export type ServiceVariable = keyof typeof envSchema.shape;

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  if (production && !e.PUBLIC_BASE_URL) throw new ConfigError("PUBLIC_BASE_URL is required in production");
  if (production && !publicBaseUrl.startsWith("https://")) throw new ConfigError("PUBLIC_BASE_URL must be https in production");
  if (new URL(publicBaseUrl).pathname !== "/") throw new ConfigError("PUBLIC_BASE_URL must be an origin without a path");
  if (production && !e.TOKEN_ENCRYPTION_KEY) throw new ConfigError("TOKEN_ENCRYPTION_KEY is required in production");

  const providers = providerSettingsFrom(e);
  if (providers.problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${providers.problems.join("\n  ")}`);

  const source: DatabaseConfig["source"] = e.DATABASE_URL ? "url" : e.PGHOST ? "pg-env" : "embedded";
  if (production && source === "embedded") throw new ConfigError("DATABASE_URL or PGHOST is required in production");
  if (e.DATABASE_AUTH === "gcp-iam" && source !== "pg-env") throw new ConfigError("DATABASE_AUTH=gcp-iam needs PGHOST (and no DATABASE_URL)");

  return {
    production,
    // Locally only this machine can reach the server; containers must listen on every interface.
    host: e.HOST ?? (production ? "0.0.0.0" : "127.0.0.1"),
    port: e.PORT,
    publicBaseUrl,
    mcpResourceUrl: `${publicBaseUrl}/mcp`,
    a2aUrl: `${publicBaseUrl}/a2a`,
    allowedOrigins: e.ALLOWED_ORIGINS.map((origin) => new URL(origin).origin),
    trustProxyHops: e.TRUST_PROXY_HOPS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    dataDir: e.DATA_DIR,
    database: {
      source,
      url: e.DATABASE_URL,
      poolMax: e.DB_POOL_MAX,
      ssl: e.DATABASE_SSL ?? (source === "pg-env" ? "require" : "disable"),
      sslCa: e.DATABASE_SSL_CA,
      iamAuth: e.DATABASE_AUTH === "gcp-iam" ? { metadataUrl: e.GCP_METADATA_URL.replace(/\/+$/, "") } : undefined,
    },
    logLevel: e.LOG_LEVEL,
    googleCloudProject: e.GOOGLE_CLOUD_PROJECT,
    // Off locally unless asked for; a tenth of new traces on Cloud Run.
    traceSampleRatio: e.TRACE_SAMPLE_RATIO ?? (production ? 0.1 : 0),
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    passwordHashCost: e.PASSWORD_HASH_COST,
    encryptionMasterKey: e.TOKEN_ENCRYPTION_KEY,
    clientMetadataDocuments: {
      allowPrivateAddresses: e.CLIENT_METADATA_ALLOW_PRIVATE_ADDRESSES === "true",
      extraCa: e.CLIENT_METADATA_CA,
    },
    providers: providers.settings,
    providerRedirectBase: (e.PROVIDER_REDIRECT_BASE ?? publicBaseUrl).replace(/\/+$/, ""),
    dataServices: dataServicesConfig(e),
    answerCacheSeconds: e.ANSWER_CACHE_SECONDS,
  };
}
