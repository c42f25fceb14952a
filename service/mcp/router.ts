// POST /mcp: MCP Streamable HTTP in stateless mode, so any instance behind the load balancer can answer
// any request (no session id, a fresh Server per request; GET and DELETE answer 405). Answers are JSON,
// never SSE: no tool streams progress, and plain JSON is cheaper for both ends.
//
// A request passes, in order: Origin check (403), authentication (401 + WWW-Authenticate), rate limits
// (429 + Retry-After; RateLimit headers on every authenticated response), MCP-Protocol-Version (400),
// JSON body (413 over config.bodyLimitBytes, 400 -32700 when malformed, 415 when not JSON), JSON-RPC shape
// (400 -32600: not JSON-RPC, a batch over 100 messages or with more than one initialize), the rest of a
// batch's charge (each request in a batch counts, see below), tool scopes (403 insufficient_scope),
// Accept (406 unless both application/json and text/event-stream), params (-32602 answers, params.ts),
// then the Server: 202 without a body when there is no request to answer, else 200 with the answers. A lone
// tools/call that a kept answer serves (answer-cache.ts) is written from the kept bytes, with no Server.
// Every error body is a JSON-RPC error with id null, as the SDK's own transport errors are. When the
// database cannot be reached the answer is 503 with Retry-After (db/outage.ts), anything unexpected a
// 500 with a JSON-RPC internal error.
//
// Batches: MCP 2025-06-18 removed JSON-RPC batching, but clients that negotiate 2025-03-26 may still
// send one (the SDK's own clients never do). They are served, and each request in one is charged like a
// request of its own, so a batch cannot multiply the rate limits by 100.
import type { IncomingMessage } from "node:http";
import express, { Router } from "express";
import {
  ErrorCode,
  isInitializeRequest,
  isJSONRPCRequest,
  JSONRPCMessageSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
} from "@modelcontextprotocol/sdk/types.js";
import type pg from "pg";
import type { Config } from "../config.js";
import type { FitnessServices } from "../fitness/index.js";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, type OutageLog } from "../db/outage.js";
import { readJson } from "../http/json-body.js";
import { JSON_RPC_ERROR } from "../http/json-rpc.js";
import { header, setHeaders, type LocalsResponse } from "../http/node-http.js";
import type { Principal } from "../identity/principal.js";
import type { Logger } from "../logging/index.js";
import type { Scope } from "../identity/scopes.js";
import { emitEvent } from "../logging/events.js";
import { wwwAuthenticateHeader } from "../oauth/index.js";
import { emitRateLimited, principalLimits, rateLimitHeaders, type RateLimiter } from "../ratelimit/index.js";
import type { AnswerCache } from "./answer-cache.js";
import { createAuthenticator, type VerifyAccessToken } from "./auth.js";
import { createOriginCheck } from "./origin.js";
import { invalidParamsAnswer } from "./params.js";
import { createRequestServer, keptToolAnswer, type RequestFailures } from "./protocol.js";
import { createToolCatalog, PIERRE_TOOLS, type ToolCatalog, type ToolServices } from "./tools/index.js";
import { ExchangeTransport } from "./transport.js";

export interface McpEndpointDeps {
  config: Config;
  pool: pg.Pool;
  rateLimiter: RateLimiter;
  verifyAccessToken: VerifyAccessToken;
  outages: OutageLog;
  fitness: FitnessServices | undefined;
  /** Outbound data services the tools may call (ToolContext.services). */
  services: ToolServices;
  /** This instance's reusable answers (ToolContext.answers). */
  answers: AnswerCache;
}

const SERVER_ERROR = JSON_RPC_ERROR.serverError;

/** The SDK transport's limit on messages in one batch. */
const MAX_BATCH_SIZE = 100;

/** The MCP endpoint: its path, its POST on Node's own request and response, and an Express router with both. */
export interface McpEndpoint {
  path: string;
  /**
   * A POST to the endpoint, served whole (errors included: it never rejects) on Node's request and
   * response: app.ts calls it ahead of Express for exactly POST <path>, the hot path (see
   * http/node-http.ts for why).
   */
  post(req: IncomingMessage, res: LocalsResponse): Promise<void>;
  /**
   * An error nothing answered, logged to `log`: a 500 with a JSON-RPC internal error, or, when the answer
   * is already under way, the connection ended (what Express's final handler does).
   */
  fail(res: LocalsResponse, error: unknown, log: Logger): void;
  /** POST as above and 405 for every other method, for every request Express routes to the path. */
  router: Router;
}

