// The stream's heartbeats, with the router mounted on its own app so the interval can be short; every
// collaborator is the service's own, composed against a real database.
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeService, type ServiceGraph } from "../../service/composition.js";
import { loadConfig } from "../../service/config.js";
import { migrate } from "../../service/db/migrate.js";
import { createCallerAuthentication } from "../../service/fitness/caller.js";
import { notificationsRouter } from "../../service/fitness/notifications-route.js";
import { accessLog, createLogger } from "../../service/logging/index.js";
import { createTestDatabase } from "../support/database.js";
import { openEventStream } from "../support/fitness-server.js";
import { createAccount } from "../support/fitness.js";

let graph: ServiceGraph;
let server: Server;
let url: string;

beforeAll(async () => {
  const config = loadConfig({ DATABASE_URL: await createTestDatabase(), TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"), PASSWORD_HASH_COST: "4" });
  const logger = createLogger({ level: "warn", stream: new PassThrough() });
  graph = composeService(config, logger);
  await migrate(graph.pool);
  const app = express();
  app.use(accessLog(logger, 0));
  app.use(
    notificationsRouter({
      authenticate: createCallerAuthentication({ config, pool: graph.pool, rateLimiter: graph.rateLimiter, verifyAccessToken: graph.oauth.verifyAccessToken }),
      events: graph.fitness!.events,
      heartbeatMs: 40,
    }),
  );
  server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await graph.close();
});

describe("notification stream heartbeats", () => {
  it("writes a comment line every interval while nothing happens", async () => {
    const account = await createAccount(graph.pool, "heartbeat");
    const stream = await openEventStream({ url }, account.apiKey);
    try {
      expect(stream.response.status).toBe(200);
      await stream.waitFor(/(: heartbeat\n\n){3}/, 2_000);
      expect(stream.text()).not.toMatch(/event:/);
    } finally {
      stream.close();
    }
  });
});
