// The training-intelligence tools (issue 9), in the order tools/list shows them.
import { deleteFitnessConfigTool, getFitnessConfig, listFitnessConfigsTool, setFitnessConfig } from "./fitness-config.js";
import type { McpTool } from "./tool.js";

export const TRAINING_TOOLS: McpTool[] = [getFitnessConfig, setFitnessConfig, listFitnessConfigsTool, deleteFitnessConfigTool];
