// Client ID Metadata Documents: the client's id is the https URL of its metadata, served here by a real
// HTTPS server on 127.0.0.1 (self-signed certificate, trusted through CLIENT_METADATA_CA). The
// flow is driven by the MCP SDK's own client, which uses such a client_id when the server advertises it.
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMetadataDocumentUrl } from "../../service/oauth/client-metadata-documents.js";
import { postMcp, toolCall } from "../support/mcp.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { closeWithoutErrors, createMember, PASSWORD, redirectParams, signIn, TestOAuthProvider } from "../support/oauth.js";

const REDIRECT = "http://127.0.0.1:53682/callback";

interface Served {
  status?: number;
  contentType?: string;
  body: unknown;
}

let certificate: string;
let documents: Server;
const served = new Map<string, Served>();
const fetches = new Map<string, number>();
let server: TestServer;

beforeAll(async () => {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    algorithm: "sha256",
    extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }] }],
  });
  certificate = pems.cert;
  documents = createServer({ key: pems.private, cert: certificate }, (req, res) => {
    fetches.set(req.url!, (fetches.get(req.url!) ?? 0) + 1);
    const document = served.get(req.url!);
    if (!document) return void res.writeHead(404).end();
    res.writeHead(document.status ?? 200, { "content-type": document.contentType ?? "application/json" });
    res.end(typeof document.body === "string" ? document.body : JSON.stringify(document.body));
  });
  await new Promise<void>((resolve) => documents.listen(0, "127.0.0.1", resolve));
  server = await startTestServer({ CLIENT_METADATA_ALLOW_PRIVATE_ADDRESSES: "true", CLIENT_METADATA_CA: certificate });
}, 60_000);
afterAll(async () => {
  documents.close();
  await closeWithoutErrors(server);
});

/** Serves a document at a fresh path on "localhost" or "127.0.0.1"; returns its URL (the client_id). */
function serve(document: (url: string) => Served, host = "localhost"): string {
  const path = `/clients/${Math.random().toString(36).slice(2)}.json`;
  const url = `https://${host}:${(documents.address() as AddressInfo).port}${path}`;
  served.set(path, document(url));
  return url;
}

const clientDocument = (url: string, extra: Record<string, unknown> = {}): Served => ({
  body: { client_id: url, client_name: "Metadata client", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", ...extra },
});

async function authorizePage(target: TestServer, clientId: string): Promise<{ status: number; html: string }> {
  const url = new URL(`${target.url}/oauth2/authorize`);
  url.search = new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT, response_type: "code",
    code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" }).toString();
  const response = await fetch(url, { redirect: "manual" });
  return { status: response.status, html: await response.text() };
}

class MetadataDocumentProvider extends TestOAuthProvider {
  constructor(readonly clientMetadataUrl: string) {
    super(REDIRECT, { client_name: "Metadata client", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
  }
}

describe("a client identified by its metadata document", () => {
  it("is advertised, and completes the SDK's flow without registering, through to tools/call", async () => {
    const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(metadata.client_id_metadata_document_supported).toBe(true);

    await createMember(server, "cimd@example.com");
    const clientId = serve((url) => clientDocument(url));
    const provider = new MetadataDocumentProvider(clientId);
    const serverUrl = server.config.mcpResourceUrl;
    expect(await auth(provider, { serverUrl })).toBe("REDIRECT");
    expect(provider.authorizationUrl!.searchParams.get("client_id")).toBe(clientId);
    const redirect = redirectParams(await signIn(provider.authorizationUrl!, { email: "cimd@example.com", password: PASSWORD }));
    expect(await auth(provider, { serverUrl, authorizationCode: redirect.get("code")! })).toBe("AUTHORIZED");

    const response = await postMcp(server.url, toolCall("whoami"), { authorization: `Bearer ${provider.saved!.access_token}` });
    expect(response.status).toBe(200);
    const { rows } = await server.pool.query(
      "SELECT client_name, token_endpoint_auth_method, client_secret_hash, metadata_document_fetched_at IS NOT NULL AS fetched FROM oauth2_clients WHERE client_id = $1",
      [clientId],
    );
    // The name a document claims is shown with the host its URL proves.
    expect(rows).toEqual([{ client_name: `Metadata client (${new URL(clientId).host})`, token_endpoint_auth_method: "none", client_secret_hash: null, fetched: true }]);
    expect(fetches.get(new URL(clientId).pathname)).toBe(1);
  });

  it("is fetched once, then read from the database while the stored copy is fresh", async () => {
    const clientId = serve((url) => clientDocument(url));
    for (let i = 0; i < 3; i++) expect((await authorizePage(server, clientId)).status).toBe(200);
    expect(fetches.get(new URL(clientId).pathname)).toBe(1);
  });

  it.each<[string, (url: string) => Served, RegExp]>([
    ["names another client_id", (url) => clientDocument(url, { client_id: `${url}x` }), /names a different client_id/],
    ["asks for a shared secret", (url) => clientDocument(url, { token_endpoint_auth_method: "client_secret_basic" }), /token_endpoint_auth_method: must be none/],
    ["lists no redirect URI", (url) => clientDocument(url, { redirect_uris: [] }), /redirect_uris: at least one redirect URI/],
    ["is not JSON", () => ({ body: "{not json" }), /not valid JSON/],
    ["is served as HTML", (url) => ({ ...clientDocument(url), contentType: "text/html" }), /not application\/json/],
    ["is not found", (url) => ({ ...clientDocument(url), status: 404 }), /HTTP 404/],
    ["is too large", (url) => clientDocument(url, { client_uri: `https://example.com/${"a".repeat(6_000)}` }), /larger than 5120 bytes/],
  ])("is refused with a page when its document %s", async (_case, document, reason) => {
    const page = await authorizePage(server, serve(document));
    expect(page.status).toBe(400);
    expect(page.html).toContain("Unusable application");
    expect(page.html).toMatch(reason);
  });

  it("may only redirect to the URIs its document lists", async () => {
    const clientId = serve((url) => clientDocument(url, { redirect_uris: ["http://127.0.0.1:1/elsewhere"] }));
    const page = await authorizePage(server, clientId);
    expect(page.status).toBe(400);
    expect(page.html).toContain("Invalid redirect");
  });

  it("is not fetched from a private address unless that is allowed (SSRF)", async () => {
    const guarded = await startTestServer({ DATABASE_URL: server.config.database.url!, CLIENT_METADATA_CA: certificate });
    try {
      for (const host of ["localhost", "127.0.0.1"]) {
        const clientId = serve((url) => clientDocument(url), host);
        const page = await authorizePage(guarded, clientId);
        expect(page.status).toBe(400);
        expect(page.html).toMatch(/not a public address/);
        expect(fetches.get(new URL(clientId).pathname)).toBeUndefined();
      }
    } finally {
      await closeWithoutErrors(guarded);
    }
  });
});

describe("isMetadataDocumentUrl", () => {
  it.each([
    ["https://client.example.com/oauth/metadata.json", true],
    ["https://client.example.com/", false],
    ["https://client.example.com", false],
    ["http://client.example.com/metadata.json", false],
    ["https://client.example.com/metadata.json#x", false],
    ["https://user:pw@client.example.com/metadata.json", false],
    ["https://client.example.com/a/../metadata.json", false],
    ["xHk2mFq9R0b1c2d3e4f5g6h7i8j9k0lm", false],
  ])("%s: %s", (clientId, expected) => {
    expect(isMetadataDocumentUrl(clientId)).toBe(expected);
  });
});
