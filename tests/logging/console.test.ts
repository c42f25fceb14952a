// The service process's console (libraries' output) as structured, redacted log lines.
import { afterEach, describe, expect, it } from "vitest";
import { routeConsoleToLogger } from "../../service/logging/console.js";
import { captureLogger } from "../support/log-capture.js";

const original = { ...console };
afterEach(() => Object.assign(console, original));

describe("routeConsoleToLogger", () => {
  it("turns console calls into one redacted line each, errors without their stack", () => {
    const captured = captureLogger();
    routeConsoleToLogger(captured.logger);
    console.error("Event processing loop failed for task %s:", "t-1", new TypeError("Task t-1 not found"));
    // eslint-disable-next-line no-console -- what libraries call
    console.warn("token", "Bearer abc.def.ghi");
    // eslint-disable-next-line no-console -- what libraries call
    console.log({ debug: true });
    Object.assign(console, original);

    const lines = captured.entries();
    expect(lines.map((line) => [line.severity, line.message])).toEqual([
      ["WARNING", "library console output"],
      ["WARNING", "library console output"],
      ["DEBUG", "library console output"],
    ]);
    expect(lines[0]!.console).toBe("Event processing loop failed for task t-1: TypeError: Task t-1 not found");
    expect(lines[1]!.console).toBe("token Bearer [REDACTED]");
    expect(captured.output()).not.toMatch(/\n\s+at /);
  });
});