export function mcpEndpoint(deps: McpEndpointDeps): McpEndpoint {
  const { config, pool, rateLimiter, verifyAccessToken, outages, fitness, services } = deps;
  const path = new URL(config.mcpResourceUrl).pathname;
  const authenticator = createAuthenticator(pool, verifyAccessToken);
  const catalog = createToolCatalog(PIERRE_TOOLS);
  const originAllowed = createOriginCheck(config);
  // strict: false so that valid JSON which is not an object (e.g. `1`) reaches the JSON-RPC check (-32600).
  const parseJson = express.json({ limit: config.bodyLimitBytes, strict: false });

  async function post(req: IncomingMessage, res: LocalsResponse): Promise<void> {
    try {
      await serve(req, res);
    } catch (error) {
      if (!res.headersSent && isDatabaseUnavailable(error)) return databaseUnavailable(res, outages, error);
      fail(res, error, res.locals.log);
    }
  }

  function fail(res: LocalsResponse, error: unknown, log: Logger): void {
    log.error("MCP request failed", { error });
    if (res.headersSent) return void res.destroy();
    refuse(res, 500, ErrorCode.InternalError, "Internal error");
  }

  async function serve(req: IncomingMessage & { body?: unknown }, res: LocalsResponse): Promise<void> {
    if (!originAllowed(header(req, "origin"))) return refuse(res, 403, SERVER_ERROR, "Forbidden: Origin not allowed");

    const claimed = await authenticator.authenticate(req);
    if (claimed.outcome === "authenticated") res.locals.credentialCache = claimed.cached ? "hit" : "miss";
    if (claimed.outcome !== "authenticated") return unauthorized(res, config, claimed.outcome);
    const rateLimit = await rateLimiter.consume(principalLimits(claimed.principal), { log: res.locals.log, dataOwner: claimed.principal.userId });
    // Nothing below may rely on a cached authentication until the charge's credential epoch confirmed it.
    const auth = await authenticator.confirm(claimed, rateLimit.credentialEpoch);
    if (auth.outcome !== "authenticated") return unauthorized(res, config, auth.outcome);
    const { principal } = auth;

    setHeaders(res, rateLimitHeaders(rateLimit));
    if (!rateLimit.allowed) {
      emitRateLimited(res.locals.log, rateLimit);
      return refuse(res, 429, SERVER_ERROR, `Too Many Requests: rate limit exceeded, retry in ${rateLimit.retryAfterSeconds} s`);
    }

    // Only versions the SDK can negotiate in initialize; absent means the negotiated default (spec).
    const version = header(req, "mcp-protocol-version");
    if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return refuse(res, 400, SERVER_ERROR, `Bad Request: unsupported MCP-Protocol-Version ${JSON.stringify(version)}; supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")}`);
    }

    const bodyError = await readJson(parseJson, req, res);
    if (bodyError) return refuse(res, bodyError.status, bodyError.status === 400 ? ErrorCode.ParseError : SERVER_ERROR, bodyError.message);
    if (req.body === undefined) return refuse(res, 415, SERVER_ERROR, "Unsupported Media Type: Content-Type must be application/json");
    const messages = jsonRpcMessages(req.body);
    if (typeof messages === "string") return refuse(res, 400, ErrorCode.InvalidRequest, `Invalid Request: ${messages}`);

    const requests = messages.filter(isJSONRPCRequest);
    if (requests.length > 1) {
      const batchCharge = await rateLimiter.consume(principalLimits(principal), { log: res.locals.log, calls: requests.length - 1, dataOwner: principal.userId });
      setHeaders(res, rateLimitHeaders(batchCharge));
      if (!batchCharge.allowed) {
        return refuse(res, 429, SERVER_ERROR, `Too Many Requests: a batch of ${requests.length} requests exceeds the rate limit, retry in ${batchCharge.retryAfterSeconds} s`);
      }
    }

    const scope = missingScope(catalog, messages, principal);
    if (scope) {
      const challenge = wwwAuthenticateHeader(config, "insufficient_scope", `this tool requires the ${scope} scope`);
      return refuse(res, 403, SERVER_ERROR, `Forbidden: this tool requires the ${scope} scope`, { "WWW-Authenticate": challenge });
    }
    if (!acceptsStreamableHttp(header(req, "accept"))) {
      return refuse(res, 406, SERVER_ERROR, "Not Acceptable: Client must accept both application/json and text/event-stream");
    }

    // Notifications and responses only: nothing to answer, and a stateless server holds nothing they
    // could refer to (a cancellation, say, names a request of another HTTP request).
    if (requests.length === 0) {
      res.statusCode = 202;
      return void res.end();
    }
    const invalid = requests.map(invalidParamsAnswer).filter((answer) => answer !== undefined);
    const delivered = invalid.length === 0 ? messages : messages.filter((message) => !invalid.some((answer) => isJSONRPCRequest(message) && answer.id === message.id));

    const context = { principal, db: pool, rateLimit, log: res.locals.log, fitness, services, answers: deps.answers };
    const kept = messages.length === 1 && invalid.length === 0 ? keptToolAnswer(catalog, context, requests[0]!) : undefined;
    if (kept) return send(res, 200, kept);

    const failures: RequestFailures = {};
    const server = createRequestServer(catalog, context, failures);
    const transport = new ExchangeTransport();
    // A client that goes away before its answer: closing the server aborts the handlers still running.
    res.on("close", () => {
      if (!res.writableFinished) void server.close();
    });
    await server.connect(transport);
    const answers = await transport.exchange(delivered, requests.map((request) => request.id), invalid);
    if (failures.databaseUnavailable !== undefined) return databaseUnavailable(res, outages, failures.databaseUnavailable);
    if (answers) send(res, 200, JSON.stringify(answers.length === 1 ? answers[0] : answers));
  }

  const router = Router();
  router.post(path, (req, res) => post(req, res));
  // Stateless: no SSE stream to open (GET) and no session to end (DELETE). Every Streamable HTTP client asks
  // for the stream once per connection, and the specification's answer for "none offered" is this 405.
  router.all(path, (req, res) => {
    res.locals.routineRefusal = req.method === "GET";
    refuse(res, 405, SERVER_ERROR, "Method Not Allowed: use POST", { Allow: "POST" });
  });
  return { path, post, fail, router };
}

