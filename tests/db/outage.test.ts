// The outage log: the first failure at once, then one line per interval with a count, none when quiet.
// Fake timers stand in for the clock; nothing here sleeps.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createOutageLog, isDatabaseUnavailable } from "../../service/db/outage.js";

function refused(): Error {
  return Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
}

describe("isDatabaseUnavailable", () => {
  it.each([
    ["a refused connection", refused()],
    ["an administrator shutdown (57P01)", Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })],
    ["a connection exception (08006)", Object.assign(new Error("connection failure"), { code: "08006" })],
    ["too many connections (53300)", Object.assign(new Error("sorry, too many clients already"), { code: "53300" })],
    ["a lost connection", new Error("Connection terminated unexpectedly")],
    ["a pool that cannot connect in time", new Error("timeout exceeded when trying to connect")],
    ["every address of localhost refusing", new AggregateError([refused(), refused()], "")],
  ])("recognises %s", (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a unique violation", Object.assign(new Error("duplicate key"), { code: "23505" })],
    ["a syntax error", Object.assign(new Error("syntax error"), { code: "42601" })],
    ["a plain bug", new TypeError("x is undefined")],
    ["a non-error", "ECONNREFUSED"],
  ])("does not take %s for an outage", (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe("createOutageLog", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("logs the first failure, then a count per interval, and starts over after a quiet interval", () => {
    const lines: { message: string; meta?: Record<string, unknown> }[] = [];
    const outages = createOutageLog({ error: (message, meta) => lines.push({ message, meta }) }, 10_000);

    for (let i = 0; i < 500; i++) outages.report(refused());
    expect(lines).toEqual([{ message: "database unavailable", meta: { reason: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432" } }]);

    vi.advanceTimersByTime(10_000);
    expect(lines[1]).toEqual({ message: "database still unavailable", meta: { failures: 499, intervalSeconds: 10 } });
    outages.report(refused());
    vi.advanceTimersByTime(10_000);
    expect(lines[2]).toEqual({ message: "database still unavailable", meta: { failures: 1, intervalSeconds: 10 } });

    vi.advanceTimersByTime(10_000); // a quiet interval: the outage is over
    expect(lines).toHaveLength(3);
    outages.report(refused());
    expect(lines[3].message).toBe("database unavailable");
  });
});
