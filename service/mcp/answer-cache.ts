// Answers of the read tools, kept per instance and given again to the same user for the same arguments
// while the user's data has not changed. "Not changed" is the data version (migration 0013) that the
// request's rate-limit charge read anyway, so checking costs no query: a write on any instance moves the
// version in its own transaction, and the next request anywhere sees the new one. What no version
// captures (the passing of time: "today" rolls over in the athlete's time zone, a cache lifetime runs out
// and a sync is due) is bounded by a short lifetime instead: an answer is given again for at most
// ANSWER_CACHE_SECONDS (default 60).
//
// Measured (bench/training.ts, bench/fitness.ts): a reused analyze_training_load or get_activities costs
// the service about what whoami does plus writing the answer, against several hundred microseconds more
// to read and compute it again.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

interface Entry {
  version: string;
  expiresAt: number;
  result: CallToolResult;
  chars: number;
}

export interface AnswerCacheOptions {
  /** How long an answer may be given again, in milliseconds; 0 turns reuse off. */
  ttlMs: number;
  /** The text kept at most, over all answers (UTF-16 code units, about bytes for JSON); oldest go first. */
  maxChars?: number;
  now?: () => number;
}

/**
 * 16 M characters of answer text: about 750 get_activities (limit 20, 21 KB) or 1,400 analyze_training_load
 * (11 KB) answers. Each also holds its structuredContent object, which this bound does not count.
 */
const DEFAULT_MAX_CHARS = 16_000_000;

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private chars = 0;
  private readonly ttlMs: number;
  private readonly maxChars: number;
  private readonly now: () => number;

  constructor(options: AnswerCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** The answer kept under `key` for exactly this data version, if it is still within its lifetime. */
  get(key: string, version: string): CallToolResult | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || entry.expiresAt <= this.now()) {
      this.remove(key, entry);
      return undefined;
    }
    return entry.result;
  }

  set(key: string, version: string, result: CallToolResult): void {
    if (!this.enabled) return;
    const chars = result.content.reduce((sum, block) => sum + (block.type === "text" ? block.text.length : 0), 0);
    // One answer may not push out everything else (get_activity with full streams can be megabytes).
    if (chars > this.maxChars / 8) return;
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    this.entries.set(key, { version, expiresAt: this.now() + this.ttlMs, result, chars });
    this.chars += chars;
    // A Map iterates in insertion order: the first entries are the oldest.
    for (const [oldest, entry] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.remove(oldest, entry);
    }
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.chars -= entry.chars;
  }
}
