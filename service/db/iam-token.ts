// The database password under Cloud SQL IAM database authentication: a short-lived OAuth access token
// of the instance's service account, from the metadata server. Plain fetch, no Google client library:
// this runs when the pool opens a connection, on the cold-start path.
import { z } from "zod";

/** The metadata server's token endpoint for the service account the instance runs as. */
export const METADATA_TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";
/** Tokens live about an hour; a connection opened near the end still gets one with time to spare. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.literal("Bearer"),
});

export class MetadataTokenError extends Error {}

/**
 * A password function for pg: the cached token while it has more than five minutes left, otherwise a
 * new one (one request at a time, however many connections open at once).
 */
export function metadataTokenSource(metadataUrl: string, now: () => number = Date.now): () => Promise<string> {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return () => {
    if (cached && now() < cached.expiresAt - REFRESH_BEFORE_EXPIRY_MS) return Promise.resolve(cached.token);
    pending ??= fetchToken(metadataUrl)
      .then(({ access_token, expires_in }) => {
        cached = { token: access_token, expiresAt: now() + expires_in * 1000 };
        return access_token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

async function fetchToken(metadataUrl: string): Promise<z.infer<typeof tokenResponse>> {
  const response = await fetch(`${metadataUrl}${METADATA_TOKEN_PATH}`, {
    headers: { "Metadata-Flavor": "Google" },
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new MetadataTokenError(`metadata server answered ${response.status} for the access token`);
  // The real server sets this header; anything else (a proxy, a captive portal) is not the metadata server.
  if (response.headers.get("metadata-flavor") !== "Google") {
    throw new MetadataTokenError("metadata server response lacks Metadata-Flavor: Google");
  }
  const parsed = tokenResponse.safeParse(await response.json());
  if (!parsed.success) throw new MetadataTokenError("metadata server sent an unexpected token response");
  return parsed.data;
}
