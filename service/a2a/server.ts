// The SDK side of the A2A face, built on the first A2A request (router.ts) with the SDK required then
// (sdk.ts). Assembles the SDK's DefaultRequestHandler from the collaborators composition.ts passed in
// (pool, task events, catalogs) and the SDK-bound pieces that need the SDK's values: the PostgreSQL
// task and push-config stores, the cross-instance event buses, the skill executor and the guarded
// push notification sender.
import type { AgentCard } from "@a2a-js/sdk";
import type { RequestHandler } from "express";
import type { Logger } from "winston";
import type { Config } from "../config.js";
import type { OutageLog } from "../db/outage.js";
import type { Queryable } from "../db/pool.js";
import type { ToolCatalog } from "../mcp/tools/index.js";
import type { A2aCaller } from "./caller.js";
import { agentCard } from "./card.js";
import { FollowingEventBuses, terminalStates } from "./event-buses.js";
import { SkillExecutor, type ExecutorDeps } from "./executor.js";
import { requireA2aSdk } from "./sdk.js";
import type { SkillCatalog } from "./skills.js";
import type { TaskEvents } from "./task-events.js";
import { GuardedPushSender, PostgresPushStore, PUSH_DEFAULTS } from "./push.js";
import { PostgresTaskStore } from "./task-store.js";

export interface A2aServerDeps {
  config: Pick<Config, "publicBaseUrl" | "a2aUrl" | "clientMetadataDocuments">;
  db: Queryable;
  logger: Logger;
  outages: OutageLog;
  taskEvents: TaskEvents;
  skills: SkillCatalog;
  tools: ToolCatalog;
  now: () => number;
  refreshOwner?: ExecutorDeps["refreshOwner"];
}

export interface A2aServer {
  /** GET of the agent card. */
  card: RequestHandler;
  /** POST of one JSON-RPC request, authenticated by the router (the caller rides on the request). */
  jsonRpc: RequestHandler;
}

export function createA2aServer(deps: A2aServerDeps, callerOfRequest: (req: Parameters<RequestHandler>[0]) => A2aCaller): A2aServer {
  const sdk = requireA2aSdk();
  const isTerminal = terminalStates(sdk.core.TaskState);
  const failures = { log: deps.logger, outages: deps.outages };
  const store = new PostgresTaskStore(deps.db, sdk.core, failures);
  const buses = new FollowingEventBuses(deps.taskEvents, store, isTerminal, deps.logger);
  const executor = new SkillExecutor({ db: deps.db, skills: deps.skills, log: deps.logger, now: deps.now, sdk: sdk.core, isTerminal, refreshOwner: deps.refreshOwner });
  const card = agentCard(deps.config, deps.skills, deps.tools, sdk.core.A2A_PROTOCOL_VERSION);
  const pushStore = new PostgresPushStore(deps.db, sdk.core, failures);
  // The same SSRF rules and knobs as OAuth client metadata documents: both are URLs a client names.
  const pushSender = new GuardedPushSender(pushStore, sdk, { ...PUSH_DEFAULTS, ...deps.config.clientMetadataDocuments }, deps.logger);
  // keepBusAliveStates []: a bus lives as long as its execution; a follow-up message (input-required) may
  // land on any instance and starts a bus there.
  const handler = new sdk.server.DefaultRequestHandler(card, store, executor, buses, pushStore, pushSender, undefined, undefined, { keepBusAliveStates: [] });
  // The handler writes what the provider returns verbatim; the wire form is the protocol's JSON (the SDK's
  // own objects spell oneofs as {$case, value}, which no client reads).
  const wireCard = sdk.core.AgentCard.toJSON(card) as AgentCard;
  return {
    card: sdk.express.agentCardHandler({ agentCardProvider: async () => wireCard }),
    jsonRpc: sdk.express.jsonRpcHandler({ requestHandler: handler, userBuilder: async (req) => callerOfRequest(req) }),
  };
}
