// Requests are checked against the SDK's own request schemas before they reach the Server. Inside the
// Server, Protocol parses a request with its schema before any handler runs, and a failure there comes
// back as -32603 (internal error) with zod's raw issue list as the message: `tools/call` with
// `name: 5` or `arguments: []` would read as our bug. Here the same failure is -32602 (invalid params)
// with one short sentence a model can act on.
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  InitializeRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  PingRequestSchema,
  type JSONRPCErrorResponse,
  type JSONRPCRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { NOT_STORABLE, unstorableTextPath } from "../http/storable-text.js";

/** The methods the request Server handles (protocol.ts); others get the SDK's -32601. */
const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  initialize: InitializeRequestSchema,
  ping: PingRequestSchema,
  "tools/list": ListToolsRequestSchema,
  "tools/call": CallToolRequestSchema,
  "resources/list": ListResourcesRequestSchema,
  "resources/read": ReadResourceRequestSchema,
  "prompts/list": ListPromptsRequestSchema,
  "prompts/get": GetPromptRequestSchema,
};

/** The -32602 answer for a request whose params are malformed, or undefined when they are fine. */
export function invalidParamsAnswer(request: JSONRPCRequest): JSONRPCErrorResponse | undefined {
  const problem = paramsProblem(request);
  return problem === undefined
    ? undefined
    : { jsonrpc: "2.0", id: request.id, error: { code: ErrorCode.InvalidParams, message: `Invalid params for ${request.method}: ${problem}` } };
}

function paramsProblem(request: JSONRPCRequest): string | undefined {
  const schema = REQUEST_SCHEMAS[request.method];
  if (!schema) return undefined;
  const parsed = schema.safeParse({ method: request.method, params: request.params });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${issue.path.join(".") || "params"}: ${issue.message}`;
  }
  // Tool arguments end up in queries; PostgreSQL refuses NUL and unpaired surrogates (http/storable-text.ts).
  const unstorable =
    request.method === "tools/call" || request.method === "prompts/get" ? unstorableTextPath(request.params?.arguments, "params.arguments") : undefined;
  return unstorable === undefined ? undefined : `${unstorable} ${NOT_STORABLE}`;
}
