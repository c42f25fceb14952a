// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document; MCP 2025-11-25 says
// authorization servers SHOULD support them): a client_id that is an https URL names a JSON document of
// the client's metadata, fetched on demand instead of a prior registration. The client is then stored
// like a registered one (codes and grants reference it) and its document fetched again once older than
// maxAgeMs.
//
// The URL comes from whoever opens the authorization page, so fetching it is guarded against SSRF
// (http/public-https.ts: https only, public addresses only, no redirects, a short timeout, a small size limit).
import { z } from "zod";
import type { Queryable } from "../db/pool.js";
import { publicHttpsRequest, type PublicHttpsOptions } from "../http/public-https.js";
import { NOT_STORABLE, unstorableTextPath } from "../http/storable-text.js";
import { CLIENT_COLUMNS, registrationSchema, storedMetadata, toClient, type Client, type ClientRow } from "./clients.js";

export interface MetadataDocumentOptions extends PublicHttpsOptions {
  /** A stored document older than this is fetched again. */
  maxAgeMs: number;
}

export const DEFAULT_METADATA_DOCUMENT_OPTIONS: MetadataDocumentOptions = {
  maxAgeMs: 60 * 60_000,
  timeoutMs: 5_000,
  maxBytes: 5_120,
  allowPrivateAddresses: false,
};

/** draft §3: an https URL with a path and no fragment or credentials, in canonical form (no dot segments). */
export function isMetadataDocumentUrl(clientId: string): boolean {
  if (!clientId.startsWith("https://")) return false;
  try {
    const url = new URL(clientId);
    return url.href === clientId && url.pathname !== "/" && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** What the document may say: registration metadata, for a public client (draft §4.1 forbids shared secrets). */
const documentSchema = registrationSchema.extend({
  client_id: z.string(),
  token_endpoint_auth_method: z.literal("none", { error: "must be none: this server supports no other method for such clients" }).default("none"),
});

export type MetadataDocumentClient = { client: Client } | { problem: string };

/** The client a metadata-document client_id names, from the stored copy while fresh, else fetched. */
export async function resolveMetadataDocumentClient(db: Queryable, clientId: string, options: MetadataDocumentOptions): Promise<MetadataDocumentClient> {
  const { rows } = await db.query<ClientRow>(
    `SELECT ${CLIENT_COLUMNS} FROM oauth2_clients
     WHERE client_id = $1 AND metadata_document_fetched_at > now() - make_interval(secs => $2)`,
    [clientId, options.maxAgeMs / 1000],
  );
  if (rows[0]) return { client: toClient(rows[0]) };

  let body: unknown;
  try {
    body = await fetchDocument(new URL(clientId), options);
  } catch (error) {
    return { problem: `its metadata document could not be fetched (${(error as Error).message})` };
  }
  const unstorable = unstorableTextPath(body);
  if (unstorable) return { problem: `its metadata document is invalid (${unstorable} ${NOT_STORABLE})` };
  const parsed = documentSchema.safeParse(body);
  if (!parsed.success) {
    return { problem: `its metadata document is invalid (${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})` };
  }
  const document = parsed.data;
  if (document.client_id !== clientId) return { problem: "its metadata document names a different client_id" };

  const { scope, descriptive } = storedMetadata(document);
  const stored = await db.query<ClientRow>(
    `INSERT INTO oauth2_clients (client_id, client_name, redirect_uris, grant_types, response_types, token_endpoint_auth_method,
       scope, metadata, metadata_document_fetched_at)
     VALUES ($1, $2, $3, $4, $5, 'none', $6, $7, now())
     ON CONFLICT (client_id) DO UPDATE SET client_name = EXCLUDED.client_name, redirect_uris = EXCLUDED.redirect_uris,
       grant_types = EXCLUDED.grant_types, response_types = EXCLUDED.response_types, scope = EXCLUDED.scope,
       metadata = EXCLUDED.metadata, metadata_document_fetched_at = now()
     WHERE oauth2_clients.metadata_document_fetched_at IS NOT NULL
     RETURNING ${CLIENT_COLUMNS}`,
    // Users see the name on the sign-in page; anyone can claim any name, so the host its URL proves is shown too.
    [clientId, displayName(clientId, document.client_name), document.redirect_uris, document.grant_types,
      document.response_types, scope, descriptive],
  );
  return stored.rows[0] ? { client: toClient(stored.rows[0]) } : { problem: "its client_id belongs to a registered client" };
}

function displayName(clientId: string, claimedName: string | undefined): string {
  const { host } = new URL(clientId);
  return claimedName ? `${claimedName} (${host})` : host;
}

async function fetchDocument(url: URL, options: MetadataDocumentOptions): Promise<unknown> {
  const answer = await publicHttpsRequest(url, options, { method: "GET", headers: { accept: "application/json" } });
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
  if (!/^application\/(.+\+)?json\b/.test(answer.contentType)) throw new Error("not application/json");
  try {
    return JSON.parse(answer.body.toString("utf8"));
  } catch {
    throw new Error("not valid JSON");
  }
}
