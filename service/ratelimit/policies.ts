// Which buckets a request is charged to, and their limits.
//
// Authenticated requests (MCP):
//   - The principal's own buckets, per minute and per month: the API key (`key:<id>`) for API-key
//     requests, the user (`user:<id>`) for OAuth tokens. Limits come from the principal's tier
//     (TIER_LIMITS); an API key's own burstPerMinute / monthlyQuota replace the tier's value, field by
//     field. A key is one client, so its burst and its monthly quota are its own.
//   - The tenant's bucket (`tenant:<id>`), per month only: one pool shared by every member and every
//     credential of the tenant, sized by the TENANT's tier (tenants.tier, not the user's). The tenant
//     pays for its tier, so its members together get that tier's monthly quota, and a key override can
//     raise a key's own quota but never the tenant's. There is no tenant burst: bursts are per client.
// OAuth endpoints: per client IP, per minute (OAUTH_PER_IP_LIMITS). IPv6 clients are keyed by their /64,
// which one client usually owns whole.
import { isIPv6 } from "node:net";
import type { Principal } from "../identity/principal.js";
import { TIER_LIMITS } from "../identity/tiers.js";
import type { Limit } from "./limiter.js";

/** Requests per minute per client IP on the OAuth endpoints. */
export const OAUTH_PER_IP_LIMITS = { authorize: 60, token: 30, register: 10 } as const;

export interface PrincipalLimit extends Limit {
  scope: "api_key" | "user" | "tenant";
}

export function principalLimits(principal: Principal): PrincipalLimit[] {
  const tier = TIER_LIMITS[principal.tier];
  const key = principal.apiKey;
  const own = key
    ? { scope: "api_key" as const, prefix: `key:${key.id}`, perMinute: key.burstPerMinute ?? tier.perMinute, monthly: key.monthlyQuota ?? tier.monthly }
    : { scope: "user" as const, prefix: `user:${principal.userId}`, perMinute: tier.perMinute, monthly: tier.monthly };
  return [
    { scope: own.scope, bucket: `${own.prefix}:minute`, window: "minute", max: own.perMinute },
    { scope: own.scope, bucket: `${own.prefix}:month`, window: "month", max: own.monthly },
    { scope: "tenant", bucket: `tenant:${principal.tenant.id}:month`, window: "month", max: TIER_LIMITS[principal.tenant.tier].monthly },
  ];
}

/** A per-minute limit on one endpoint for one client address (req.ip, which honours trust proxy). */
export function ipLimit(endpoint: string, ip: string | undefined, perMinute: number): Limit {
  return { scope: "ip", bucket: `ip:${endpoint}:${clientAddressKey(ip)}:minute`, window: "minute", max: perMinute };
}

/** IPv4 as is (also when IPv4-mapped), IPv6 reduced to its /64 prefix. */
export function clientAddressKey(ip: string | undefined): string {
  if (!ip) return "unknown";
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  return `${ipv6Hextets(ip).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, "::" expanded, zone id dropped, as lowercase hex. */
function ipv6Hextets(ip: string): string[] {
  const address = ip.split("%")[0].toLowerCase();
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const groups = (part: string | undefined) => (part ? part.split(":").flatMap(dottedToHextets) : []);
  const left = groups(head);
  const right = groups(tail);
  const zeros = Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16).toString(16));
}

// An embedded IPv4 suffix (e.g. 64:ff9b::192.0.2.1) stands for two groups.
function dottedToHextets(group: string): string[] {
  if (!group.includes(".")) return [group];
  const [a, b, c, d] = group.split(".").map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
