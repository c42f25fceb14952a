// Small pieces every provider module shares: opaque sync cursors, token-expiry arithmetic, null-safe numbers.
import { z } from "zod";

/** Sync cursors are opaque to callers: base64url JSON validated on the way back in. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor<T>(schema: z.ZodType<T>, cursor: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new Error("sync cursor is not one this provider issued");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error("sync cursor is not one this provider issued");
  return parsed.data;
}

export function expiresAfter(now: number, seconds: number | null | undefined): Date | null {
  return typeof seconds === "number" ? new Date(now + seconds * 1000) : null;
}

/** Provider numbers that may be absent, null or (for protobuf int64 over JSON) strings. */
export const optionalNumber = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^-?\d+(\.\d+)?$/)
      .transform(Number),
    z.null(),
  ])
  .optional()
  .transform((v) => (v === undefined || v === null || !Number.isFinite(v) ? null : v));

export function round(value: number | null, digits = 1): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** protobuf Duration JSON ("3600s", "1.5s") to seconds. */
export function durationSeconds(value: string | null | undefined): number | null {
  if (!value) return null;
  const match = /^(-?\d+(?:\.\d+)?)s$/.exec(value);
  return match ? Number(match[1]) : null;
}

export const toIsoDate = (d: Date) => d.toISOString().slice(0, 10);
