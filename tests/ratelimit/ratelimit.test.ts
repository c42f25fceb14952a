import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../service/db/migrate.js";
import { freePort } from "../../service/free-port.js";
import { createApiKey } from "../../service/identity/api-keys.js";
import { createRateLimiter } from "../../service/ratelimit/index.js";
import { clientAddressKey } from "../../service/ratelimit/policies.js";
import { createTestDatabase } from "../support/database.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createAccount, postMcp, toolCall } from "../support/mcp.js";

const RATE_LIMIT = /^"burst";r=(\d+);t=(\d+), "monthly";r=(\d+);t=(\d+)$/;

/** Counters use calendar minutes: start a burst sequence early in a minute so it cannot straddle two. */
async function awaitFreshMinute(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ left: number }>("SELECT 60 - extract(second FROM clock_timestamp())::float AS left");
  if (rows[0].left < 8) await new Promise((resolve) => setTimeout(resolve, rows[0].left * 1000 + 100));
}

async function counter(pool: pg.Pool, bucket: string): Promise<number | undefined> {
  const { rows } = await pool.query<{ count: number }>(
    `SELECT count FROM rate_limit_counters WHERE bucket = $1 AND expires_at > now()`,
    [bucket],
  );
  return rows[0]?.count;
}

describe("per-principal limits on /mcp", () => {
  let server: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    // A second instance on the same database: what two Cloud Run instances look like.
    second = await startTestServer({
      DATABASE_URL: server.config.database.url!,
      TOKEN_ENCRYPTION_KEY: server.config.encryptionMasterKey!.toString("base64"),
    });
  });
  afterAll(async () => {
    await second.close();
    await server.close();
  });

  it("rejects the request over a key's burst with 429, Retry-After and RateLimit headers, then recovers", async () => {
    const account = await createAccount(server.pool, "burst-three", { key: { burstPerMinute: 3 } });
    const headers = { "x-api-key": account.apiKey };
    await awaitFreshMinute(server.pool);

    for (let remaining = 2; remaining >= 0; remaining--) {
      const ok = await postMcp(server.url, toolCall("whoami"), headers);
      expect(ok.status).toBe(200);
      // Free tier: the key's own burst (3) overrides the tier's 100; its month and the tenant's are 10,000.
      expect(ok.headers.get("ratelimit-policy")).toMatch(/^"burst";q=3;w=60, "monthly";q=10000;w=(2419200|2505600|2592000|2678400)$/);
      const [, burstLeft, burstReset, monthLeft] = RATE_LIMIT.exec(ok.headers.get("ratelimit") ?? "") ?? [];
      expect(Number(burstLeft)).toBe(remaining);
      expect(Number(burstReset)).toBeGreaterThanOrEqual(1);
      expect(Number(burstReset)).toBeLessThanOrEqual(60);
      expect(Number(monthLeft)).toBe(10_000 - (3 - remaining));
    }

    const limited = await postMcp(server.url, toolCall("whoami"), headers);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("ratelimit")).toBe(`"burst";r=0;t=${retryAfter}`);
    expect(limited.headers.get("ratelimit-policy")).toBe('"burst";q=3;w=60');
    expect(await limited.json()).toEqual({
      jsonrpc: "2.0",
      error: { code: -32000, message: expect.stringMatching(/rate limit exceeded/) },
      id: null,
    });
    // The rejected request counted against the burst but did not spend the monthly quota.
    const keyId = (await server.pool.query<{ id: string }>("SELECT id FROM api_keys WHERE prefix = $1", [account.apiKeyPrefix])).rows[0].id;
    expect(await counter(server.pool, `key:${keyId}:minute`)).toBe(4);
    expect(await counter(server.pool, `key:${keyId}:month`)).toBe(3);
    expect(await counter(server.pool, `tenant:${account.tenant.id}:month`)).toBe(3);

    // The next minute: move the current window into the past instead of waiting for it to end.
    await server.pool.query(
      `UPDATE rate_limit_counters SET window_start = window_start - interval '1 minute', expires_at = expires_at - interval '1 minute'
       WHERE bucket = $1`,
      [`key:${keyId}:minute`],
    );
    const recovered = await postMcp(server.url, toolCall("whoami"), headers);
    expect(recovered.status).toBe(200);
    expect(recovered.headers.get("ratelimit")).toMatch(/^"burst";r=2;t=\d+, "monthly";r=9996;t=\d+$/);
  });

  it("charges every request of a JSON-RPC batch, so a batch cannot multiply the limits", async () => {
    const account = await createAccount(server.pool, "batch-ten", { key: { burstPerMinute: 10 } });
    const headers = { "x-api-key": account.apiKey };
    await awaitFreshMinute(server.pool);

    const four = await postMcp(server.url, Array.from({ length: 4 }, () => toolCall("whoami")), headers);
    expect(four.status).toBe(200);
    expect(four.headers.get("ratelimit")).toMatch(/^"burst";r=6;t=\d+, "monthly";r=9996;t=\d+$/);

    const seven = await postMcp(server.url, Array.from({ length: 7 }, () => toolCall("whoami")), headers);
    expect(seven.status).toBe(429);
    expect(Number(seven.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await seven.json()).toEqual({ jsonrpc: "2.0", error: { code: -32000, message: expect.stringMatching(/batch of 7 requests/) }, id: null });
    // Charged one by one: the refused batch's calls up to the burst spent monthly quota, the one over it did not.
    const keyId = (await server.pool.query<{ id: string }>("SELECT id FROM api_keys WHERE prefix = $1", [account.apiKeyPrefix])).rows[0].id;
    expect(await counter(server.pool, `key:${keyId}:month`)).toBe(10);
  });

  it("shares counters between two instances on one database", async () => {
    const account = await createAccount(server.pool, "two-instances", { key: { burstPerMinute: 3 } });
    const headers = { "x-api-key": account.apiKey };
    await awaitFreshMinute(server.pool);
    expect((await postMcp(server.url, toolCall("whoami"), headers)).status).toBe(200);
    expect((await postMcp(second.url, toolCall("whoami"), headers)).status).toBe(200);
    expect((await postMcp(server.url, toolCall("whoami"), headers)).status).toBe(200);
    const limitedOnSecond = await postMcp(second.url, toolCall("whoami"), headers);
    expect(limitedOnSecond.status).toBe(429);
    expect((await postMcp(server.url, toolCall("whoami"), headers)).status).toBe(429);
  });

  it("admits exactly the limit under concurrent requests spread over both instances", async () => {
    const account = await createAccount(server.pool, "concurrent", { key: { burstPerMinute: 10 } });
    const headers = { "x-api-key": account.apiKey };
    await awaitFreshMinute(server.pool);
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => postMcp(i % 2 === 0 ? server.url : second.url, toolCall("whoami"), headers)),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
    expect(await counter(server.pool, `tenant:${account.tenant.id}:month`)).toBe(10);
  });

  it("pools the monthly quota of a tenant across its keys, sized by the tenant's tier", async () => {
    const account = await createAccount(server.pool, "pooled", { tenantTier: "free", userTier: "enterprise" });
    const { key: otherKey } = await createApiKey(server.pool, { tenantId: account.tenant.id, userId: account.user.id, name: "second key" });
    // The whole free-tier month (10,000) already spent by the tenant's first key.
    await server.pool.query(
      `INSERT INTO rate_limit_counters (bucket, window_start, count, expires_at)
       VALUES ($1, date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 10000,
               (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC')`,
      [`tenant:${account.tenant.id}:month`],
    );
    const limited = await postMcp(server.url, toolCall("whoami"), { "x-api-key": otherKey });
    expect(limited.status).toBe(429);
    // Retry when the month is over, not in a minute.
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(limited.headers.get("ratelimit")).toMatch(/^"burst";r=\d+;t=\d+, "monthly";r=0;t=\d+$/);
    // The user's own tier (enterprise) sizes the key's limits, the tenant's tier (free) the pool.
    expect(limited.headers.get("ratelimit-policy")).toMatch(/^"burst";q=2000;w=60, "monthly";q=10000;w=\d+$/);
  });

  it("serves requests without limits (fail open) while the counters cannot be written, and logs it", async () => {
    const account = await createAccount(server.pool, "fail-open", { key: { burstPerMinute: 1 } });
    await server.pool.query("ALTER TABLE rate_limit_counters RENAME TO rate_limit_counters_away");
    try {
      for (let i = 0; i < 3; i++) {
        const response = await postMcp(server.url, toolCall("whoami"), { "x-api-key": account.apiKey });
        expect(response.status).toBe(200);
        expect(response.headers.get("ratelimit")).toBeNull();
      }
    } finally {
      await server.pool.query("ALTER TABLE rate_limit_counters_away RENAME TO rate_limit_counters");
    }
    expect(server.logs.filter((line) => line.message === "rate limiter unavailable, request allowed without limits")).toHaveLength(3);
  });
});

