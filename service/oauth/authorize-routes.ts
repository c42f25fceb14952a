// GET/POST /oauth2/authorize: the authorization endpoint (OAuth 2.1 §4.1.1, RFC 9207, RFC 8707).
// Problems with client_id or redirect_uri are shown as a page (the redirect target is not trusted
// yet); every later problem goes back to the client as error=...&state=...&iss=....
import express, { type Request, type Response, Router } from "express";
import type pg from "pg";
import type { Logger } from "winston";
import type { Config } from "../config.js";
import { unstorableTextPath } from "../http/storable-text.js";
import { recordSignInFailure, recordSignInSuccess, signInWaitSeconds } from "../identity/sign-in-throttle.js";
import { listMemberships, verifyCredentials } from "../identity/users.js";
import { clientAddressKey } from "../ratelimit/policies.js";
import { emitEvent } from "../logging/events.js";
import { recordAudit } from "../audit/trail.js";
import {
  createAuthorizationRequest, findPendingAuthorization, recordFailedSignIn, rememberSignedInUser,
  completeAuthorizationRequest, type AuthorizationRequest, type PendingAuthorization,
} from "./authorization-requests.js";
import { DEFAULT_METADATA_DOCUMENT_OPTIONS, isMetadataDocumentUrl, resolveMetadataDocumentClient } from "./client-metadata-documents.js";
import { findClient, type Client } from "./clients.js";
import type { Grants } from "./grants.js";
import { MAX_SIGN_IN_ATTEMPTS } from "./lifetimes.js";
import { issuer, PATHS } from "./metadata.js";
import { sendErrorPage, sendSignInPage, sendTenantChoicePage, type ConsentContext } from "./pages.js";
import { redirectUriMatches } from "./redirect-uris.js";
import { formatScope, parseScope, scopesOutside } from "./scopes.js";

interface Deps {
  config: Config;
  pool: pg.Pool;
  grants: Grants;
  logger: Logger;
}

/** RFC 7636: S256 of a verifier is 32 bytes, i.e. 43 base64url characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const MAX_STATE_LENGTH = 2048;

type Problem = { error: string; description: string };

export function authorizeRoutes({ config, pool, grants, logger }: Deps): Router {
  const router = Router();
  const documentOptions = { ...DEFAULT_METADATA_DOCUMENT_OPTIONS, ...config.clientMetadataDocuments };

  /** A registered client, or one named by its metadata document's URL (fetched when not fresh). */
  async function lookUpClient(clientId: string): Promise<Client | { problem: string } | undefined> {
    if (!isMetadataDocumentUrl(clientId)) return findClient(pool, clientId);
    const resolved = await resolveMetadataDocumentClient(pool, clientId, documentOptions);
    if ("problem" in resolved) logger.warn("client metadata document refused", { clientId, problem: resolved.problem });
    return "client" in resolved ? resolved.client : resolved;
  }

  router.get(PATHS.authorize, async (req, res) => {
    const { params, repeated } = queryParams(req.query);
    if (unstorableTextPath(req.query)) return sendUnstorable(res);
    if (!params.client_id || repeated.includes("client_id")) {
      return sendErrorPage(res, 400, "Invalid request", "The application did not identify itself (client_id).");
    }
    const client = await lookUpClient(params.client_id);
    if (!client) return sendErrorPage(res, 400, "Unknown application", "This application is not registered with Pierre.");
    if ("problem" in client) return sendErrorPage(res, 400, "Unusable application", `This application cannot sign in: ${client.problem}.`);
    const redirectUri = params.redirect_uri;
    if (!redirectUri || repeated.includes("redirect_uri") || !redirectUriMatches(client.redirectUris, redirectUri)) {
      return sendErrorPage(res, 400, "Invalid redirect", "The application asked to return to an address it did not register.");
    }
    const state = repeated.includes("state") ? undefined : params.state;
    const checked = checkAuthorizationRequest(config, client, redirectUri, params, repeated);
    if ("error" in checked) return redirectToClient(res, config, redirectUri, state, checked);

    const formToken = await createAuthorizationRequest(pool, checked);
    sendSignInPage(res, 200, { formToken, clientName: client.clientName, redirectUri, scopes: checked.scopes });
  });

  router.post(PATHS.authorize, express.urlencoded({ extended: false, limit: config.bodyLimitBytes }), async (req, res) => {
    // The form is ours: a post from another origin is cross-site request forgery.
    const origin = req.get("origin");
    if (origin !== undefined && origin !== new URL(config.publicBaseUrl).origin) {
      return sendErrorPage(res, 403, "Request refused", "This form can only be sent from Pierre's own sign-in page.");
    }
    if (unstorableTextPath(req.body)) return sendUnstorable(res);
    const form = stringFields(req.body);
    const pending = form.form_token ? await findPendingAuthorization(pool, form.form_token) : undefined;
    if (!pending || !form.form_token) {
      return sendErrorPage(res, 400, "This sign-in page has expired", "Go back to the application and connect again.");
    }
    const context: ConsentContext = { formToken: form.form_token, clientName: pending.clientName, redirectUri: pending.redirectUri, scopes: pending.scopes };
    const refuse = async (problem: Problem) => {
      if (!(await completeAuthorizationRequest(pool, pending.idHash))) return sendAlreadyUsed(res);
      redirectToClient(res, config, pending.redirectUri, pending.state, problem);
    };
    if (form.action === "deny") return refuse({ error: "access_denied", description: "the user denied access" });

    let userId = pending.userId;
    if (!userId) {
      const email = form.email?.trim() ?? "";
      if (!email || !form.password) return sendSignInPage(res, 400, context, { email, error: "Enter your email and password." });
      const address = clientAddressKey(req.ip);
      const wait = await signInWaitSeconds(pool, email, address);
      if (wait > 0) {
        res.set("Retry-After", String(wait));
        return sendSignInPage(res, 429, context, { email, error: `Too many failed sign-ins for this account. Try again in ${formatWait(wait)}.` });
      }
      const user = await verifyCredentials(pool, email, form.password, config.passwordHashCost);
      if (!user) {
        await recordSignInFailure(pool, email, address);
        return failedSignIn(req, res, pending, context, email, refuse);
      }
      await recordSignInSuccess(pool, email, address);
      userId = user.id;
    }

    const memberships = await listMemberships(pool, userId);
    if (memberships.length === 0) return refuse({ error: "access_denied", description: "the account does not belong to any organization" });
    const tenant = memberships.length === 1 ? memberships[0] : memberships.find((membership) => membership.tenantId === form.tenant_id);
    if (!tenant) {
      await rememberSignedInUser(pool, pending.idHash, userId);
      return sendTenantChoicePage(res, context, memberships);
    }
    const code = await grants.approve(pending, { userId, tenantId: tenant.tenantId }, req.ip);
    if (!code) return sendAlreadyUsed(res);
    redirect(res, config, pending.redirectUri, pending.state, { code });
  });

  /** Same answer whether the email exists or not; the request dies after MAX_SIGN_IN_ATTEMPTS. */
  async function failedSignIn(
    req: Request, res: Response, pending: PendingAuthorization, context: ConsentContext, email: string,
    refuse: (problem: Problem) => Promise<void>,
  ): Promise<void> {
    const attempts = await recordFailedSignIn(pool, pending.idHash);
    await recordAudit(pool, res.locals.log ?? logger, { type: "oauth.login_failed", target: pending.clientId, details: { attempts }, ip: req.ip });
    emitEvent(res.locals.log ?? logger, "auth_failure", { surface: "oauth_sign_in", reason: "bad_password", clientId: pending.clientId, attempts });
    if (attempts >= MAX_SIGN_IN_ATTEMPTS) return refuse({ error: "access_denied", description: "too many failed sign-in attempts" });
    sendSignInPage(res, 401, context, { email, error: "Invalid email or password." });
  }

  return router;
}

