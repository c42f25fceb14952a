import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import type { Logger } from "winston";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, type OutageLog } from "../db/outage.js";

/** An error whose message is safe to show the client. Body shape follows OAuth's {error, error_description}. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: string, description: string) {
  return { error: code, error_description: description };
}

/** Translates body-parser failures (malformed JSON, oversized body) into client errors. */
export function clientErrorFrom(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof ZodError) {
    const detail = error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
    return new HttpError(400, "invalid_request", detail);
  }
  const type = (error as { type?: unknown } | null)?.type;
  if (type === "entity.parse.failed") return new HttpError(400, "invalid_request", "request body is not valid JSON");
  if (type === "entity.too.large") return new HttpError(413, "payload_too_large", "request body is too large");
  if (type === "encoding.unsupported" || type === "charset.unsupported") {
    return new HttpError(415, "unsupported_media_type", "unsupported request body encoding");
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new HttpError(status, "invalid_request", "malformed request");
  }
  return undefined;
}

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json(errorBody("not_found", "no such endpoint"));
};

export function errorHandler(logger: Logger, outages: OutageLog): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const clientError = clientErrorFrom(error);
    if (clientError) {
      res.set(clientError.headers).status(clientError.status).json(errorBody(clientError.code, clientError.message));
      return;
    }
    if (isDatabaseUnavailable(error)) {
      outages.report(error);
      // OAuth's own code for "try again later" (RFC 6749 §4.1.2.1), as a JSON error like the others.
      res.set("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS)).status(503)
        .json(errorBody("temporarily_unavailable", `the database cannot be reached, retry in ${DATABASE_RETRY_AFTER_SECONDS} s`));
      return;
    }
    (res.locals.log ?? logger).error("unhandled error", { error });
    res.status(500).json(errorBody("server_error", "internal error"));
  };
}
