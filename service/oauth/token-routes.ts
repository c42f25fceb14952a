// POST /oauth2/token (RFC 6749 §3.2), /oauth2/revoke (RFC 7009) and /oauth2/register (RFC 7591).
import express, { Router } from "express";
import type pg from "pg";
import type { Logger } from "winston";
import { z } from "zod";
import type { Config } from "../config.js";
import { HttpError } from "../http/errors.js";
import { withTransaction } from "../db/pool.js";
import { recordAudit } from "../audit/trail.js";
import { registerClient, registrationSchema } from "./clients.js";
import { oauthError } from "./errors.js";
import type { Grants } from "./grants.js";
import { NOT_STORABLE, unstorableTextPath } from "../http/storable-text.js";
import { authenticateA2aClient } from "./a2a-clients.js";
import { authenticateRequestClient, flatParams, formOrJsonBody, noStore, parseParams, presentedClientCredentials } from "./http.js";
import { CLIENT_CREDENTIALS, GRANT_TYPES, PATHS } from "./metadata.js";

interface Deps {
  config: Config;
  pool: pg.Pool;
  grants: Grants;
  logger: Logger;
}

const codeExchangeSchema = z.object({
  code: z.string({ error: "is required" }),
  redirect_uri: z.string({ error: "is required" }),
  code_verifier: z.string({ error: "is required" }).regex(/^[A-Za-z0-9._~-]{43,128}$/, "must be 43-128 unreserved characters (RFC 7636)"),
  resource: z.string().optional(),
});

const clientCredentialsSchema = z.object({ scope: z.string().max(1000).optional() });

const refreshSchema = z.object({
  refresh_token: z.string({ error: "is required" }),
  scope: z.string().optional(),
  resource: z.string().optional(),
});

export function tokenRoutes({ config, pool, grants, logger }: Deps): Router {
  const router = Router();

  router.post(PATHS.token, noStore, ...formOrJsonBody(config), async (req, res) => {
    const params = flatParams(req.body);
    if (params.grant_type === CLIENT_CREDENTIALS) {
      // A2A clients are a table of their own (a2a_clients); only they use this grant.
      const { credentials, challenge } = presentedClientCredentials(req, params);
      const agent = await authenticateA2aClient(pool, credentials.clientId, credentials.clientSecret);
      if (!agent) throw oauthError("invalid_client", "client authentication failed", challenge);
      const request = parseParams(clientCredentialsSchema, params);
      return void res.json(await grants.clientCredentials(agent, request.scope, config.a2aUrl));
    }
    const client = await authenticateRequestClient(pool, req, params);
    const grantType = params.grant_type;
    if (!grantType) throw oauthError("invalid_request", "grant_type is required");
    if (!(GRANT_TYPES as readonly string[]).includes(grantType)) {
      throw oauthError("unsupported_grant_type", `grant_type must be one of: ${GRANT_TYPES.join(", ")}`);
    }
    if (!client.grantTypes.includes(grantType)) throw oauthError("unauthorized_client", `this client did not register ${grantType}`);
    try {
      if (grantType === "authorization_code") {
        const request = parseParams(codeExchangeSchema, params);
        res.json(await grants.exchangeCode(client, {
          code: request.code, redirectUri: request.redirect_uri, codeVerifier: request.code_verifier, resource: request.resource,
        }, req.ip));
      } else {
        const request = parseParams(refreshSchema, params);
        res.json(await grants.refresh(client, { refreshToken: request.refresh_token, scope: request.scope, resource: request.resource }, req.ip));
      }
    } catch (error) {
      if (error instanceof HttpError) {
        (res.locals.log ?? logger).info("token request refused", { clientId: client.clientId, grantType, error: error.code, reason: error.message });
      }
      throw error;
    }
  });

  router.post(PATHS.revoke, noStore, ...formOrJsonBody(config), async (req, res) => {
    const params = flatParams(req.body);
    const client = await authenticateRequestClient(pool, req, params);
    if (!params.token) throw oauthError("invalid_request", "token is required");
    // token_type_hint is optional and only a hint: the token's shape says what it is.
    await grants.revoke(client, params.token, req.ip);
    res.status(200).end();
  });

  router.post(PATHS.register, noStore, express.json({ limit: config.bodyLimitBytes }), async (req, res) => {
    if (req.body === undefined) throw oauthError("invalid_client_metadata", "send the client metadata as application/json");
    const unstorable = unstorableTextPath(req.body);
    if (unstorable) throw oauthError("invalid_client_metadata", `${unstorable} ${NOT_STORABLE}`);
    const parsed = registrationSchema.safeParse(req.body);
    if (!parsed.success) {
      const badRedirect = parsed.error.issues.some((issue) => issue.path[0] === "redirect_uris");
      const detail = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
      throw oauthError(badRedirect ? "invalid_redirect_uri" : "invalid_client_metadata", detail);
    }
    const registered = await withTransaction(pool, async (db) => {
      const client = await registerClient(db, parsed.data);
      await recordAudit(db, res.locals.log ?? logger, {
        type: "oauth.client_registered",
        target: client.client_id,
        details: { clientName: client.client_name, tokenEndpointAuthMethod: client.token_endpoint_auth_method, redirectUris: client.redirect_uris },
        ip: req.ip,
      });
      return client;
    });
    res.status(201).json(registered);
  });

  return router;
}
