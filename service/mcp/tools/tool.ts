// A tool = zod input and output schemas + a function of the authenticated caller. defineTool turns the
// schemas into JSON Schema once, at module load, and wraps the function so that the result always has
// `structuredContent` with exactly the output schema's keys plus the same JSON as a text block (and, where the
// tool gives one, a short summary in words as a second block).
import type { CallToolResult, Tool, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { UsdaClient, WeatherClient } from "../../data-services/index.js";
import type { Queryable } from "../../db/pool.js";
import type { Principal } from "../../identity/principal.js";
import type { Scope } from "../../identity/scopes.js";
import type { FitnessServices } from "../../fitness/index.js";
import type { Logger } from "../../logging/index.js";
import type { RateLimitDecision } from "../../ratelimit/index.js";
import type { AnswerCache } from "../answer-cache.js";

/** What a tool may use. Every query a tool makes is scoped by principal.tenant.id AND principal.userId. */
export interface ToolContext {
  principal: Principal;
  db: Queryable;
  /** This request's rate-limit charge (empty usage when the limiter failed open). */
  rateLimit: RateLimitDecision;
  log: Logger;
  /** The fitness layer (connect flow, synced data); undefined only when no master key is configured. */
  fitness: FitnessServices | undefined;
  services: ToolServices;
  /** Answers this instance may give again while the caller's data version holds (answer-cache.ts). */
  answers?: AnswerCache;
}

/** Outbound clients (composition.ts); a client is absent when its service is not configured. */
export interface ToolServices {
  usda?: UsdaClient;
  weather?: WeatherClient;
}

export interface ToolSpec<Input extends z.ZodObject, Output extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** Callers without this scope get 403 insufficient_scope before the call reaches the tool. */
  requiredScope: Scope;
  annotations: Omit<ToolAnnotations, "title">;
  input: Input;
  output: Output;
  run(input: z.output<Input>, context: ToolContext): Promise<z.input<Output>>;
  /**
   * The answer depends only on these arguments, the caller's stored data (what migration 0013 versions)
   * and the clock, and the call changes nothing: it may be given again while that data is unchanged
   * (answer-cache.ts). A function when some arguments make the call write (e.g. `save: true`).
   */
  reusable?: boolean | ((input: z.output<Input>) => boolean);
  /**
   * The answer is computed from all of the caller's synced data (the analyses): every connected provider is
   * brought up to date first, as the data tools do for theirs, so an analysis right after connect_provider
   * (or after the cache lifetime) sees the provider's data.
   */
  syncsFirst?: boolean;
  /** A sentence or two a model can quote, sent as a second text block after the JSON one. */
  summary?(output: z.output<Output>): string;
}

export interface McpTool {
  /** The tools/list entry, JSON Schemas included, computed once. */
  definition: Tool;
  requiredScope: Scope;
  call(args: unknown, context: ToolContext): Promise<CallToolResult>;
  /** The JSON of the answer `call` would give again now (answer-cache.ts), if there is one; reads nothing else. */
  kept(args: unknown, context: ToolContext): Buffer | undefined;
}

export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject>(spec: ToolSpec<Input, Output>): McpTool {
  // draft-07, as the SDK's McpServer emits and its client's validator reads.
  const definition: Tool = {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: z.toJSONSchema(spec.input, { target: "draft-7", io: "input" }) as Tool["inputSchema"],
    outputSchema: z.toJSONSchema(spec.output, { target: "draft-7", io: "output" }) as Tool["outputSchema"],
    annotations: { title: spec.title, ...spec.annotations },
  };
  return {
    definition,
    requiredScope: spec.requiredScope,
    kept(args, context) {
      const input = spec.input.safeParse(args ?? {});
      const reuse = input.success ? reusableAnswer(spec, input.data, context) : undefined;
      return reuse?.answers.get(reuse.key, reuse.version);
    },
    async call(args, context) {
      const input = spec.input.safeParse(args ?? {});
      // A tool execution error, not a protocol error, so the model can read it and correct the call.
      if (!input.success) return toolError(`Invalid arguments for ${spec.name}: ${z.prettifyError(input.error)}`);
      const reuse = reusableAnswer(spec, input.data, context);
      // Kept answers are usually written straight from their bytes (protocol.ts); this is the way of a batch.
      const kept = reuse?.answers.get(reuse.key, reuse.version);
      if (kept) return JSON.parse(kept.toString("utf8")) as CallToolResult;
      if (spec.syncsFirst && context.fitness) await context.fitness.sync.refreshOwner({ tenantId: context.principal.tenant.id, userId: context.principal.userId });
      // Parsing the result drops keys the schema does not name: clients reject structuredContent with
      // keys its outputSchema (additionalProperties: false) does not allow.
      let result: z.input<Output>;
      try {
        result = await spec.run(input.data, context);
      } catch (error) {
        if (error instanceof ToolError) return toolError(error.message);
        throw error;
      }
      const output = spec.output.parse(result);
      const json = JSON.stringify(output);
      const content: CallToolResult["content"] = [{ type: "text", text: json }];
      if (spec.summary) content.push({ type: "text", text: spec.summary(output) });
      // What JSON.stringify(answer) gives, without walking structuredContent a second time: its JSON is the text's.
      reuse?.answers.set(reuse.key, reuse.version, Buffer.from(`{"content":${JSON.stringify(content)},"structuredContent":${json}}`));
      return { content, structuredContent: output as Record<string, unknown> };
    },
  };
}

/** Where this call's answer is kept, when it may be given again (the spec says so and a data version was read). */
function reusableAnswer<Input extends z.ZodObject>(
  spec: Pick<ToolSpec<Input, z.ZodObject>, "name" | "reusable">,
  input: z.output<Input>,
  { answers, rateLimit, principal }: ToolContext,
): { answers: AnswerCache; key: string; version: string } | undefined {
  const reusable = typeof spec.reusable === "function" ? spec.reusable(input) : spec.reusable;
  if (!reusable || !answers?.enabled || rateLimit.dataVersion === undefined) return undefined;
  // The parsed input: defaults filled in and keys in the schema's order, so equal calls get equal keys.
  return { answers, key: `${principal.tenant.id}|${principal.userId}|${spec.name}|${JSON.stringify(input)}`, version: rateLimit.dataVersion };
}

/** Thrown by a tool for a failure the caller should read (a tool result with isError), not a bug. */
export class ToolError extends Error {}

function toolError(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

/** The fitness layer, or a tool error a model can relay when this deployment has none. */
export function requireFitness(context: ToolContext): FitnessServices {
  if (!context.fitness) throw new ToolError("Fitness data is not available: the server has no encryption master key (TOKEN_ENCRYPTION_KEY).");
  return context.fitness;
}

/** Timestamps in tool output: ISO 8601 UTC strings, null when unknown. */
export const isoTimestamp = z.iso.datetime().nullable();

export function toIso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
