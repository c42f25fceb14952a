import { afterAll, beforeAll, expect, it } from "vitest";
import { createAccount } from "../mcp/support.js";
import { seedSyntheticHistory } from "../support/synthetic-history.js";
import { a2aToken, discoverA2aClient, registerA2aAgent, skillMessage, startA2aPair, type A2aPair } from "../support/a2a.js";

let pair: A2aPair;
beforeAll(async () => { pair = await startA2aPair(); });
afterAll(() => pair.close());

it("smoke", async () => {
  const account = await createAccount(pair.first.pool, "smoke", { tenantTier: "pro", userTier: "pro" });
  await seedSyntheticHistory(pair.first.pool, { tenantId: account.tenant.id, userId: account.user.id }, { days: 120, streamDays: 0 });
  const agent = await registerA2aAgent(pair.first.pool, account);
  const token = await a2aToken(pair.first, agent);
  const client = await discoverA2aClient(pair.first, token);
  const card = await client.getAgentCard();
  console.log(JSON.stringify(card.skills.map(s => s.id)));
  const result = await client.sendMessage({ tenant: "", message: skillMessage("weekly_training_review"), configuration: undefined, metadata: undefined });
  console.log(JSON.stringify(result, null, 1).slice(0, 3000));
  expect(result).toBeDefined();
});
