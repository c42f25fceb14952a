// The service with every provider configured against local fakes: one fake of each provider (sharing one
// clock) and as many server instances on one database as a test needs (a second instance shares the
// database, the fakes and the master key, like a second Cloud Run instance).
import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createTestDatabase } from "./database.js";
import { FakeClock } from "./fakes/http.js";
import { startGarminFake, type GarminFake } from "./fakes/garmin.js";
import { startGoogleHealthFake, type GoogleHealthFake } from "./fakes/google-health.js";
import { startStravaFake, type StravaFake } from "./fakes/strava.js";
import { startTestServer, type TestServer } from "./server.js";

export interface FitnessStack {
  clock: FakeClock;
  strava: StravaFake;
  google: GoogleHealthFake;
  garmin: GarminFake;
  /** The first instance; `startInstance` adds more on the same database. */
  server: TestServer;
  startInstance(): Promise<TestServer>;
  close(): Promise<void>;
}

export async function startFitnessStack(): Promise<FitnessStack> {
  const clock = new FakeClock(Date.now());
  const [strava, google, garmin] = await Promise.all([startStravaFake(clock), startGoogleHealthFake(clock), startGarminFake(clock)]);
  const env = {
    DATABASE_URL: await createTestDatabase(),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    STRAVA_CLIENT_ID: strava.clientId,
    STRAVA_CLIENT_SECRET: strava.clientSecret,
    STRAVA_API_BASE_URL: `${strava.origin}/api/v3`,
    STRAVA_OAUTH_BASE_URL: `${strava.origin}/oauth`,
    FITBIT_CLIENT_ID: google.clientId,
    FITBIT_CLIENT_SECRET: google.clientSecret,
    FITBIT_AUTH_BASE_URL: google.origin,
    FITBIT_TOKEN_BASE_URL: google.origin,
    FITBIT_API_BASE_URL: `${google.origin}/v4`,
    GARMIN_CLIENT_ID: garmin.clientId,
    GARMIN_CLIENT_SECRET: garmin.clientSecret,
    GARMIN_AUTHORIZE_BASE_URL: garmin.origin,
    GARMIN_TOKEN_BASE_URL: garmin.origin,
    GARMIN_API_BASE_URL: garmin.origin,
  };
  const instances: TestServer[] = [];
  const startInstance = async () => {
    const instance = await startTestServer(env);
    instances.push(instance);
    return instance;
  };
  const server = await startInstance();
  return {
    clock,
    strava,
    google,
    garmin,
    server,
    startInstance,
    async close() {
      await Promise.all(instances.map((instance) => instance.close()));
      await Promise.all([strava.close(), google.close(), garmin.close()]);
    },
  };
}

/** An SDK client on `server`'s /mcp with an API key. */
export async function mcpClient(server: TestServer, apiKey: string): Promise<Client> {
  const client = new Client({ name: "pierre-fitness-tests", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { "X-API-Key": apiKey } } }));
  return client;
}

/** Follows a redirect chain like a browser until it leaves `origin`'s authorization pages; returns the final response. */
export async function browse(url: string): Promise<Response> {
  let next = url;
  for (let hops = 0; hops < 5; hops++) {
    const response = await fetch(next, { redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) return response;
    next = new URL(location, next).toString();
  }
  throw new Error("too many redirects");
}

export interface EventStream {
  response: Response;
  /** Everything received so far. */
  text(): string;
  /** Resolves once the received text matches `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): void;
}

/** Opens GET /api/notifications/stream on `server` like an EventSource with an API key would. */
export async function openEventStream(server: Pick<TestServer, "url">, apiKey: string): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(`${server.url}/api/notifications/stream`, { headers: { "X-API-Key": apiKey, accept: "text/event-stream" }, signal: abort.signal });
  let received = "";
  const waiters = new Set<() => void>();
  if (response.ok && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          received += decoder.decode(chunk, { stream: true });
          for (const wake of waiters) wake();
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    response,
    text: () => received,
    waitFor(pattern, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(received);
          if (!match) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(match[0]);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${pattern} in the stream; received: ${JSON.stringify(received)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
}
