// The tool catalog, built once per process: definitions, JSON Schemas and the tools/list result are
// shared by every request.
import type { ListToolsResult } from "@modelcontextprotocol/sdk/types.js";
import { listOwnApiKeys } from "./api-keys.js";
import { connectProvider, disconnectProvider, getConnectionStatus } from "./connections.js";
import { getActivities, getActivity, getAthlete, getSleep, getStats } from "./fitness-data.js";
import { TRAINING_TOOLS } from "./training.js";
import { TIERS, type Tier } from "../../identity/tiers.js";
import { TOOL_TIERS } from "./tiers.js";
import type { McpTool } from "./tool.js";
import { whoami } from "./whoami.js";

export interface ToolCatalog {
  find(name: string): McpTool | undefined;
  /** The first tier that may call `name` (tiers.ts). */
  tierOf(name: string): Tier;
  mayCall(tier: Tier, name: string): boolean;
  /** The tools/list result for a tier (no pagination: the catalog is small). */
  list(tier: Tier): ListToolsResult;
}

export function createToolCatalog(tools: McpTool[], toolTiers: Readonly<Record<string, Tier>> = TOOL_TIERS): ToolCatalog {
  const byName = new Map(tools.map((tool) => [tool.definition.name, tool]));
  if (byName.size !== tools.length) throw new Error("duplicate tool name");
  const unlisted = tools.filter((tool) => !toolTiers[tool.definition.name]).map((tool) => tool.definition.name);
  if (unlisted.length) throw new Error(`tools without a tier in TOOL_TIERS: ${unlisted.join(", ")}`);
  const rank = (tier: Tier) => TIERS.indexOf(tier);
  const mayCall = (tier: Tier, name: string) => rank(toolTiers[name]) <= rank(tier);
  const lists = new Map(
    TIERS.map((tier) => [tier, deepFreeze({ tools: tools.filter((tool) => mayCall(tier, tool.definition.name)).map((tool) => tool.definition) })]),
  );
  return { find: (name) => byName.get(name), tierOf: (name) => toolTiers[name], mayCall, list: (tier) => lists.get(tier)! };
}

export const PIERRE_TOOLS: McpTool[] = [
  whoami,
  getConnectionStatus,
  listOwnApiKeys,
  connectProvider,
  disconnectProvider,
  getActivities,
  getActivity,
  getAthlete,
  getStats,
  getSleep,
  ...TRAINING_TOOLS,
];

// Shared between concurrent requests: freezing makes an accidental mutation fail loudly.
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export { ToolError, type McpTool, type ToolContext, type ToolServices } from "./tool.js";
