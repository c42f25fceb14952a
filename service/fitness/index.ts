// The fitness layer's collaborators, built once by the composition root: the provider registry (with the
// outbound observer and the shared rate-limit sink), the token vault, the connect flow, sync and the cross-instance connection events.
import type pg from "pg";
import type { Logger } from "winston";
import type { Config } from "../config.js";
import type { Keyring } from "../crypto/envelope.js";
import type { NotificationListener } from "../db/notifications.js";
import { logOutboundCalls } from "../providers/call-log.js";
import { createProviderRegistry, type ProviderRegistry } from "../providers/index.js";
import { realOutboundDeps } from "../providers/outbound.js";
import { createTokenAccess } from "./access.js";
import { createConnectService, type ConnectService } from "./connect.js";
import { createConnectionEvents, type ConnectionEvents } from "./notifier.js";
import { recordRateLimit } from "./rate-limits.js";
import { createSyncService, type SyncService } from "./sync.js";
import { TokenVault } from "./token-vault.js";

export interface FitnessServices {
  registry: ProviderRegistry;
  connect: ConnectService;
  sync: SyncService;
  /** Connection events from every instance, for the notification streams. Close before the pool ends. */
  events: ConnectionEvents;
}

export interface FitnessDeps {
  config: Pick<Config, "providers" | "providerRedirectBase">;
  pool: pg.Pool;
  keyring: Keyring;
  logger: Logger;
  /** The instance's LISTEN connection, which the connection events share with the A2A task events. */
  notifications: NotificationListener;
  /** The sync lease's length in seconds (sync.ts); tests shorten it. */
  syncLeaseSeconds?: number;
}

export function createFitnessServices({ config, pool, keyring, logger, notifications, syncLeaseSeconds }: FitnessDeps): FitnessServices {
  const outbound = realOutboundDeps({
    observer: logOutboundCalls(logger),
    // Shared with every instance; a lost write only means one more call to a provider that will say wait again.
    onRateLimit: (state) => void recordRateLimit(pool, state).catch((error: unknown) => logger.warn("storing provider rate-limit state failed", { error })),
  });
  const registry = createProviderRegistry(config.providers, outbound);
  const vault = new TokenVault(keyring);
  const connect = createConnectService({ pool, keyring, vault, registry, redirectBase: config.providerRedirectBase, log: logger });
  const access = createTokenAccess({ pool, vault, registry, now: Date.now, log: logger });
  const sync = createSyncService({ pool, registry, access, logger, now: Date.now, leaseSeconds: syncLeaseSeconds });
  return { registry, connect, sync, events: createConnectionEvents(notifications) };
}
