export const TIERS = ["free", "pro", "enterprise"] as const;
export type Tier = (typeof TIERS)[number];

/** Requests per calendar month and per minute (burst) for each tier. */
export const TIER_LIMITS: Record<Tier, { monthly: number; perMinute: number }> = {
  free: { monthly: 10_000, perMinute: 100 },
  pro: { monthly: 100_000, perMinute: 500 },
  enterprise: { monthly: 1_000_000, perMinute: 2_000 },
};
