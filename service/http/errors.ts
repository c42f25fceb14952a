import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import type { Logger } from "winston";

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

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const clientError = clientErrorFrom(error);
    if (clientError) {
      res.set(clientError.headers).status(clientError.status).json(errorBody(clientError.code, clientError.message));
      return;
    }
    (res.locals.log ?? logger).error("unhandled error", { error });
    res.status(500).json(errorBody("server_error", "internal error"));
  };
}
