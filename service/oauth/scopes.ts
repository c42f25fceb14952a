// Scope strings (space-separated lists, RFC 6749 §3.3) and what each scope means to a user.
import { SCOPES, type Scope } from "../identity/scopes.js";

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  "fitness:read": "Read your activities, statistics, goals and settings",
  "fitness:write": "Create and change your goals and fitness settings",
};

export function parseScope(value: string | undefined | null): string[] {
  return [...new Set((value ?? "").split(" ").filter(Boolean))];
}

export function formatScope(scopes: readonly string[]): string {
  return scopes.join(" ");
}

export function isKnownScope(scope: string): scope is Scope {
  return (SCOPES as readonly string[]).includes(scope);
}

/** The scopes in `requested` that `allowed` does not include. */
export function scopesOutside(requested: readonly string[], allowed: readonly string[]): string[] {
  return requested.filter((scope) => !allowed.includes(scope));
}
