// The machinery every provider fake shares: a real HTTP server on 127.0.0.1, request parsing, per-route call
// counts, injected faults (status codes, slow answers) and a settable clock for token expiry.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  /** Form body (application/x-www-form-urlencoded), empty for other bodies. */
  form: URLSearchParams;
  bearer: string | null;
}

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless a string (sent as is). undefined: empty body. */
  body?: unknown;
}

export type Fault = { status: number; headers?: Record<string, string>; body?: unknown } | { delayMs: number };

/** A route names one endpoint kind (e.g. "oauth.token", "activities.list") for counting and faults. */
export interface Route {
  name: string;
  method: string;
  /** Matched against the path; named groups become params. */
  path: RegExp;
  handle(request: FakeRequest, params: Record<string, string>): FakeReply | Promise<FakeReply>;
}

export class FakeClock {
  constructor(public nowMs = Date.UTC(2026, 10, 30, 7, 3, 0)) {}
  now = () => this.nowMs;
  advance(ms: number) {
    this.nowMs += ms;
  }
}

export interface FakeServer {
  origin: string;
  /** Calls per route name, faults included. */
  calls(name: string): number;
  /** The next `times` calls of a route get this fault instead of the real answer. */
  inject(name: string, fault: Fault, times?: number): void;
  close(): Promise<void>;
}

export async function startFakeServer(
  routes: Route[],
  decorate: (request: FakeRequest, route: Route, reply: FakeReply) => FakeReply = (_q, _r, reply) => reply,
): Promise<FakeServer> {
  const counts = new Map<string, number>();
  const faults = new Map<string, Fault[]>();
  const sockets = new Set<import("node:net").Socket>();

  async function dispatch(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const isForm = (req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
    const auth = req.headers.authorization;
    const request: FakeRequest = {
      method: req.method ?? "GET",
      url,
      headers: req.headers,
      form: new URLSearchParams(isForm ? raw : ""),
      bearer: auth?.startsWith("Bearer ") ? auth.slice(7) : null,
    };
    for (const route of routes) {
      const match = route.method === request.method ? route.path.exec(url.pathname) : null;
      if (!match) continue;
      counts.set(route.name, (counts.get(route.name) ?? 0) + 1);
      const fault = faults.get(route.name)?.shift();
      if (fault && "delayMs" in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      const reply =
        fault && "status" in fault ? fault : decorate(request, route, await route.handle(request, match.groups ?? {}));
      return send(res, reply);
    }
    send(res, { status: 404, body: { message: "Not Found" } });
  }

  const server = createServer((req, res) => {
    dispatch(req, res).catch((error: unknown) => send(res, { status: 500, body: { message: String(error) } }));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    calls: (name) => counts.get(name) ?? 0,
    inject(name, fault, times = 1) {
      const queue = faults.get(name) ?? [];
      for (let i = 0; i < times; i++) queue.push(fault);
      faults.set(name, queue);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, reply: FakeReply) {
  if (res.destroyed) return;
  const body = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body !== undefined && typeof reply.body !== "string")
    headers["content-type"] ??= "application/json; charset=utf-8";
  res.writeHead(reply.status, headers);
  res.end(body);
}

export const redirect = (location: URL): FakeReply => ({ status: 302, headers: { location: location.toString() } });

export const randomToken = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;

/** S256 PKCE check, as RFC 7636 §4.6 defines it. */
// Written out here rather than imported from service/providers/pkce.ts, so a wrong helper cannot agree with itself.
export const pkceMatches = (verifier: string, challenge: string) =>
  createHash("sha256").update(verifier, "ascii").digest("base64url") === challenge;
