// OAuth clients: dynamic registration (RFC 7591), lookup, and client authentication at the token and
// revocation endpoints (RFC 6749 §2.3.1).
import { z } from "zod";
import type { Queryable } from "../db/pool.js";
import { SCOPES } from "../identity/scopes.js";
import { CLIENT_AUTH_METHODS, GRANT_TYPES, type ClientAuthMethod } from "./metadata.js";
import { redirectUriProblem } from "./redirect-uris.js";
import { isKnownScope, parseScope } from "./scopes.js";
import { credentialMatches, hashCredential, randomCredential } from "./secrets.js";

export interface Client {
  clientId: string;
  clientName: string | null;
  redirectUris: string[];
  grantTypes: string[];
  tokenEndpointAuthMethod: ClientAuthMethod;
  /** Scopes this client may ask for. */
  scopes: string[];
}

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000);

/** Registration metadata we store (RFC 7591 §2); unknown members are ignored as the RFC requires. */
export const registrationSchema = z.object({
  redirect_uris: z
    .array(z.string().max(2000).superRefine((uri, ctx) => {
      const problem = redirectUriProblem(uri);
      if (problem) ctx.addIssue({ code: "custom", message: `${uri} ${problem}` });
    }))
    .min(1, "at least one redirect URI is required")
    .max(10, "at most 10 redirect URIs"),
  // RFC 7591 §2: the default is client_secret_basic.
  token_endpoint_auth_method: z.enum(CLIENT_AUTH_METHODS).default("client_secret_basic"),
  // Both by default: MCP clients expect refresh tokens even when they omit grant_types.
  grant_types: z
    .array(z.enum(GRANT_TYPES))
    .default([...GRANT_TYPES])
    .refine((types) => types.includes("authorization_code"), "must include authorization_code"),
  response_types: z.array(z.literal("code")).default(["code"]),
  client_name: z.string().trim().min(1).max(200).optional(),
  client_uri: httpUrl.optional(),
  logo_uri: httpUrl.optional(),
  tos_uri: httpUrl.optional(),
  policy_uri: httpUrl.optional(),
  contacts: z.array(z.string().max(320)).max(10).optional(),
  software_id: z.string().max(200).optional(),
  software_version: z.string().max(100).optional(),
  scope: z
    .string()
    .max(1000)
    .refine((value) => parseScope(value).every(isKnownScope), `scopes must be among: ${SCOPES.join(" ")}`)
    .optional(),
});
export type Registration = z.infer<typeof registrationSchema>;

/** The stored, descriptive metadata echoed back in the registration response. */
const DESCRIPTIVE_FIELDS = ["client_uri", "logo_uri", "tos_uri", "policy_uri", "contacts", "software_id", "software_version"] as const;

/**
 * What is stored of a client's metadata besides its name and URIs, whether it registered or is named by
 * a metadata document: its scopes (all of ours when it names none) and the descriptive fields it gave.
 */
export function storedMetadata(registration: Registration): { scope: string; descriptive: Record<string, unknown> } {
  const scopes = registration.scope ? parseScope(registration.scope) : [...SCOPES];
  const descriptive = Object.fromEntries(DESCRIPTIVE_FIELDS.filter((field) => registration[field] !== undefined).map((field) => [field, registration[field]]));
  return { scope: scopes.join(" "), descriptive };
}

export async function registerClient(db: Queryable, registration: Registration) {
  const clientId = randomCredential().slice(0, 32);
  const confidential = registration.token_endpoint_auth_method !== "none";
  const clientSecret = confidential ? randomCredential() : undefined;
  const { scope, descriptive } = storedMetadata(registration);
  const { rows } = await db.query<{ issuedAt: number }>(
    `INSERT INTO oauth2_clients (client_id, client_secret_hash, client_name, redirect_uris, grant_types, response_types,
       token_endpoint_auth_method, scope, metadata)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     RETURNING floor(extract(epoch FROM created_at))::float8 AS "issuedAt"`,
    [clientId, clientSecret ? hashCredential(clientSecret) : null, registration.client_name ?? null, registration.redirect_uris,
      registration.grant_types, registration.response_types, registration.token_endpoint_auth_method, scope, descriptive],
  );
  return {
    client_id: clientId,
    client_id_issued_at: rows[0].issuedAt,
    // Secrets do not expire (0, RFC 7591 §3.2.1): a client has no way to renew one.
    ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
    client_name: registration.client_name,
    redirect_uris: registration.redirect_uris,
    grant_types: registration.grant_types,
    response_types: registration.response_types,
    token_endpoint_auth_method: registration.token_endpoint_auth_method,
    scope,
    ...descriptive,
  };
}

export const CLIENT_COLUMNS = `client_id AS "clientId", client_name AS "clientName", redirect_uris AS "redirectUris",
  grant_types AS "grantTypes", token_endpoint_auth_method AS "tokenEndpointAuthMethod", scope`;

export type ClientRow = Omit<Client, "scopes"> & { scope: string | null };

export function toClient({ scope, ...row }: ClientRow): Client {
  return { ...row, scopes: scope === null ? [...SCOPES] : parseScope(scope) };
}

export async function findClient(db: Queryable, clientId: string): Promise<Client | undefined> {
  const { rows } = await db.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM oauth2_clients WHERE client_id = $1`, [clientId]);
  return rows[0] && toClient(rows[0]);
}

/** Credentials a token or revocation request presented, however it presented them. */
export interface ClientCredentials {
  clientId: string;
  clientSecret?: string;
}

/**
 * The client these credentials prove, or undefined. Public clients present no secret; confidential ones
 * must present theirs (in the Authorization header or the body: both carry the same secret).
 */
export async function authenticateClient(db: Queryable, credentials: ClientCredentials): Promise<Client | undefined> {
  const { rows } = await db.query<ClientRow & { secretHash: string | null; secretExpired: boolean }>(
    `SELECT ${CLIENT_COLUMNS}, client_secret_hash AS "secretHash",
       coalesce(client_secret_expires_at <= now(), false) AS "secretExpired"
     FROM oauth2_clients WHERE client_id = $1`,
    [credentials.clientId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { secretHash, secretExpired, ...client } = row;
  if (client.tokenEndpointAuthMethod === "none") return credentials.clientSecret === undefined ? toClient(client) : undefined;
  if (credentials.clientSecret === undefined || !secretHash || secretExpired) return undefined;
  return credentialMatches(credentials.clientSecret, secretHash) ? toClient(client) : undefined;
}
