// The answer cache's own rules, with an injected clock: lifetime, version, size bounds.
import { describe, expect, it } from "vitest";
import { AnswerCache } from "../../service/mcp/answer-cache.js";

/** An answer of exactly `bytes` bytes. */
const answer = (bytes: number): Buffer => Buffer.alloc(bytes, "x");

function cache(options: { ttlMs?: number; maxBytes?: number } = {}) {
  const clock = { now: 1_000_000 };
  return { clock, answers: new AnswerCache({ ttlMs: options.ttlMs ?? 60_000, maxBytes: options.maxBytes, now: () => clock.now }) };
}

describe("AnswerCache", () => {
  it("gives an answer again for the same version within its lifetime, and not after", () => {
    const { clock, answers } = cache();
    const kept = answer(1);
    answers.set("k", "7", kept);
    clock.now += 59_999;
    expect(answers.get("k", "7")).toBe(kept);
    clock.now += 1;
    expect(answers.get("k", "7")).toBeUndefined();
  });

  it("drops an answer once the data version differs, even if the version comes back", () => {
    const { answers } = cache();
    answers.set("k", "7", answer(1));
    expect(answers.get("k", "8")).toBeUndefined();
    expect(answers.get("k", "7")).toBeUndefined();
  });

  it("keeps at most maxBytes, dropping the oldest first, and never one answer over an eighth of it", () => {
    const { answers } = cache({ maxBytes: 800 });
    answers.set("old", "1", answer(90));
    answers.set("mid", "1", answer(90));
    for (let i = 0; i < 8; i++) answers.set(`new${i}`, "1", answer(90));
    expect(answers.get("old", "1")).toBeUndefined();
    expect(answers.get("mid", "1")).toBeUndefined();
    expect(answers.get("new0", "1")).toBeDefined();
    answers.set("huge", "1", answer(101));
    expect(answers.get("huge", "1")).toBeUndefined();
  });

  it("keeps nothing with a lifetime of 0", () => {
    const { answers } = cache({ ttlMs: 0 });
    expect(answers.enabled).toBe(false);
    answers.set("k", "1", answer(1));
    expect(answers.get("k", "1")).toBeUndefined();
  });
});
