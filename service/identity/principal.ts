import type { Tenant } from "./tenants.js";
import type { Tier } from "./tiers.js";

/** The tenant a credential acts in, as read with the credential itself (no second query). */
export type PrincipalTenant = Pick<Tenant, "id" | "slug" | "name" | "tier">;

/** Who is calling, after authentication: what every tool and repository call is scoped by. */
export interface Principal {
  userId: string;
  tenant: PrincipalTenant;
  /** The tier this credential runs at (the key's own, else the user's); the tenant's tier is tenant.tier. */
  tier: Tier;
  scopes: string[];
  via: "oauth" | "api_key";
  /** Set when authenticated with an API key; its own limits override the tier's. */
  apiKey?: { id: string; burstPerMinute: number | null; monthlyQuota: number | null };
  /** When the credential stops being valid by itself (token or key expiry); absent if it never does. */
  expiresAt?: Date;
  /** The credential epoch (credential-epoch.ts) the verification read along with the credential. */
  credentialEpoch: string;
}
