// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document; MCP 2025-11-25 says
// authorization servers SHOULD support them): a client_id that is an https URL names a JSON document of
// the client's metadata, fetched on demand instead of a prior registration. The client is then stored
// like a registered one (codes and grants reference it) and its document fetched again once older than
// maxAgeMs.
//
// The URL comes from whoever opens the authorization page, so fetching it is guarded against SSRF: https
// only, every address the name resolves to must be public (checked where the socket connects, so DNS
// rebinding cannot swap it), no redirects, a short timeout and a small size limit.
import { lookup, type LookupAddress, type LookupAllOptions } from "node:dns";
import { request } from "node:https";
import { BlockList, isIP } from "node:net";
import { rootCertificates } from "node:tls";
import { z } from "zod";
import type { Queryable } from "../db/pool.js";
import { NOT_STORABLE, unstorableTextPath } from "../http/storable-text.js";
import { CLIENT_COLUMNS, registrationSchema, storedMetadata, toClient, type Client, type ClientRow } from "./clients.js";

export interface MetadataDocumentOptions {
  /** A stored document older than this is fetched again. */
  maxAgeMs: number;
  timeoutMs: number;
  maxBytes: number;
  /** Allow documents on loopback and private addresses (an internal deployment, or tests); SSRF risk. */
  allowPrivateAddresses: boolean;
  /** A PEM certificate trusted for the documents' servers besides the public roots. */
  extraCa?: string;
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

function fetchDocument(url: URL, options: MetadataDocumentOptions): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // An IP literal is connected to without a lookup, so it is checked here.
    const literal = url.hostname.replace(/^\[|\]$/g, "");
    if (isIP(literal) && !options.allowPrivateAddresses && isPrivateAddress(literal)) {
      return reject(new Error(`${url.host} is not a public address`));
    }
    const req = request(url, {
      // A connection of its own: a pooled socket would skip the address check below.
      agent: false,
      headers: { accept: "application/json" },
      timeout: options.timeoutMs,
      lookup: publicOnlyLookup(options.allowPrivateAddresses),
      ...(options.extraCa ? { ca: [...rootCertificates, options.extraCa] } : {}),
    }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`HTTP ${res.statusCode}`));
      }
      if (!/^application\/(.+\+)?json\b/.test(res.headers["content-type"] ?? "")) {
        res.resume();
        return reject(new Error("not application/json"));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("error", reject);
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= options.maxBytes) return void chunks.push(chunk);
        reject(new Error(`larger than ${options.maxBytes} bytes`));
        req.destroy();
      });
      res.on("end", () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {
          reject(new Error("not valid JSON"));
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup for the socket, failing when the name resolves to any non-public address. */
function publicOnlyLookup(allowPrivateAddresses: boolean) {
  return (hostname: string, options: LookupAllOptions | { all?: false }, callback: LookupCallback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = allowPrivateAddresses ? undefined : addresses.find((entry) => isPrivateAddress(entry.address));
      if (refused) return callback(Object.assign(new Error(`${hostname} resolves to ${refused.address}, not a public address`), { code: "EPRIVATE" }), []);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 3]] as const) {
  NON_PUBLIC.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [["::", 127], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) NON_PUBLIC.addSubnet(network, prefix, "ipv6");

function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return NON_PUBLIC.check(mapped[1]!, "ipv4");
  return isIP(address) === 6 ? NON_PUBLIC.check(address, "ipv6") : NON_PUBLIC.check(address, "ipv4");
}
