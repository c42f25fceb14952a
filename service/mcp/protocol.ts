// The MCP protocol object for one HTTP request.
//
// Why a new low-level `Server` per request instead of one McpServer: a Protocol instance holds one
// transport (connect() throws when already connected) and keys in-flight requests by JSON-RPC id, so one
// server cannot safely serve concurrent requests of different clients; and a stateless transport
// refuses a second request. McpServer, built per request as in the SDK's stateless example, re-registers
// every tool and converts every zod schema to JSON Schema on each tools/list. Here everything expensive
// is built once (tool catalog, JSON Schemas, the tools/list result, the JSON Schema validator) and a
// request only pays for a bare Server and two handler registrations.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type JSONRPCRequest,
} from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import packageJson from "../../package.json" with { type: "json" };
import { isDatabaseUnavailable } from "../db/outage.js";
import { JSON_RPC_ERROR } from "../http/json-rpc.js";
import { emitEvent, tenantBucket, type EventFields } from "../logging/events.js";
import { withSpan } from "../tracing/spans.js";
import { getPrompt, PROMPT_LIST } from "./prompts.js";
import { readResource, RESOURCE_LIST } from "./resources.js";
import type { ToolCatalog, ToolContext } from "./tools/index.js";

const SERVER_ERROR = JSON_RPC_ERROR.serverError;

const SERVER_INFO = { name: "pierre", version: packageJson.version };

const INSTRUCTIONS =
  "Pierre reads the caller's fitness data from connected providers (Strava, Garmin, Fitbit). " +
  "Call whoami to see the account, tier and remaining quota, get_connection_status to see which providers are connected.";

// The Server only validates elicitation replies with it (Pierre never elicits); by default it would
// build a new Ajv instance per Server, i.e. per request. Built on first use, so not at startup.
let ajv: AjvJsonSchemaValidator | undefined;
const jsonSchemaValidator: jsonSchemaValidator = {
  getValidator: (schema) => (ajv ??= new AjvJsonSchemaValidator()).getValidator(schema),
};

/** Set by the request's Server when a tool failed because the database is unreachable (router: 503). */
export interface RequestFailures {
  databaseUnavailable?: unknown;
}

export function createRequestServer(catalog: ToolCatalog, context: ToolContext, failures: RequestFailures): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: { listChanged: false }, resources: { listChanged: false }, prompts: { listChanged: false } },
    instructions: INSTRUCTIONS,
    jsonSchemaValidator,
  });
  server.setRequestHandler(ListToolsRequestSchema, () => catalog.list(context.principal.tier));
  server.setRequestHandler(ListResourcesRequestSchema, () => RESOURCE_LIST);
  server.setRequestHandler(ReadResourceRequestSchema, (request) =>
    guarded(context, failures, { message: "resource read failed", uri: request.params.uri }, async () => {
      const result = await readResource(request.params.uri, context);
      // -32002: the MCP specification's code for a resource that does not exist.
      if (!result) throw new JsonRpcError(RESOURCE_NOT_FOUND, `Resource not found: ${request.params.uri}`);
      return result;
    }),
  );
  server.setRequestHandler(ListPromptsRequestSchema, () => PROMPT_LIST);
  server.setRequestHandler(GetPromptRequestSchema, (request) => {
    const result = getPrompt(request.params.name, request.params.arguments);
    if (typeof result === "string") throw new JsonRpcError(ErrorCode.InvalidParams, result);
    return result;
  });
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name, arguments: args } = request.params;
    const startedAt = performance.now();
    const toolCall = (outcome: ToolCallOutcome) => emitToolCall(context, name, outcome, startedAt);
    const tool = catalog.find(name);
    if (!tool) {
      toolCall("unknown_tool");
      // Unknown tools are a protocol error (-32602), as the MCP specification's tools page shows.
      throw new JsonRpcError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    }
    // A tool error rather than a protocol error: the model reads it and can tell the user what to upgrade.
    if (!catalog.mayCall(context.principal.tier, name)) {
      toolCall("error");
      const needed = catalog.tierOf(name);
      return {
        content: [{ type: "text", text: `${name} needs the ${needed} tier; this credential runs at the ${context.principal.tier} tier.` }],
        isError: true,
      };
    }
    try {
      const result = await guarded(context, failures, { message: "tool failed", tool: name }, () =>
        withSpan(`tool ${name}`, { attributes: { "mcp.tool.name": name } }, () => tool.call(args, context)),
      );
      toolCall(result.isError ? "error" : "ok");
      return result;
    } catch (error) {
      toolCall(failures.databaseUnavailable === undefined ? "internal_error" : "unavailable");
      throw error;
    }
  });
  return server;
}

const RESOURCE_NOT_FOUND = -32002;

type ToolCallOutcome = EventFields<"tool_call">["outcome"];

function emitToolCall(context: ToolContext, name: string, outcome: ToolCallOutcome, startedAt: number): void {
  emitEvent(context.log, "tool_call", {
    // The name a client sent is not a label value: only catalog names are.
    tool: outcome === "unknown_tool" ? "unknown" : name,
    outcome,
    tenantBucket: tenantBucket(context.principal.tenant.id),
    authMethod: context.principal.via,
    durationMs: performance.now() - startedAt,
  });
}

const RESULT_OPEN = Buffer.from('{"result":');

/**
 * The JSON-RPC response to a tools/call that a kept answer (answer-cache.ts) can answer, as bytes to write,
 * or undefined when the call has to run. It is the response the Server would send (the SDK writes result,
 * jsonrpc and id, in that order), without building a Server or serializing the answer again. `request`
 * is a tools/call whose params passed invalidParamsAnswer (params.ts). Its tool_call event is logged as
 * for any call; it has no span of its own (nothing runs), so traces show it as the request's span alone.
 */
export function keptToolAnswer(catalog: ToolCatalog, context: ToolContext, request: JSONRPCRequest): Buffer | undefined {
  if (request.method !== "tools/call") return undefined;
  const startedAt = performance.now();
  const { name, arguments: args } = request.params as { name: string; arguments?: unknown };
  const tool = catalog.find(name);
  if (!tool || !catalog.mayCall(context.principal.tier, name)) return undefined;
  const json = tool.kept(args, context);
  if (!json) return undefined;
  emitToolCall(context, name, "ok", startedAt);
  return Buffer.concat([RESULT_OPEN, json, Buffer.from(`,"jsonrpc":"2.0","id":${JSON.stringify(request.id)}}`)]);
}

/** Runs a handler, turning an unreachable database into SERVER_ERROR (router: 503) and a bug into -32603. */
async function guarded<T>(
  context: ToolContext,
  failures: RequestFailures,
  { message, ...fields }: { message: string; [field: string]: unknown },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof JsonRpcError) throw error;
    if (isDatabaseUnavailable(error)) {
      failures.databaseUnavailable = error;
      throw new JsonRpcError(SERVER_ERROR, "Service unavailable: the database cannot be reached");
    }
    context.log.error(message, { ...fields, error });
    throw new JsonRpcError(ErrorCode.InternalError, "Internal error");
  }
}

/**
 * The SDK answers a handler's error with its `code` and `message`. Its McpError would prefix the message
 * with "MCP error <code>: "; this keeps the message as written.
 */
class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
