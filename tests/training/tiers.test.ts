import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToolCatalog, PIERRE_TOOLS } from "../../service/mcp/tools/index.js";
import { TOOL_TIERS } from "../../service/mcp/tools/tiers.js";
import { callTool, createAccount, postMcp, type Account } from "../support/mcp.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let free: Account;
let pro: Account;
let enterprise: Account;

async function listedTools(account: Account): Promise<string[]> {
  const response = await postMcp(server.url, { jsonrpc: "2.0", id: 1, method: "tools/list" }, { "x-api-key": account.apiKey });
  const body = (await response.json()) as { result: { tools: { name: string }[] } };
  return body.result.tools.map((tool) => tool.name).sort();
}

beforeAll(async () => {
  server = await startTestServer();
  free = await createAccount(server.pool, "tier-free");
  pro = await createAccount(server.pool, "tier-pro", { tenantTier: "pro", userTier: "pro" });
  enterprise = await createAccount(server.pool, "tier-ent", { tenantTier: "enterprise", userTier: "enterprise" });
});
afterAll(() => server.close());

describe("tier gating", () => {
  it("lists only the tools the caller's tier may call; each tier includes the ones below it", async () => {
    const byTier = { free: await listedTools(free), pro: await listedTools(pro), enterprise: await listedTools(enterprise) };
    expect(byTier.free).toContain("analyze_training_load");
    expect(byTier.free).not.toContain("predict_performance");
    expect(byTier.pro).toContain("predict_performance");
    expect(byTier.pro).toEqual(expect.arrayContaining(byTier.free));
    expect(byTier.enterprise).toEqual(PIERRE_TOOLS.map((tool) => tool.definition.name).sort());
    for (const name of byTier.free) expect(TOOL_TIERS[name]).toBe("free");
  });

  it("refuses a call above the tier with the tier that has it", async () => {
    const refused = await callTool(server.url, free.apiKey, "predict_performance", { race: "5k" });
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text).toBe("predict_performance needs the pro tier; this credential runs at the free tier.");
    expect((await callTool(server.url, pro.apiKey, "predict_performance", { race: "5k" })).isError).toBeFalsy();
  });

  it("refuses to build a catalog with a tool missing from the table", () => {
    expect(() => createToolCatalog(PIERRE_TOOLS, { whoami: "free" })).toThrow(/without a tier/);
  });
});

describe("resource and prompt requests with malformed params", () => {
  it("answer -32602 with the field named, before the Server sees them", async () => {
    for (const [method, params, field] of [
      ["resources/read", {}, "params.uri"],
      ["prompts/get", { name: 5 }, "params.name"],
      ["prompts/get", { name: "recovery_check", arguments: { focus: "a\u0000b" } }, "params.arguments.focus"],
    ] as const) {
      const response = await postMcp(server.url, { jsonrpc: "2.0", id: 7, method, params }, { "x-api-key": free.apiKey });
      const body = (await response.json()) as { error: { code: number; message: string } };
      expect(body.error.code, method).toBe(-32602);
      expect(body.error.message).toContain(field);
    }
  });
});
