import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browse, mcpClient, openEventStream, startFitnessStack, type FitnessStack } from "../support/fitness-server.js";
import { createAccount } from "../support/fitness.js";
import type { TestServer } from "../support/server.js";

let stack: FitnessStack;
let second: TestServer;

beforeAll(async () => {
  stack = await startFitnessStack();
  second = await stack.startInstance();
});
afterAll(() => stack.close());

describe("GET /api/notifications/stream", () => {
  it("refuses a caller without credentials like /mcp does", async () => {
    const response = await fetch(`${second.url}/api/notifications/stream`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer resource_metadata=/);
  });

  it("receives the connection event on another instance than the one the callback landed on, and only the user's own", async () => {
    const ann = await createAccount(stack.server.pool, "notify-ann");
    const bob = await createAccount(stack.server.pool, "notify-bob");
    const annStream = await openEventStream(second, ann.apiKey);
    const bobStream = await openEventStream(second, bob.apiKey);
    try {
      expect(annStream.response.status).toBe(200);
      expect(annStream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      await annStream.waitFor(/: connected\n\n/);
      await bobStream.waitFor(/: connected\n\n/);

      const client = await mcpClient(stack.server, ann.apiKey);
      const started = await client.callTool({ name: "connect_provider", arguments: { provider: "strava" } });
      const url = (started.structuredContent as { authorizationUrl: string }).authorizationUrl;
      // The provider sends the browser back to the first instance (PUBLIC_BASE_URL); the stream is on the second.
      expect(new URL(url).searchParams.get("redirect_uri")).toContain(stack.server.url);
      expect((await browse(url)).status).toBe(200);
      await client.close();

      expect(await annStream.waitFor(/event: connection\ndata: .*\n\n/)).toBe('event: connection\ndata: {"provider":"strava","status":"connected"}\n\n');
      // Bob's stream stays quiet: give a stray event time to arrive first.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(bobStream.text()).not.toMatch(/event:/);
    } finally {
      annStream.close();
      bobStream.close();
    }
  });

  it("ends open streams at shutdown instead of holding the drain for the whole grace period", async () => {
    const third = await stack.startInstance();
    const carol = await createAccount(stack.server.pool, "notify-carol");
    const stream = await openEventStream(third, carol.apiKey);
    await stream.waitFor(/: connected\n\n/);
    const started = Date.now();
    await third.close();
    // SHUTDOWN_GRACE_MS is 3000 in tests: a stream still open would hold close() that long.
    expect(Date.now() - started).toBeLessThan(1500);
    stream.close();
  });
});
