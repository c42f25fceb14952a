// Running a JSON body parser inside a route instead of as middleware, so a route answers the parser's client
// errors (malformed, too large, bad charset) in its own protocol's shape (JSON-RPC for /mcp and /a2a).
import type { IncomingMessage, ServerResponse } from "node:http";
import { clientErrorFrom } from "./errors.js";

/** A connect-style body parser, such as express.json(...): sets req.body or calls next with its error. */
type BodyParser = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => unknown;

/** Runs the JSON body parser; returns its client error (malformed, too large, bad charset), if any. */
export function readJson(parseJson: BodyParser, req: IncomingMessage, res: ServerResponse): Promise<{ status: number; message: string } | undefined> {
  return new Promise((resolve, reject) => {
    void parseJson(req, res, (error?: unknown) => {
      if (error === undefined) return resolve(undefined);
      const clientError = clientErrorFrom(error);
      if (clientError) resolve({ status: clientError.status, message: clientError.message });
      else reject(error);
    });
  });
}

