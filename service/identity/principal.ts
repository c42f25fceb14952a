import type { Tenant } from "./tenants.js";
import type { Tier } from "./tiers.js";
import type { Membership, User } from "./users.js";

/** The tenant a credential acts in, as read with the credential itself (no second query). */
export type PrincipalTenant = Pick<Tenant, "id" | "slug" | "name" | "tier">;

/** The calling user as a member of that tenant, read with the credential as well. */
export type PrincipalAccount = Pick<User, "email" | "displayName"> & Pick<Membership, "role">;

/** SQL for PrincipalAccount as JSON from users `u` and tenant_memberships `m`, to embed in a SELECT list. */
export const PRINCIPAL_ACCOUNT_SQL = "json_build_object('email', u.email, 'displayName', u.display_name, 'role', m.role)";

/** Who is calling, after authentication: what every tool and repository call is scoped by. */
export interface Principal {
  userId: string;
  account: PrincipalAccount;
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
