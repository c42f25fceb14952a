// `npm run logs` against a local fake of the Cloud Logging API holding what Cloud Logging would have
// stored from the real service's lines (and Cloud Run's own request log line).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, postMcp, toolCall } from "../support/mcp.js";
import { startFakeLoggingApi, type LogEntryJson } from "../support/fake-logging-api.js";
import { storedLogEntry } from "../support/log-entries.js";
import { runScript } from "../support/process.js";
import { startTestServer } from "../support/server.js";

const PROJECT = "acme-pierre-dev";
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";

let fake: Awaited<ReturnType<typeof startFakeLoggingApi>>;

beforeAll(async () => {
  const server = await startTestServer({ GOOGLE_CLOUD_PROJECT: PROJECT });
  try {
    const account = await createAccount(server.pool, "logged");
    const ok = await postMcp(server.url, toolCall("whoami"), { "x-api-key": account.apiKey, "x-request-id": "req-ok-1", traceparent: `00-${TRACE}-00f067aa0ba902b7-01` });
    expect(ok.status).toBe(200);
    const refused = await postMcp(server.url, toolCall("whoami"), { "x-api-key": `${account.apiKeyPrefix}_${"x".repeat(43)}`, traceparent: `00-${OTHER_TRACE}-00f067aa0ba902b7-01` });
    expect(refused.status).toBe(401);
  } finally {
    await server.close();
  }
  const stored: LogEntryJson[] = server.logs.filter((line) => line["logging.googleapis.com/trace"]).map((line) => storedLogEntry(line, PROJECT, "pierre-dev"));
  // Cloud Run's own request log line of the first request, written by its front end.
  const first = stored.find((entry) => entry.trace === `projects/${PROJECT}/traces/${TRACE}`)!;
  stored.push({
    logName: `projects/${PROJECT}/logs/run.googleapis.com%2Frequests`,
    resource: first.resource,
    timestamp: new Date(Date.parse(first.timestamp) + 5).toISOString(),
    severity: "INFO",
    httpRequest: { requestMethod: "POST", requestUrl: "https://pierre-dev-abc-uc.a.run.app/mcp", status: 200, latency: "0.018342s", protocol: "HTTP/1.1" },
    trace: `projects/${PROJECT}/traces/${TRACE}`,
    traceSampled: true,
  });
  // Another service of the project, and an entry older than any --since used below.
  stored.push({ ...first, resource: { type: "cloud_run_revision", labels: { service_name: "someone-else" } } });
  stored.push({ ...first, timestamp: new Date(Date.now() - 3 * 86_400_000).toISOString(), jsonPayload: { message: "three days ago" } });
  fake = await startFakeLoggingApi(stored);
});

afterAll(() => fake?.close());

const logs = (args: string[], env: Record<string, string> = {}) =>
  runScript("tools/logs.ts", args, { PIERRE_DEV_PROJECT_ID: PROJECT, LOGGING_API_ENDPOINT: fake.url, ...env });

describe("npm run logs", () => {
  it("follows a request by its trace: Cloud Run's request line and every line the service wrote for it, oldest first", async () => {
    const before = Date.now();
    const result = await logs(["dev", "--trace", TRACE]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines.every((line) => line.endsWith(`[trace=${TRACE} request=req-ok-1]`) || line.endsWith(`[trace=${TRACE}]`))).toBe(true);
    expect(lines.some((line) => /^\S+Z INFO {5}POST \/mcp 200 \d+ms POST \/mcp 200 /.test(line))).toBe(true); // our access line
    expect(lines).toContainEqual(expect.stringMatching(/ INFO {5}POST https:\/\/pierre-dev-abc-uc\.a\.run\.app\/mcp 200 18ms \[trace=/));
    expect(lines).toContainEqual(expect.stringContaining('tool_call tool=whoami outcome=ok'));
    const times = lines.map((line) => Date.parse(line.split(" ")[0]));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    // What the API was asked, in its REST shape.
    const request = fake.requests.at(-1)!;
    expect(request).toMatchObject({ method: "POST", path: "/v2/entries:list" });
    // The client asks for enums as numbers (the fake then answers severity as 200, 400...).
    expect(request.query.get("$alt")).toBe("json;enum-encoding=int");
    expect(request.body).toMatchObject({ resourceNames: [`projects/${PROJECT}`], orderBy: "timestamp desc", pageSize: 100 });
    const filter = String(request.body.filter);
    expect(filter).toMatch(new RegExp(
      `^resource\\.type="cloud_run_revision" AND resource\\.labels\\.service_name="pierre-dev" AND timestamp>="([^"]+)" AND trace="projects/${PROJECT}/traces/${TRACE}"$`,
    ));
    // --since defaults to one hour before the tool ran.
    const since = Date.parse(/timestamp>="([^"]+)"/.exec(filter)![1]);
    expect(since).toBeGreaterThanOrEqual(before - 3_600_000);
    expect(since).toBeLessThanOrEqual(Date.now() - 3_600_000);
  });

  it("selects by request id and by minimum severity, and reaches further back with --since", async () => {
    const byRequest = (await logs(["dev", "--request-id", "req-ok-1"])).stdout.trim().split("\n");
    expect(byRequest.length).toBeGreaterThan(1);
    expect(byRequest.every((line) => line.includes("request=req-ok-1"))).toBe(true);

    const warnings = (await logs(["dev", "--severity", "warning"])).stdout.trim().split("\n");
    expect(warnings.map((line) => line.split(" ")[1])).toEqual(["WARNING", "WARNING"]);
    expect(warnings.join("\n")).toContain("auth_failure surface=mcp reason=invalid_credential");
    expect(warnings.every((line) => line.includes(`trace=${OTHER_TRACE}`))).toBe(true);

    expect((await logs(["dev"])).stdout).not.toContain("three days ago");
    expect((await logs(["dev", "--since", "4d"])).stdout).toContain("three days ago");
    expect((await logs(["dev", "--since", "4d", "--limit", "2"])).stdout.trim().split("\n")).toHaveLength(2);
  });

  it("explains what is wrong instead of querying", async () => {
    const sent = fake.requests.length;
    for (const [args, message] of [
      [["qa"], /env: Invalid option/],
      [["dev", "--trace", "not-a-trace"], /trace: 32 lowercase hex digits/],
      [["dev", "--since", "yesterday"], /since: a duration/],
      [["dev", "--severity", "LOUD"], /severity/],
      [[], /usage: npm run logs/],
    ] as const) {
      const result = await logs([...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const unconfigured = await logs(["dev"], { PIERRE_DEV_PROJECT_ID: "" });
    expect(unconfigured.code).toBe(2);
    expect(unconfigured.stderr).toContain("set PIERRE_DEV_PROJECT_ID");
    expect(fake.requests.length).toBe(sent);
  });
});
