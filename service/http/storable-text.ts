// PostgreSQL refuses two kinds of text a JSON or form body can carry: NUL (text columns, error 22021)
// and unpaired UTF-16 surrogates (jsonb parameters, which pg sends as JSON.stringify output, error
// 22P05). Neither belongs in any field a client sends, so the endpoints refuse them at the boundary
// with their ordinary 400 instead of letting a query fail as a 500.

/** How an error names the problem, after the field's name. */
export const NOT_STORABLE = "must not contain NUL characters or unpaired surrogates";

/** Whether a string can be stored as it is: no NUL, no unpaired surrogate. */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && value.isWellFormed();
}

/** The first path (e.g. `redirect_uris.0`) to a string in `value` that is not storable text, if any. */
export function unstorableTextPath(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return isStorableText(value) ? undefined : path || "value";
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path ? `${path}.${key}` : key;
    if (!isStorableText(key)) return itemPath;
    const found = unstorableTextPath(item, itemPath);
    if (found) return found;
  }
  return undefined;
}
