// A sync that outlives its lease (a long first sync, a slow provider): the lease is renewed while it runs,
// so another instance waits for it instead of syncing the same connection at the same time; and a sync
// whose lease was taken over anyway stores nothing. Two "instances" here are two fitness layers with
// their own lease holders on the stack's database, with a 1 s lease so that lapsing takes a second.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "../../service/crypto/envelope.js";
import { createNotificationListener } from "../../service/db/notifications.js";
import { findConnection } from "../../service/fitness/connections.js";
import { createFitnessServices, type FitnessServices } from "../../service/fitness/index.js";
import { captureLogger } from "../support/log-capture.js";
import { stravaActivity } from "../support/fakes/strava.js";
import { browse, mcpClient, startFitnessStack, type FitnessStack } from "../support/fitness-server.js";
import { createAccount, ownerOf } from "../support/fitness.js";

const LEASE_SECONDS = 1;
let stack: FitnessStack;
const instances: FitnessServices[] = [];

beforeAll(async () => {
  stack = await startFitnessStack();
});
afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.events.close()));
  await stack.close();
});

function instance(): FitnessServices {
  const { config, pool } = stack.server;
  const { logger } = captureLogger();
  const notifications = createNotificationListener(pool, logger);
  const fitness = createFitnessServices({ config, pool, keyring: new Keyring(pool, config.encryptionMasterKey!), logger, notifications, syncLeaseSeconds: LEASE_SECONDS });
  instances.push(fitness);
  return fitness;
}

/** A new user with Strava connected through the service's connect flow, not synced yet. */
async function stravaConnection(slug: string) {
  const account = await createAccount(stack.server.pool, slug);
  const client = await mcpClient(stack.server, account.apiKey);
  const started = await client.callTool({ name: "connect_provider", arguments: { provider: "strava" } });
  expect((await browse((started.structuredContent as { authorizationUrl: string }).authorizationUrl)).status).toBe(200);
  await client.close();
  return { account, connection: (await findConnection(stack.server.pool, ownerOf(account), "strava"))! };
}

const storedActivities = async (userId: string) =>
  (await stack.server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM fitness_activities WHERE user_id = $1", [userId])).rows[0]!.n;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("sync lease", () => {
  it("is renewed while a sync outlives it, so a second instance waits for that sync instead of running its own", async () => {
    stack.strava.athlete.activities = [1, 2, 3].map((i) => stravaActivity(i));
    const { account, connection } = await stravaConnection("lease-renewed");
    const lists = stack.strava.calls("activities.list");
    // The first page takes 2.5 lease lengths to come back.
    stack.strava.inject("activities.list", { delayMs: 2500 });
    const slow = instance().sync.ensureFresh(connection);
    await sleep(1500); // past the lease as first taken
    const other = await instance().sync.ensureFresh(connection);
    const first = await slow;

    expect(first.fresh).toBe(true);
    expect(other.fresh).toBe(true);
    // One sync: the delayed page and the empty page that ends the list; the second instance read none.
    expect(stack.strava.calls("activities.list") - lists).toBe(2);
    expect(await storedActivities(account.user.id)).toBe(3);
  });

  it("stores nothing from a sync whose lease another instance took over", async () => {
    stack.strava.athlete.activities = [1, 2].map((i) => stravaActivity(i));
    const { account, connection } = await stravaConnection("lease-lost");
    stack.strava.inject("activities.list", { delayMs: 800 });
    const stalled = instance().sync.ensureFresh(connection);
    await sleep(200);
    // What a lapsed lease looks like once another instance took it (e.g. this one was frozen past its renewals).
    await stack.server.pool.query(
      "UPDATE provider_sync_state SET sync_lease_owner = 'another-instance', sync_lease_until = now() + interval '1 minute' WHERE connection_id = $1",
      [connection.id],
    );
    const answer = await stalled;

    expect(answer).toMatchObject({ fresh: false, note: expect.stringMatching(/another instance/) });
    expect(await storedActivities(account.user.id)).toBe(0);
    const { rows } = await stack.server.pool.query("SELECT sync_lease_owner AS owner, activities_cursor AS cursor FROM provider_sync_state WHERE connection_id = $1", [connection.id]);
    // The other instance's lease is left alone, and no cursor moved.
    expect(rows[0]).toEqual({ owner: "another-instance", cursor: null });
  });
});
