// A real logger whose output stream is kept in memory, one parsed JSON object per written line.
import { PassThrough } from "node:stream";
import { createLogger, type Logger, type LoggerOptions } from "../../service/logging/index.js";

export interface CapturedLogger {
  logger: Logger;
  /** Raw text written so far, exactly as it would reach stdout. */
  output(): string;
  /** Every line written so far, parsed. */
  entries(): Record<string, unknown>[];
}

export function captureLogger(options: Omit<LoggerOptions, "stream"> = {}): CapturedLogger {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const logger = createLogger({ level: "debug", ...options, stream });
  return {
    logger,
    output: () => text,
    entries: () =>
      text
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
