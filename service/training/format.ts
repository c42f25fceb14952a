// Numbers in summaries (MCP tool results, A2A skill results), written the way a person reads them.

/** 3725 -> "1:02:05", 1250 -> "20:50". */
export function clock(seconds: number): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

export const one = (value: number): string => value.toFixed(1);

/** " Estimated: a, b. Missing: c." or "" when nothing was. */
export function provenanceNote({ estimated, missing }: { estimated: string[]; missing: string[] }): string {
  return `${estimated.length ? ` Estimated: ${estimated.join(", ")}.` : ""}${missing.length ? ` Missing: ${missing.join(", ")}.` : ""}`;
}
