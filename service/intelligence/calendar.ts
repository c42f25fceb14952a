// Local calendar days as integers (days since 1970-01-01 in the athlete's local time), so series and
// weeks are plain array indices. An activity belongs to the local day it started on: a run at 23:30 in
// New York is that day's training even though it is already tomorrow in UTC.

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The local day an instant falls on, given the athlete's UTC offset in minutes. */
export function localDay(utcIso: string, utcOffsetMinutes: number): number {
  const ms = Date.parse(utcIso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 instant: ${utcIso}`);
  return Math.floor((ms + utcOffsetMinutes * 60_000) / DAY_MS);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** YYYY-MM-DD -> day number; impossible dates (2026-02-30) are refused, not rolled over. */
export function dayOf(date: string): number {
  const match = ISO_DATE.exec(date);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : MONTH_DAYS[month - 1];
  if (!match || monthDays === undefined || day < 1 || day > monthDays) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Day number -> YYYY-MM-DD. */
export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday, 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (day + 3) % 7;
}

/** The Monday starting the ISO week that contains `day`. */
export function weekStartOf(day: number): number {
  return day - weekdayOf(day);
}

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
