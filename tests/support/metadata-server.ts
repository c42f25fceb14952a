// A local stand-in for the GCE/Cloud Run metadata server's token endpoint, speaking its real shape:
// GET /computeMetadata/v1/instance/service-accounts/default/token with `Metadata-Flavor: Google`,
// answered with that header and {"access_token", "expires_in", "token_type": "Bearer"}.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeMetadataServer {
  url: string;
  /** The token the next request gets. */
  token: string;
  expiresInSeconds: number;
  /** Requests for a token, counted. */
  requests: number;
  /** Off: answer without the Metadata-Flavor header, as something that is not the metadata server would. */
  sendFlavorHeader: boolean;
  close(): Promise<void>;
}

export async function startFakeMetadataServer(token: string): Promise<FakeMetadataServer> {
  const state = { token, expiresInSeconds: 3599, requests: 0, sendFlavorHeader: true };
  const server: Server = createServer((req, res) => {
    if (req.url !== "/computeMetadata/v1/instance/service-accounts/default/token" || req.method !== "GET") {
      res.writeHead(404).end();
      return;
    }
    // The real server refuses requests without the header (protection against SSRF through proxies).
    if (req.headers["metadata-flavor"] !== "Google") {
      res.writeHead(403, { "content-type": "text/html" }).end("Missing Metadata-Flavor:Google header.");
      return;
    }
    state.requests += 1;
    res.writeHead(200, {
      "content-type": "application/json",
      ...(state.sendFlavorHeader ? { "metadata-flavor": "Google" } : {}),
    });
    res.end(JSON.stringify({ access_token: state.token, expires_in: state.expiresInSeconds, token_type: "Bearer" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  });
}
