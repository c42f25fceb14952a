// Durations as command-line flags take them (30m, 24h, 7d), for the admin CLI and the operator tools.
import { z } from "zod";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "30m", "24h" or "7d" as milliseconds. */
export const durationSchema = z
  .string()
  .regex(/^\d{1,5}[mhd]$/, "a duration such as 30m, 24h or 7d")
  .transform((value) => Number(value.slice(0, -1)) * UNIT_MS[value.slice(-1) as keyof typeof UNIT_MS]);
