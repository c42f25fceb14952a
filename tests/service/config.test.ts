import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../service/config.js";

const KEY = Buffer.alloc(32, 7).toString("base64");

describe("configuration", () => {
  it("runs with no configuration at all on localhost and the embedded database", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 8081,
      publicBaseUrl: "http://localhost:8081",
      mcpResourceUrl: "http://localhost:8081/mcp",
      database: { source: "embedded", poolMax: 10, ssl: "disable" },
      bodyLimitBytes: 100_000,
      // No proxy in front unless the deployment says so, else clients choose their own address.
      trustProxyHops: 0,
    });
  });

  it("uses DATABASE_URL when set, else pg's PG* variables with TLS", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u:p@db:5432/x" }).database).toMatchObject({ source: "url", url: "postgres://u:p@db:5432/x" });
    expect(loadConfig({ PGHOST: "10.20.0.3" }).database).toMatchObject({ source: "pg-env", url: undefined, ssl: "require" });
  });

  it("normalises the public base URL into one issuer and one resource string", () => {
    const config = loadConfig({ PUBLIC_BASE_URL: "https://pierre.example.com/" });
    expect(config.publicBaseUrl).toBe("https://pierre.example.com");
    expect(config.mcpResourceUrl).toBe("https://pierre.example.com/mcp");
  });

  it.each([
    [{ NODE_ENV: "production", PGHOST: "db", TOKEN_ENCRYPTION_KEY: KEY }, /PUBLIC_BASE_URL is required/],
    [{ NODE_ENV: "production", PUBLIC_BASE_URL: "http://x.example.com", PGHOST: "db", TOKEN_ENCRYPTION_KEY: KEY }, /must be https/],
    [{ NODE_ENV: "production", PUBLIC_BASE_URL: "https://x.example.com", PGHOST: "db" }, /TOKEN_ENCRYPTION_KEY is required/],
    [{ NODE_ENV: "production", PUBLIC_BASE_URL: "https://x.example.com", TOKEN_ENCRYPTION_KEY: KEY }, /DATABASE_URL or PGHOST/],
    [{ PUBLIC_BASE_URL: "https://x.example.com/base" }, /without a path/],
    [{ PORT: "http" }, /PORT/],
    [{ TOKEN_ENCRYPTION_KEY: "c2hvcnQ=" }, /TOKEN_ENCRYPTION_KEY: must be 32 bytes/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL: must be a postgres/],
    [{ DB_POOL_MAX: "0" }, /DB_POOL_MAX/],
  ])("rejects %o with a clear message", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("listens on every interface in production", () => {
    const config = loadConfig({ NODE_ENV: "production", PUBLIC_BASE_URL: "https://x.example.com", PGHOST: "db", TOKEN_ENCRYPTION_KEY: KEY });
    expect(config.host).toBe("0.0.0.0");
    expect(config.encryptionMasterKey).toEqual(Buffer.alloc(32, 7));
  });
});
