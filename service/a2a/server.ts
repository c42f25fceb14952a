// The SDK side of the A2A face, loaded on the first A2A request (router.ts): @a2a-js/sdk with its Express
// integration costs ~150 ms to import, which the cold start of an instance that may never see an A2A
// call should not pay. Assembles the SDK's DefaultRequestHandler from the collaborators composition.ts
// passed in (pool, task events, catalogs) and the SDK-bound pieces that need the SDK loaded: the
// PostgreSQL task store, the cross-instance event buses and the skill executor.
import { AgentCard } from "@a2a-js/sdk";
import { DefaultRequestHandler } from "@a2a-js/sdk/server";
import { agentCardHandler, jsonRpcHandler } from "@a2a-js/sdk/server/express";
import type { RequestHandler } from "express";
import type { Logger } from "winston";
import type { Config } from "../config.js";
import type { Queryable } from "../db/pool.js";
import type { ToolCatalog } from "../mcp/tools/index.js";
import type { A2aCaller } from "./caller.js";
import { agentCard } from "./card.js";
import { FollowingEventBuses } from "./event-buses.js";
import { SkillExecutor } from "./executor.js";
import type { SkillCatalog } from "./skills.js";
import type { TaskEvents } from "./task-events.js";
import { PostgresTaskStore } from "./task-store.js";

export interface A2aServerDeps {
  config: Pick<Config, "publicBaseUrl" | "a2aUrl">;
  db: Queryable;
  logger: Logger;
  taskEvents: TaskEvents;
  skills: SkillCatalog;
  tools: ToolCatalog;
  now: () => number;
}

export interface A2aServer {
  /** GET of the agent card. */
  card: RequestHandler;
  /** POST of one JSON-RPC request, authenticated by the router (the caller rides on the request). */
  jsonRpc: RequestHandler;
}

export function createA2aServer(deps: A2aServerDeps, callerOfRequest: (req: Parameters<RequestHandler>[0]) => A2aCaller): A2aServer {
  const store = new PostgresTaskStore(deps.db);
  const buses = new FollowingEventBuses(deps.taskEvents, store, deps.logger);
  const executor = new SkillExecutor({ db: deps.db, skills: deps.skills, log: deps.logger, now: deps.now });
  const card = agentCard(deps.config, deps.skills, deps.tools);
  // keepBusAliveStates []: a bus lives as long as its execution; a follow-up message (input-required) may
  // land on any instance and starts a bus there.
  const handler = new DefaultRequestHandler(card, store, executor, buses, undefined, undefined, undefined, undefined, { keepBusAliveStates: [] });
  // The handler writes what the provider returns verbatim; the wire form is the protocol's JSON (the SDK's
  // own objects spell oneofs as {$case, value}, which no client reads).
  const wireCard = AgentCard.toJSON(card) as AgentCard;
  return {
    card: agentCardHandler({ agentCardProvider: async () => wireCard }),
    jsonRpc: jsonRpcHandler({ requestHandler: handler, userBuilder: async (req) => callerOfRequest(req) }),
  };
}
