// The one place the service's object graph is built: pools, outage log, keyring, signing keys, access
// tokens, grants, OAuth, rate limiter. The HTTP server (server.ts), the admin CLI and the migration job
// (entry/) all start from composeService, so each collaborator is constructed once, here, and handed to
// the modules that use it. Nothing is connected at construction: pg pools open connections on first use.
import type pg from "pg";
import type { Logger } from "winston";
import type { Config } from "./config.js";
import { createA2aServices, type A2aServices } from "./a2a/index.js";
import { Keyring } from "./crypto/envelope.js";
import { createFitnessServices, type FitnessServices } from "./fitness/index.js";
import { createDataServices, type DataServices } from "./data-services/index.js";
import { createNotificationListener } from "./db/notifications.js";
import { createOutageLog, isDatabaseUnavailable, type OutageLog } from "./db/outage.js";
import { createServicePools, type ServicePools } from "./db/pool.js";
import { logOutboundCalls } from "./providers/call-log.js";
import { AccessTokens } from "./oauth/access-tokens.js";
import { Grants } from "./oauth/grants.js";
import { createOAuth, type OAuth } from "./oauth/index.js";
import { SigningKeys } from "./oauth/signing-keys.js";
import { realOutboundDeps } from "./providers/outbound.js";
import { createRateLimiter, type RateLimiter } from "./ratelimit/index.js";
import { AnswerCache } from "./mcp/answer-cache.js";

export interface ServiceGraph {
  config: Config;
  logger: Logger;
  pool: pg.Pool;
  /** For the rate-limit counters only (asynchronous commit, see db/pool.ts). */
  counterPool: pg.Pool;
  outages: OutageLog;
  /** Envelope encryption; absent only when no master key is configured (tests of other parts). */
  keyring: Keyring | undefined;
  signingKeys: SigningKeys;
  accessTokens: AccessTokens;
  grants: Grants;
  oauth: OAuth;
  rateLimiter: RateLimiter;
  /** Providers, token vault, connect flow, sync; absent without a master key (tokens cannot be stored). */
  fitness: FitnessServices | undefined;
  /** USDA and OpenWeather clients, each present when its API key is configured. */
  dataServices: DataServices;
  /** Read tools' answers this instance may give again while the caller's data is unchanged. */
  answers: AnswerCache;
  /** The A2A face's task events and skill catalog (its SDK side loads on the first A2A request). */
  a2a: A2aServices;
  /** Ends the pools; what uses them must have stopped first. */
  close(): Promise<void>;
}

/** `pools`: existing ones to build on instead of new ones (a test's second instance on the same database). */
export function composeService(config: Config, logger: Logger, pools: ServicePools = createServicePools(config.database, logger)): ServiceGraph {
  const { pool, counterPool } = pools;
  const outages = createOutageLog(logger);
  // Idle connections all fail together when the database goes away: one outage, not one line each.
  const onIdleConnectionError = (error: Error) => {
    if (isDatabaseUnavailable(error)) outages.report(error);
    else logger.error("idle database connection failed", { error });
  };
  pool.on("error", onIdleConnectionError);
  counterPool.on("error", onIdleConnectionError);

  const keyring = config.encryptionMasterKey ? new Keyring(pool, config.encryptionMasterKey) : undefined;
  const signingKeys = new SigningKeys(pool, keyring, logger);
  const accessTokens = new AccessTokens(config, pool, signingKeys);
  const grants = new Grants(pool, accessTokens, logger);
  const notifications = createNotificationListener(pool, logger);
  const fitness = keyring && createFitnessServices({ config, pool, keyring, logger, notifications });
  const a2a = createA2aServices(notifications);
  return {
    config,
    logger,
    pool,
    counterPool,
    outages,
    keyring,
    signingKeys,
    accessTokens,
    grants,
    oauth: createOAuth({ config, pool, logger, signingKeys, accessTokens, grants }),
    rateLimiter: createRateLimiter({ pool: counterPool, logger, outages }),
    answers: new AnswerCache({ ttlMs: config.answerCacheSeconds * 1000 }),
    fitness,
    dataServices: createDataServices(
      config.dataServices,
      pool,
      realOutboundDeps({ observer: logOutboundCalls(logger) }),
      (error) => logger.warn("external cache sweep failed", { error }),
    ),
    a2a,
    close: async () => {
      // The notification listener holds a pool connection until closed.
      await notifications.close();
      await Promise.all([pool.end(), counterPool.end()]);
    },
  };
}
