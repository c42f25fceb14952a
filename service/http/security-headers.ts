// helmet's security headers, worked out once. With a fixed configuration helmet sets the same headers
// on every response, so this runs helmet against a recorder at startup and then sets its result in one
// call per request, instead of a dozen middleware calls (5% of a tools/call's CPU in a profile).
import type { Request, Response } from "express";
import helmet, { type HelmetOptions } from "helmet";
import type { NodeMiddleware } from "./node-http.js";

type HeaderValue = string | number | readonly string[];

export function securityHeaders(options?: HelmetOptions): NodeMiddleware {
  const headers = new Map<string, HeaderValue>();
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: HeaderValue) => void headers.set(name, value),
    removeHeader: (name: string) => void removed.push(name),
  };
  let failure: unknown;
  // Directives computed per request (functions of req/res, e.g. CSP nonces) would read this empty request:
  // such options need helmet itself.
  helmet(options)({} as Request, recorder as unknown as Response, (error?: unknown) => void (failure = error));
  if (failure !== undefined) throw failure;
  return (_req, res, next) => {
    res.setHeaders(headers);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
