// The A2A face: GET /.well-known/agent-card.json and POST /a2a (A2A 1.0, JSON-RPC binding). Stateless like
// /mcp: tasks live in PostgreSQL and streams follow them across instances, so any instance answers.
//
// A POST passes, in order: authentication (401 + WWW-Authenticate: a Bearer access token an A2A client got
// with its client credentials; MCP tokens and API keys are not for this door), the rate limits (429,
// the same counters and tier limits as /mcp, one charge per request), the JSON body (413 over
// config.bodyLimitBytes, -32700 when malformed), then for SendMessage / SendStreamingMessage the message
// itself (-32602: a skill the catalog has, arguments its schema accepts, parts of bounded size; -32005
// for file parts), a push notification URL (-32602 unless https and public, http/public-https.ts), and
// then the SDK's JSON-RPC handler. Every answer is a JSON-RPC body; a client's
// mistake is never a 5xx. The SDK (heavy) is loaded on the first request (server.ts).
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { z } from "zod";
import type { Config } from "../config.js";
import { DATABASE_RETRY_AFTER_SECONDS } from "../db/outage.js";
import { readJson } from "../http/json-body.js";
import { JSON_RPC_ERROR } from "../http/json-rpc.js";
import { bearerToken } from "../http/node-http.js";
import { publicUrlProblem } from "../http/public-https.js";
import { A2A_METHODS, emitEvent, tenantBucket, type EventFields } from "../logging/events.js";
import type { OAuthPrincipal } from "../oauth/index.js";
import { emitRateLimited, principalLimits, rateLimitHeaders, type RateLimiter } from "../ratelimit/index.js";
import { A2aCaller } from "./caller.js";
import type { A2aServer } from "./server.js";
import { chooseSkill, type SkillCatalog } from "./skills.js";
import { STORE_UNAVAILABLE } from "./store-errors.js";

/** The SDK's AGENT_CARD_PATH with its leading slash (a test holds the two equal). */
export const AGENT_CARD_ROUTE = "/.well-known/agent-card.json";

/** Bounds on one message: a model's question, not a document. */
export const MESSAGE_LIMITS = { parts: 16, textChars: 8_000, dataBytes: 16_384 } as const;

// The error codes the router answers with itself (the SDK answers the rest): JSON-RPC's, and one of A2A's.
const { parseError: PARSE_ERROR, invalidRequest: INVALID_REQUEST, invalidParams: INVALID_PARAMS, serverError: SERVER_ERROR } = JSON_RPC_ERROR;
const CONTENT_TYPE_NOT_SUPPORTED = -32005;

export interface A2aRouterDeps {
  config: Pick<Config, "publicBaseUrl" | "a2aUrl" | "bodyLimitBytes" | "clientMetadataDocuments">;
  rateLimiter: RateLimiter;
  verifyA2aToken(token: string): Promise<OAuthPrincipal | undefined>;
  skills: SkillCatalog;
  /** Builds the SDK side; called once, on the first A2A request. */
  loadServer(callerOfRequest: (req: Request) => A2aCaller): Promise<A2aServer>;
}

const partSchema = z.looseObject({
  text: z.string().max(MESSAGE_LIMITS.textChars, `a text part is limited to ${MESSAGE_LIMITS.textChars} characters`).optional(),
  data: z
    .unknown()
    .refine((value) => value === undefined || Buffer.byteLength(JSON.stringify(value)) <= MESSAGE_LIMITS.dataBytes, {
      message: `a data part is limited to ${MESSAGE_LIMITS.dataBytes} bytes of JSON`,
    })
    .optional(),
  url: z.unknown().optional(),
  raw: z.unknown().optional(),
});
const messageParamsSchema = z.looseObject({
  message: z.looseObject({
    messageId: z.string().min(1).max(200),
    taskId: z.string().max(200).optional(),
    parts: z.array(partSchema).min(1, "a message needs at least one part").max(MESSAGE_LIMITS.parts, `at most ${MESSAGE_LIMITS.parts} parts`),
    metadata: z.record(z.string(), z.unknown()).optional(),
  }),
});
const requestSchema = z.looseObject({ jsonrpc: z.literal("2.0"), method: z.string(), id: z.union([z.string(), z.number(), z.null()]).optional() });

type Outcome = EventFields<"a2a_request">["outcome"];

