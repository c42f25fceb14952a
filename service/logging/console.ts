// Libraries that write to the console would put raw text in the log stream beside the structured lines,
// unredacted: the A2A SDK, for one, console.errors every client mistake it handles (an unknown task id, a
// resubscribe to a finished task) with its stack trace. In the service process the console goes through the
// logger instead: one structured, redacted line per call, errors as their name and message only (the
// library handled them; its stack says nothing about our code).
import { format } from "node:util";
import type { Logger } from "./logger.js";

/** What one console call may put in a line; a library dumping an object should not fill the log. */
const MAX_CHARS = 2_000;

export function routeConsoleToLogger(logger: Logger): void {
  const write =
    (level: "warn" | "debug") =>
    (...args: unknown[]): void => {
      const text = format(...args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : arg)));
      logger.log(level, "library console output", { console: text.slice(0, MAX_CHARS) });
    };
  Object.assign(console, { error: write("warn"), warn: write("warn"), log: write("debug"), info: write("debug"), debug: write("debug") });
}
