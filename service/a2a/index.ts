// The A2A face (issue 12). composition.ts builds A2aServices once (the task events channel, the skill
// catalog over the MCP tool catalog); app.ts mounts a2aFace, whose SDK side loads on the first A2A request.
import type { Router } from "express";
import type pg from "pg";
import type { Logger } from "winston";
import type { Config } from "../config.js";
import type { NotificationListener } from "../db/notifications.js";
import type { OutageLog } from "../db/outage.js";
import { createToolCatalog, PIERRE_TOOLS, type ToolCatalog } from "../mcp/tools/index.js";
import type { OAuthPrincipal } from "../oauth/index.js";
import type { RateLimiter } from "../ratelimit/index.js";
import { a2aRouter } from "./router.js";
import type { SyncService } from "../fitness/sync.js";
import { createA2aServer } from "./server.js";
import { createSkillCatalog, type SkillCatalog } from "./skills.js";
import { createTaskEvents, type TaskEvents } from "./task-events.js";

export interface A2aServices {
  /** Task changes from every instance; close before the pool ends. */
  taskEvents: TaskEvents;
  skills: SkillCatalog;
  tools: ToolCatalog;
}

export function createA2aServices(notifications: NotificationListener): A2aServices {
  const tools = createToolCatalog(PIERRE_TOOLS);
  return { taskEvents: createTaskEvents(notifications), skills: createSkillCatalog(tools), tools };
}

export interface A2aFaceDeps {
  config: Config;
  pool: pg.Pool;
  logger: Logger;
  outages: OutageLog;
  rateLimiter: RateLimiter;
  verifyA2aToken(token: string): Promise<OAuthPrincipal | undefined>;
  services: A2aServices;
  /** The fitness layer's sync, when there is one: skills bring the user's connections up to date first. */
  sync: Pick<SyncService, "refreshOwner"> | undefined;
}

export function a2aFace({ config, pool, logger, outages, rateLimiter, verifyA2aToken, services, sync }: A2aFaceDeps): Router {
  const { taskEvents, skills, tools } = services;
  return a2aRouter({
    config,
    rateLimiter,
    verifyA2aToken,
    skills,
    loadServer: async (callerOfRequest) => createA2aServer({ config, db: pool, logger, outages, taskEvents, skills, tools, now: Date.now, refreshOwner: sync && ((owner) => sync.refreshOwner(owner)) }, callerOfRequest),
  });
}