describe("per-IP limits on the OAuth endpoints", () => {
  let direct: TestServer;
  let behindProxy: TestServer;

  beforeAll(async () => {
    direct = await startTestServer(); // TRUST_PROXY_HOPS unset: no proxy, X-Forwarded-For is not believed
    behindProxy = await startTestServer({ TRUST_PROXY_HOPS: "1" });
  });
  afterAll(async () => {
    await direct.close();
    await behindProxy.close();
  });

  const register = (server: TestServer, forwardedFor: string) =>
    fetch(`${server.url}/oauth2/register`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
      body: JSON.stringify({ redirect_uris: ["http://127.0.0.1:9999/callback"], client_name: "rate limit test" }),
    });

  it("allows 10 registrations a minute per address and ignores X-Forwarded-For without a trusted proxy", async () => {
    await awaitFreshMinute(direct.pool);
    for (let i = 0; i < 10; i++) {
      // A different claimed address each time: without trust proxy they all count as 127.0.0.1.
      const response = await register(direct, `198.51.100.${i}`);
      expect(response.status).not.toBe(429);
      expect(response.headers.get("ratelimit-policy")).toBe('"burst";q=10;w=60');
      expect(response.headers.get("ratelimit")).toMatch(new RegExp(`^"burst";r=${9 - i};t=\\d+$`));
    }
    const limited = await register(direct, "198.51.100.200");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("ratelimit")).toMatch(/^"burst";r=0;t=\d+$/);
    expect(await limited.json()).toEqual({ error: "rate_limited", error_description: expect.stringMatching(/retry in \d+ s/) });
    // The claimed address is logged for the record, never used as the client's.
    const line = direct.logs.find((entry) => (entry.httpRequest as { requestMethod?: string } | undefined)?.requestMethod === "POST" && entry.untrustedForwardedFor === "198.51.100.200");
    expect(line).toMatchObject({ httpRequest: { remoteIp: "127.0.0.1", status: 429 } });
  });

  it("keys by the client address the trusted proxy reports", async () => {
    await awaitFreshMinute(behindProxy.pool);
    for (let i = 0; i < 10; i++) expect((await register(behindProxy, "203.0.113.7")).status).not.toBe(429);
    expect((await register(behindProxy, "203.0.113.7")).status).toBe(429);
    // Another client behind the same proxy has its own budget; a spoofed earlier hop changes nothing.
    expect((await register(behindProxy, "203.0.113.8")).status).not.toBe(429);
    expect((await register(behindProxy, "192.0.2.1, 203.0.113.7")).status).toBe(429);
    expect(behindProxy.logs.some((entry) => entry.untrustedForwardedFor === "192.0.2.1")).toBe(true);
  });

  it("limits the token endpoint to 30 a minute", async () => {
    await awaitFreshMinute(direct.pool);
    const token = () =>
      fetch(`${direct.url}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=authorization_code&code=nope",
      });
    for (let i = 0; i < 30; i++) expect((await token()).status).not.toBe(429);
    expect((await token()).status).toBe(429);
  });
});

describe("rate limiter internals", () => {
  it("fails open when the database is unreachable, and says so in the log", async () => {
    const pool = new pg.Pool({ connectionString: `postgres://nobody@127.0.0.1:${await freePort()}/none`, connectionTimeoutMillis: 1_000 });
    const warnings: string[] = [];
    const limiter = createRateLimiter({ pool, logger: { warn: (message: string) => warnings.push(message) } });
    try {
      const decision = await limiter.consume([{ scope: "ip", bucket: "ip:test:127.0.0.1:minute", window: "minute", max: 1 }]);
      expect(decision).toEqual({ allowed: true, usage: [] });
      expect(warnings).toEqual(["rate limiter unavailable, request allowed without limits"]);
    } finally {
      await pool.end();
    }
  });

  it("sweeps expired windows from the request path", async () => {
    const pool = new pg.Pool({ connectionString: await createTestDatabase(), max: 2 });
    try {
      await migrate(pool);
      await pool.query(
        `INSERT INTO rate_limit_counters (bucket, window_start, count, expires_at) VALUES
           ('ip:old:1.2.3.4:minute', now() - interval '2 minutes', 5, now() - interval '1 minute'),
           ('ip:live:1.2.3.4:month', now(), 5, now() + interval '1 day')`,
      );
      const limiter = createRateLimiter({ pool, logger: { warn: () => undefined }, cleanupIntervalMs: 0 });
      await limiter.consume([{ scope: "ip", bucket: "ip:new:1.2.3.4:minute", window: "minute", max: 5 }]);
      await expect.poll(async () => (await pool.query("SELECT bucket FROM rate_limit_counters ORDER BY bucket")).rows.map((row) => row.bucket)).toEqual([
        "ip:live:1.2.3.4:month",
        "ip:new:1.2.3.4:minute",
      ]);
    } finally {
      await pool.end();
    }
  });

  it("charges requests that arrive together as if one came after another, in arrival order", async () => {
    const pool = new pg.Pool({ connectionString: await createTestDatabase(), max: 2 });
    try {
      await migrate(pool);
      const limiter = createRateLimiter({ pool, logger: { warn: () => undefined } });
      const limits = (key: string) => [
        { scope: "api_key" as const, bucket: `key:${key}:minute`, window: "minute" as const, max: 3 },
        { scope: "api_key" as const, bucket: `key:${key}:month`, window: "month" as const, max: 1000 },
        { scope: "tenant" as const, bucket: "tenant:t:month", window: "month" as const, max: 1000 },
      ];
      // Two keys of one tenant, interleaved: each key's first three pass, the rest are over its burst.
      const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => limiter.consume(limits(i % 2 === 0 ? "a" : "b"))));
      expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, true, true, true, false, false, false, false]);
      const counts = (i: number) => Object.fromEntries(decisions[i].usage.map((bucket) => [bucket.bucket, bucket.count]));
      expect(counts(0)).toEqual({ "key:a:minute": 1, "key:a:month": 1, "tenant:t:month": 1 });
      expect(counts(5)).toEqual({ "key:b:minute": 3, "key:b:month": 3, "tenant:t:month": 6 });
      // Rejected: counted against the burst only, so the months stay at the admitted requests.
      expect(counts(9)).toEqual({ "key:b:minute": 5 });
      const { rows } = await pool.query("SELECT bucket, count FROM rate_limit_counters ORDER BY bucket");
      expect(rows).toEqual([
        { bucket: "key:a:minute", count: 5 },
        { bucket: "key:a:month", count: 3 },
        { bucket: "key:b:minute", count: 5 },
        { bucket: "key:b:month", count: 3 },
        { bucket: "tenant:t:month", count: 6 },
      ]);
    } finally {
      await pool.end();
    }
  });

  it("keys IPv4 clients by address and IPv6 clients by their /64", () => {
    expect(clientAddressKey("198.51.100.7")).toBe("198.51.100.7");
    expect(clientAddressKey("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(clientAddressKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(clientAddressKey("2001:DB8:1:2::99")).toBe("2001:db8:1:2::/64");
    expect(clientAddressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientAddressKey("::1")).toBe("0:0:0:0::/64");
    expect(clientAddressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(clientAddressKey(undefined)).toBe("unknown");
  });
});