/** Everything after client_id and redirect_uri: response type, PKCE, scope, resource, state. */
function checkAuthorizationRequest(
  config: Config, client: Client, redirectUri: string, params: Record<string, string>, repeated: string[],
): AuthorizationRequest | Problem {
  const invalid = (description: string): Problem => ({ error: "invalid_request", description });
  if (repeated.length > 0) return invalid(`parameters must not repeat: ${repeated.join(", ")}`);
  if (!params.response_type) return invalid("response_type is required");
  if (params.response_type !== "code") return { error: "unsupported_response_type", description: "only response_type=code is supported" };
  if (!params.code_challenge) return invalid("code_challenge is required (PKCE)");
  if (params.code_challenge_method !== "S256") return invalid("code_challenge_method must be S256");
  if (!S256_CHALLENGE.test(params.code_challenge)) return invalid("code_challenge must be a base64url SHA-256 digest (43 characters)");
  if ((params.state?.length ?? 0) > MAX_STATE_LENGTH) return invalid(`state must be at most ${MAX_STATE_LENGTH} characters`);
  const requested = parseScope(params.scope);
  const scopes = requested.length > 0 ? requested : client.scopes;
  const unknown = scopesOutside(scopes, client.scopes);
  if (unknown.length > 0) return { error: "invalid_scope", description: `not available to this client: ${formatScope(unknown)}` };
  const resource = params.resource ?? config.mcpResourceUrl;
  if (resource !== config.mcpResourceUrl) return { error: "invalid_target", description: `resource must be ${config.mcpResourceUrl}` };
  return { clientId: client.clientId, redirectUri, codeChallenge: params.code_challenge, scopes, state: params.state, resource };
}

/** Query parameters as strings; repeated names (RFC 6749 §3.1 forbids them) are reported separately. */
function queryParams(query: Request["query"]): { params: Record<string, string>; repeated: string[] } {
  const params: Record<string, string> = {};
  const repeated: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (typeof value === "string") {
      if (value !== "") params[name] = value;
    } else {
      repeated.push(name);
    }
  }
  return { params, repeated };
}

/** The form's fields; anything that is not a single string is dropped (the page only sends strings). */
function stringFields(body: unknown): Record<string, string | undefined> {
  if (!body || typeof body !== "object") return {};
  return Object.fromEntries(Object.entries(body).filter(([, value]) => typeof value === "string"));
}

function redirectToClient(res: Response, config: Config, redirectUri: string, state: string | undefined, problem: Problem): void {
  redirect(res, config, redirectUri, state, { error: problem.error, error_description: problem.description });
}

/** 303 so the browser follows a form post with a GET; `iss` lets the client detect mix-up attacks (RFC 9207). */
function redirect(res: Response, config: Config, redirectUri: string, state: string | undefined, params: Record<string, string>): void {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries({ ...params, ...(state === undefined ? {} : { state }), iss: issuer(config) })) {
    target.searchParams.set(name, value);
  }
  res.set("Cache-Control", "no-store").redirect(303, target.href);
}

function formatWait(seconds: number): string {
  return seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}

function sendUnstorable(res: Response): void {
  sendErrorPage(res, 400, "Invalid request", "The request contains characters that are not allowed (NUL or unpaired surrogates).");
}

function sendAlreadyUsed(res: Response): void {
  sendErrorPage(res, 400, "Already answered", "This sign-in page was already used. Go back to the application.");
}
