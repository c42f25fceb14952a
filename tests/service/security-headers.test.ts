// securityHeaders() must answer exactly as helmet() does: both are mounted on real Express apps and
// compared over real sockets.
import type { AddressInfo } from "node:net";
import express, { type RequestHandler } from "express";
import helmet, { type HelmetOptions } from "helmet";
import { describe, expect, it } from "vitest";
import { securityHeaders } from "../../service/http/security-headers.js";

async function headersFrom(middleware: RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.use(middleware);
  app.get("/", (_req, res) => void res.type("text/plain").send("ok"));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const headers = Object.fromEntries(response.headers);
    delete headers.date;
    return headers;
  } finally {
    server.close();
  }
}

describe("securityHeaders", () => {
  it("sets the same headers as helmet with its defaults, and removes Express's X-Powered-By as helmet does", async () => {
    const expected = await headersFrom(helmet());
    expect(expected).toHaveProperty("content-security-policy");
    expect(expected).not.toHaveProperty("x-powered-by");
    expect(await headersFrom(securityHeaders())).toEqual(expected);
  });

  it("sets the same headers as helmet with custom options", async () => {
    const options: HelmetOptions = { strictTransportSecurity: { maxAge: 600 }, referrerPolicy: { policy: "same-origin" }, xPoweredBy: false };
    const expected = await headersFrom(helmet(options));
    expect(expected).toMatchObject({ "strict-transport-security": "max-age=600; includeSubDomains", "referrer-policy": "same-origin", "x-powered-by": "Express" });
    expect(await headersFrom(securityHeaders(options))).toEqual(expected);
  });

  it("rejects an invalid configuration at startup, as helmet does", () => {
    const invalid = { referrerPolicy: { policy: "sometimes" } } as unknown as HelmetOptions;
    expect(() => helmet(invalid)).toThrow();
    expect(() => securityHeaders(invalid)).toThrow();
  });
});
