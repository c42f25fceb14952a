// Request plumbing shared by the OAuth endpoints: body parsing, flat parameter maps, client authentication.
import express, { type Request, type RequestHandler } from "express";
import type pg from "pg";
import type { z } from "zod";
import type { Config } from "../config.js";
import { isStorableText, NOT_STORABLE } from "../http/storable-text.js";
import { authenticateClient, type Client, type ClientCredentials } from "./clients.js";
import { oauthError } from "./errors.js";

/** Token and revocation requests are form-encoded (RFC 6749); JSON is accepted too. */
export function formOrJsonBody(config: Config): RequestHandler[] {
  return [
    express.urlencoded({ extended: false, limit: config.bodyLimitBytes }),
    express.json({ limit: config.bodyLimitBytes }),
  ];
}

export const noStore: RequestHandler = (_req, res, next) => {
  res.set({ "Cache-Control": "no-store", Pragma: "no-cache" });
  next();
};

/**
 * A flat name -> value map. RFC 6749 §3.1: parameters must not repeat, so a repeated one (which the
 * parsers turn into an array) is an error, as is any value that is not a string.
 */
export function flatParams(source: unknown): Record<string, string> {
  if (source === undefined) throw oauthError("invalid_request", "expected an application/x-www-form-urlencoded body");
  if (source === null || typeof source !== "object" || Array.isArray(source)) throw oauthError("invalid_request", "expected named parameters");
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (Array.isArray(value)) throw oauthError("invalid_request", `${name} must not be repeated`);
    if (typeof value !== "string") throw oauthError("invalid_request", `${name} must be a string`);
    if (!isStorableText(name) || !isStorableText(value)) throw oauthError("invalid_request", `${name} ${NOT_STORABLE}`);
    if (value !== "") params[name] = value;
  }
  return params;
}

/** Parses with a zod schema; failures are invalid_request naming the parameter. */
export function parseParams<S extends z.ZodType>(schema: S, params: Record<string, string>): z.infer<S> {
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  throw oauthError("invalid_request", parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
}

/**
 * RFC 6749 §2.3.1: client_secret_basic (Authorization header) or client_secret_post (body), or just
 * client_id for public clients; using two methods at once is refused. A failure answers 401, with a
 * Basic challenge when the client used the header.
 */
export async function authenticateRequestClient(pool: pg.Pool, req: Request, params: Record<string, string>): Promise<Client> {
  const { credentials, challenge } = presentedClientCredentials(req, params);
  const client = await authenticateClient(pool, credentials);
  if (!client) throw oauthError("invalid_client", "client authentication failed", challenge);
  return client;
}

/** The client credentials a request presents (header or body), and the challenge a failure answers with. */
export function presentedClientCredentials(req: Request, params: Record<string, string>): { credentials: ClientCredentials; challenge?: Record<string, string> } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.get("authorization") ?? "");
  const challenge = basic ? { "WWW-Authenticate": 'Basic realm="pierre", charset="UTF-8"' } : undefined;
  let credentials: ClientCredentials;
  if (basic) {
    if (params.client_secret !== undefined) throw oauthError("invalid_request", "use one client authentication method, not two");
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const clientId = formDecode(decoded.slice(0, Math.max(colon, 0)));
    const clientSecret = formDecode(decoded.slice(colon + 1));
    if (colon < 0 || !clientId || clientSecret === undefined) throw oauthError("invalid_client", "malformed Basic credentials", challenge);
    if (params.client_id !== undefined && params.client_id !== clientId) {
      throw oauthError("invalid_request", "client_id differs from the Authorization header");
    }
    credentials = { clientId, clientSecret };
  } else if (params.client_id) {
    credentials = { clientId: params.client_id, clientSecret: params.client_secret };
  } else {
    throw oauthError("invalid_client", "client authentication required: send client_id (and the secret of a confidential client)");
  }
  return { credentials, challenge };
}

/** Basic credentials are form-urlencoded before base64 (RFC 6749 §2.3.1). */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, "%20"));
  } catch {
    return undefined;
  }
}
