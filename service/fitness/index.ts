// The fitness layer's collaborators, built once by the composition root: the provider registry (with the
// outbound observer and the shared rate-limit sink), the token vault and the connect flow.
import type pg from "pg";
import type { Logger } from "winston";
import type { Config } from "../config.js";
import type { Keyring } from "../crypto/envelope.js";
import { logOutboundCalls } from "../providers/call-log.js";
import { createProviderRegistry, type ProviderRegistry } from "../providers/index.js";
import { realOutboundDeps } from "../providers/outbound.js";
import { createConnectService, type ConnectService } from "./connect.js";
import { TokenVault } from "./token-vault.js";

export interface FitnessServices {
  registry: ProviderRegistry;
  vault: TokenVault;
  connect: ConnectService;
}

export interface FitnessDeps {
  config: Pick<Config, "providers" | "providerRedirectBase">;
  pool: pg.Pool;
  keyring: Keyring;
  logger: Logger;
}

export function createFitnessServices({ config, pool, keyring, logger }: FitnessDeps): FitnessServices {
  const registry = createProviderRegistry(config.providers, realOutboundDeps({ observer: logOutboundCalls(logger) }));
  const vault = new TokenVault(keyring);
  const connect = createConnectService({ pool, keyring, vault, registry, redirectBase: config.providerRedirectBase });
  return { registry, vault, connect };
}
