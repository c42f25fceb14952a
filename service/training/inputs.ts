// What most training tools start from: the user's local today and their activities, the recent ones
// (RECENT_FITNESS_DAYS, with streams) apart because thresholds and race fitness are estimated from them.
import type { Queryable } from "../db/pool.js";
import { dayOf, localDay, dateOf, recentActivities, RECENT_FITNESS_DAYS } from "../intelligence/index.js";
import type { ActivityInput } from "../intelligence/index.js";
import { listActivities, latestUtcOffsetMinutes } from "./data.js";

export interface Owner {
  tenantId: string;
  userId: string;
}

const DAY_MS = 86_400_000;

export interface RecentInputs {
  today: string;
  utcOffsetMinutes: number;
  activities: { all: ActivityInput[]; recent: ActivityInput[] };
}

/**
 * `days`: how much history `all` holds (null: everything). The window is widened by a day on each side
 * in UTC and cut to local days here, since activities are stored by UTC instant. `streams`: attach the
 * recent activities' streams (threshold estimation only: they are most of the bytes).
 */
export async function recentInputs(
  db: Queryable,
  owner: Owner,
  nowMs: number,
  options: { days: number | null; streams?: boolean },
): Promise<RecentInputs> {
  const window = Math.max(options.days ?? 0, RECENT_FITNESS_DAYS);
  const streamsSince = options.streams ? new Date(nowMs - (RECENT_FITNESS_DAYS + 1) * DAY_MS) : null;
  const since = options.days === null ? null : new Date(nowMs - (window + 1) * DAY_MS);
  const [activities, offset] = await Promise.all([listActivities(db, owner, { since, streamsSince }), latestUtcOffsetMinutes(db, owner)]);
  const today = dateOf(localDay(new Date(nowMs).toISOString(), offset));
  const all = recentActivities(activities, today, options.days === null ? Infinity : window);
  return { today, utcOffsetMinutes: offset, activities: { all, recent: recentActivities(all, today, RECENT_FITNESS_DAYS) } };
}

export function daysBefore(date: string, days: number): string {
  return dateOf(dayOf(date) - days);
}
