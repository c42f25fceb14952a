import type { Tier } from "./tiers.js";

/** Who is calling, after authentication: what every tool and repository call is scoped by. */
export interface Principal {
  userId: string;
  tenantId: string;
  tier: Tier;
  scopes: string[];
  via: "oauth" | "api_key";
  /** Set when authenticated with an API key; its own limits override the tier's. */
  apiKey?: { id: string; burstPerMinute: number | null; monthlyQuota: number | null };
}
