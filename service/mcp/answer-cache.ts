// Answers of the read tools, kept per instance and given again to the same user for the same arguments
// while the user's data has not changed. "Not changed" is the data version (migration 0013) that the
// request's rate-limit charge read anyway, so checking costs no query: a write on any instance moves the
// version in its own transaction, and the next request anywhere sees the new one. What no version
// captures (the passing of time: "today" rolls over in the athlete's time zone, a cache lifetime runs out
// and a sync is due) is bounded by a short lifetime instead: an answer is given again for at most
// ANSWER_CACHE_SECONDS (default 60).
//
// An answer is kept as the bytes of its JSON, written once when it is computed: giving it again then costs
// neither serializing nor encoding it (protocol.ts writes the JSON-RPC response around the bytes).
//
// Measured (bench/training.ts, bench/fitness.ts): a reused analyze_training_load or get_activities costs
// the service about what whoami does plus writing the answer, against several hundred microseconds more
// to read and compute it again.

interface Entry {
  version: string;
  expiresAt: number;
  /** The CallToolResult as JSON, UTF-8. */
  json: Buffer;
}

export interface AnswerCacheOptions {
  /** How long an answer may be given again, in milliseconds; 0 turns reuse off. */
  ttlMs: number;
  /** The bytes kept at most, over all answers; oldest go first. */
  maxBytes?: number;
  now?: () => number;
}

/** 16 MB of answers: about 740 get_activities (limit 20: 21.5 KB of JSON) or 1,400 analyze_training_load (11 KB). */
const DEFAULT_MAX_BYTES = 16_000_000;

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(options: AnswerCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** The answer kept under `key` for exactly this data version, if it is still within its lifetime. */
  get(key: string, version: string): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || entry.expiresAt <= this.now()) {
      this.remove(key, entry);
      return undefined;
    }
    return entry.json;
  }

  set(key: string, version: string, json: Buffer): void {
    if (!this.enabled) return;
    // One answer may not push out everything else (get_activity with full streams can be megabytes).
    if (json.length > this.maxBytes / 8) return;
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    this.entries.set(key, { version, expiresAt: this.now() + this.ttlMs, json });
    this.bytes += json.length;
    // A Map iterates in insertion order: the first entries are the oldest.
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest, entry);
    }
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.json.length;
  }
}