function unauthorized(res: LocalsResponse, config: Config, outcome: "missing" | "invalid"): void {
  // "missing" is how every OAuth flow starts; only a credential that failed to verify is a failure.
  if (outcome === "invalid") emitEvent(res.locals.log, "auth_failure", { surface: "mcp", reason: "invalid_credential" });
  const challenge = wwwAuthenticateHeader(config, outcome === "invalid" ? "invalid_token" : undefined);
  const message = outcome === "invalid" ? "Unauthorized: invalid credentials" : "Unauthorized: credentials required";
  refuse(res, 401, SERVER_ERROR, message, { "WWW-Authenticate": challenge });
}

function databaseUnavailable(res: LocalsResponse, outages: OutageLog, error: unknown): void {
  outages.report(error);
  refuse(res, 503, SERVER_ERROR, `Service Unavailable: the database cannot be reached, retry in ${DATABASE_RETRY_AFTER_SECONDS} s`, {
    "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS),
  });
}

function refuse(res: LocalsResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  setHeaders(res, headers);
  send(res, status, JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

/** A JSON body, written directly: Express's res.json would also hash it into an ETag. */
function send(res: LocalsResponse, status: number, json: string | Buffer): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", Buffer.byteLength(json));
  res.end(json);
}

/** Streamable HTTP: a client MUST list both types; Accept is a list, so substrings are the intent. */
function acceptsStreamableHttp(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes("application/json") && accept.includes("text/event-stream");
}

/** The JSON-RPC messages of a body (one message or a batch), or what is wrong with it. */
function jsonRpcMessages(body: unknown): JSONRPCMessage[] | string {
  const candidates: unknown[] = Array.isArray(body) ? body : [body];
  if (candidates.length === 0) return "not a JSON-RPC 2.0 message or batch";
  if (candidates.length > MAX_BATCH_SIZE) return `Batch must not exceed ${MAX_BATCH_SIZE} messages`;
  const messages: JSONRPCMessage[] = [];
  for (const candidate of candidates) {
    const parsed = JSONRPCMessageSchema.safeParse(candidate);
    if (!parsed.success) return "not a JSON-RPC 2.0 message or batch";
    messages.push(parsed.data);
  }
  if (messages.length > 1 && messages.some(isInitializeRequest)) return "Only one initialization request is allowed";
  return messages;
}

/** A scope some tools/call in the body needs and the caller lacks (OAuth step-up, MCP 2025-11-25). */
function missingScope(catalog: ToolCatalog, messages: JSONRPCMessage[], principal: Principal): Scope | undefined {
  for (const message of messages) {
    if (!isJSONRPCRequest(message) || message.method !== "tools/call") continue;
    const name = message.params?.name;
    const tool = typeof name === "string" ? catalog.find(name) : undefined;
    if (tool && !principal.scopes.includes(tool.requiredScope)) return tool.requiredScope;
  }
  return undefined;
}
