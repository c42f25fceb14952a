// The tool catalog, built once per process: definitions, JSON Schemas and the tools/list result are
// shared by every request.
import type { ListToolsResult } from "@modelcontextprotocol/sdk/types.js";
import { listOwnApiKeys } from "./api-keys.js";
import { getConnectionStatus } from "./connections.js";
import { TRAINING_TOOLS } from "./training.js";
import type { McpTool } from "./tool.js";
import { whoami } from "./whoami.js";

export interface ToolCatalog {
  find(name: string): McpTool | undefined;
  /** The complete tools/list result (no pagination: the catalog is small). */
  listResult: ListToolsResult;
}

export function createToolCatalog(tools: McpTool[]): ToolCatalog {
  const byName = new Map(tools.map((tool) => [tool.definition.name, tool]));
  if (byName.size !== tools.length) throw new Error("duplicate tool name");
  const listResult = deepFreeze({ tools: tools.map((tool) => tool.definition) });
  return { find: (name) => byName.get(name), listResult };
}

export const PIERRE_TOOLS: McpTool[] = [whoami, getConnectionStatus, listOwnApiKeys, ...TRAINING_TOOLS];

// Shared between concurrent requests: freezing makes an accidental mutation fail loudly.
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export { ToolError, type McpTool, type ToolContext, type ToolServices } from "./tool.js";
