// The cross-instance event channels (db/notifications.ts) on a real PostgreSQL 16: one LISTEN connection per
// instance whatever the number of channels, events by key from any connection, a dropped connection
// replaced with every channel listened on again, and a close that ends the subscribers and releases it.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotificationListener, type Channel } from "../../service/db/notifications.js";
import { createTestDatabase } from "../support/database.js";
import { captureLogger } from "../support/log-capture.js";

interface Ping {
  key: string;
  n: number;
}

let pool: pg.Pool;
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase(), max: 6 });
});
afterAll(() => pool.end());

const keyOf = (event: Ping) => event.key;

/** The backends of this database whose last statement was a LISTEN: the listeners holding a connection. */
async function listenerBackends(): Promise<number[]> {
  const { rows } = await pool.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'");
  return rows.map((row: { pid: number }) => row.pid);
}

/** Subscribes to `key` and resolves with the first `count` events it receives. */
async function collect(channel: Channel<Ping>, key: string, count: number): Promise<{ events: Promise<Ping[]>; ended: Promise<void> }> {
  const received: Ping[] = [];
  let settle!: (events: Ping[]) => void;
  let end!: () => void;
  const events = new Promise<Ping[]>((resolve) => (settle = resolve));
  const ended = new Promise<void>((resolve) => (end = resolve));
  await channel.subscribe(key, (event) => {
    received.push(event);
    if (received.length === count) settle(received);
  }, end);
  return { events, ended };
}

describe("notification channels", () => {
  it("share one LISTEN connection per instance and deliver each key's events from any connection", async () => {
    const one = createNotificationListener(pool, captureLogger().logger);
    const two = createNotificationListener(pool, captureLogger().logger);
    try {
      const alpha = one.channel<Ping>({ name: "test_alpha", keyOf });
      const beta = one.channel<Ping>({ name: "test_beta", keyOf });
      const alphaOnTwo = two.channel<Ping>({ name: "test_alpha", keyOf });
      expect(await listenerBackends()).toHaveLength(0);

      const a = await collect(alpha, "k1", 2);
      const b = await collect(beta, "k1", 1);
      expect(await listenerBackends()).toHaveLength(1);
      const elsewhere = await collect(alphaOnTwo, "k1", 2);
      expect(await listenerBackends()).toHaveLength(2);

      // Published through the pool, not the listeners' connections; another key is not delivered.
      await alpha.publish(pool, { key: "k2", n: 0 });
      await alpha.publish(pool, { key: "k1", n: 1 });
      await beta.publish(pool, { key: "k1", n: 2 });
      await alphaOnTwo.publish(pool, { key: "k1", n: 3 });
      expect(await a.events).toEqual([{ key: "k1", n: 1 }, { key: "k1", n: 3 }]);
      expect(await b.events).toEqual([{ key: "k1", n: 2 }]);
      expect(await elsewhere.events).toEqual([{ key: "k1", n: 1 }, { key: "k1", n: 3 }]);
      expect(() => one.channel<Ping>({ name: "test_alpha", keyOf })).toThrow(/already exists/);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it("listens on every subscribed channel again when the database drops the connection", async () => {
    const capture = captureLogger();
    const listener = createNotificationListener(pool, capture.logger, { reconnectDelayMs: 5 });
    try {
      const alpha = listener.channel<Ping>({ name: "test_alpha", keyOf });
      const beta = listener.channel<Ping>({ name: "test_beta", keyOf });
      const a = await collect(alpha, "k", 1);
      const b = await collect(beta, "k", 1);
      const [lost] = await listenerBackends();
      await pool.query("SELECT pg_terminate_backend($1)", [lost]);

      // Both LISTENs again, on a new connection (the one a query names last is the second channel's).
      await expect.poll(async () => (await listenerBackends()).filter((pid) => pid !== lost), { timeout: 10_000 }).toHaveLength(1);
      await expect.poll(async () => {
        const { rows } = await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query IN ('LISTEN test_alpha', 'LISTEN test_beta')");
        return rows[0].n;
      }).toBe(1);
      await alpha.publish(pool, { key: "k", n: 1 });
      await beta.publish(pool, { key: "k", n: 2 });
      expect(await a.events).toEqual([{ key: "k", n: 1 }]);
      expect(await b.events).toEqual([{ key: "k", n: 2 }]);
      expect(capture.entries().some((entry) => entry.message === "notification listener lost its database connection")).toBe(true);
    } finally {
      await listener.close();
    }
  });

  it("ends every subscriber on close and gives the connection back", async () => {
    const listener = createNotificationListener(pool, captureLogger().logger);
    const alpha = listener.channel<Ping>({ name: "test_alpha", keyOf });
    const beta = listener.channel<Ping>({ name: "test_beta", keyOf });
    const subscriptions = [await collect(alpha, "k", 1), await collect(beta, "k", 1), await collect(beta, "other", 1)];
    expect(await listenerBackends()).toHaveLength(1);

    await listener.close();
    await Promise.all(subscriptions.map((subscription) => subscription.ended));
    expect(await listenerBackends()).toHaveLength(0);
    await expect(alpha.subscribe("k", () => undefined, () => undefined)).rejects.toThrow(/closed/);
  });
});