export function a2aRouter(deps: A2aRouterDeps): Router {
  const { config, rateLimiter, skills } = deps;
  const path = new URL(config.a2aUrl).pathname;
  const callers = new WeakMap<Request, A2aCaller>();
  const callerOfRequest = (req: Request) => callers.get(req)!;
  let server: Promise<A2aServer> | undefined;
  const load = () =>
    (server ??= deps.loadServer(callerOfRequest).catch((error: unknown) => {
      server = undefined;
      throw error;
    }));
  const parseJson = express.json({ limit: config.bodyLimitBytes, strict: false });

  const router = Router();
  router.get(AGENT_CARD_ROUTE, async (req, res, next) => atRoot((await load()).card, req, res, next));

  router.post(path, async (req, res, next) => {
    const startedAt = performance.now();
    const event = { method: "unknown" as EventFields<"a2a_request">["method"], skill: "none", tenantBucket: "none", outcome: "ok" as Outcome };
    res.on("finish", () => emitEvent(res.locals.log, "a2a_request", { ...event, durationMs: performance.now() - startedAt }));
    const refuse = (status: number, code: number, message: string, outcome: Outcome, headers: Record<string, string> = {}) => {
      event.outcome = outcome;
      res.status(status).set(headers).json({ jsonrpc: "2.0", error: { code, message }, id: typeof req.body?.id === "string" || typeof req.body?.id === "number" ? req.body.id : null });
    };

    const token = bearerToken(req.get("authorization"));
    const principal = token === undefined ? undefined : await deps.verifyA2aToken(token);
    if (!principal) {
      if (token !== undefined) emitEvent(res.locals.log, "auth_failure", { surface: "a2a", reason: "invalid_credential" });
      const challenge = `Bearer realm="pierre-a2a"${token === undefined ? "" : ', error="invalid_token"'}`;
      return refuse(401, SERVER_ERROR, token === undefined ? "Unauthorized: an access token of an A2A client is required" : "Unauthorized: invalid access token", "unauthenticated", {
        "WWW-Authenticate": challenge,
      });
    }
    event.tenantBucket = tenantBucket(principal.tenant.id);
    const rateLimit = await rateLimiter.consume(principalLimits(principal), { log: res.locals.log });
    res.set(rateLimitHeaders(rateLimit));
    if (!rateLimit.allowed) {
      emitRateLimited(res.locals.log, rateLimit);
      return refuse(429, SERVER_ERROR, `Too Many Requests: rate limit exceeded, retry in ${rateLimit.retryAfterSeconds} s`, "rate_limited");
    }

    const bodyError = await readJson(parseJson, req, res);
    if (bodyError) return refuse(bodyError.status, bodyError.status === 400 ? PARSE_ERROR : SERVER_ERROR, bodyError.message, "protocol_error");
    const request = requestSchema.safeParse(req.body);
    if (!request.success) return refuse(200, INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 request (batches are not supported)", "protocol_error");
    const method = request.data.method;
    if ((A2A_METHODS as readonly string[]).includes(method)) event.method = method as (typeof A2A_METHODS)[number];

    const params = req.body.params as { tenant?: unknown } | undefined;
    if (params?.tenant !== undefined && params.tenant !== "" && params.tenant !== principal.tenant.slug) {
      return refuse(200, INVALID_PARAMS, `Invalid params: tenant ${JSON.stringify(params.tenant)} is not this client's tenant`, "protocol_error");
    }
    if (method === "SendMessage" || method === "SendStreamingMessage") {
      const problem = messageProblem(req.body.params, skills, event);
      if (problem) return refuse(200, problem.code, problem.message, "protocol_error");
    }
    const webhook = webhookProblem(method, req.body.params, config.clientMetadataDocuments.allowPrivateAddresses);
    if (webhook) return refuse(200, INVALID_PARAMS, `Invalid params: the push notification URL ${webhook}`, "protocol_error");

    callers.set(req, new A2aCaller(principal));
    // The SDK answers errors in 200 JSON-RPC bodies; the event should still say so. A store that could not
    // reach the database is an outage, not a fault: 503 with Retry-After, as /mcp answers (the SDK says 500).
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (body && typeof body === "object" && "error" in body) {
        if ((body as { error?: { message?: unknown } }).error?.message === STORE_UNAVAILABLE && !res.headersSent) {
          res.status(503).set("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
        }
        event.outcome = res.statusCode >= 500 ? "internal_error" : "protocol_error";
      }
      return json(body);
    };
    atRoot((await load()).jsonRpc, req, res, next);
  });
  return router;
}

/** The SDK's handlers are routers that serve their own root (mounted with app.use in its examples). */
function atRoot(handler: RequestHandler, req: Request, res: Response, next: NextFunction): void {
  const url = req.url;
  req.url = "/";
  void handler(req, res, (error?: unknown) => {
    req.url = url;
    next(error);
  });
}

/** A push notification URL (in a message's configuration or a config of its own) the SSRF rules refuse. */
function webhookProblem(method: string, params: unknown, allowPrivateAddresses: boolean): string | undefined {
  const body = (params ?? {}) as { url?: unknown; configuration?: { taskPushNotificationConfig?: { url?: unknown } } };
  const url = method === "CreateTaskPushNotificationConfig" ? body.url : body.configuration?.taskPushNotificationConfig?.url;
  if (url === undefined) return method === "CreateTaskPushNotificationConfig" ? "is required" : undefined;
  return typeof url === "string" ? publicUrlProblem(url, allowPrivateAddresses) : "must be a string";
}

/** What is wrong with a message (the bounds, the skill and its arguments), as the JSON-RPC error to answer. */
function messageProblem(params: unknown, skills: SkillCatalog, event: { skill: string }): { code: number; message: string } | undefined {
  const parsed = messageParamsSchema.safeParse(params);
  if (!parsed.success) return { code: INVALID_PARAMS, message: `Invalid params: ${z.prettifyError(parsed.error)}` };
  const { message } = parsed.data;
  if (message.parts.some((part) => part.url !== undefined || part.raw !== undefined)) {
    return { code: CONTENT_TYPE_NOT_SUPPORTED, message: "Content type not supported: send text and data parts, not files" };
  }
  const request = {
    skill: message.metadata?.skill,
    texts: message.parts.flatMap((part) => (part.text === undefined ? [] : [part.text])),
    data: message.parts.flatMap((part) => (part.data === undefined ? [] : [part.data])),
  };
  // A follow-up on a task may leave the skill to the task (the executor resolves it).
  if (message.taskId && request.skill === undefined) return undefined;
  const choice = chooseSkill(skills, request);
  if ("problem" in choice) return { code: INVALID_PARAMS, message: `Invalid params: ${choice.problem}` };
  event.skill = choice.skill.id;
  return undefined;
}
