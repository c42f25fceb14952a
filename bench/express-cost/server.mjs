// One POST route answered three ways (see ../express-cost.ts): `node` on Node's http alone, `prototypes` on
// Node's http after re-prototyping the request and response as Express does, `express` through Express 5.
import { createServer } from "node:http";
import express from "express";

const mode = process.argv[2];
const answer = (_req, res) => {
  const body = JSON.stringify({ status: "ok" });
  res.statusCode = 200;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
};
const afterBody = (req, res) => {
  req.resume();
  req.on("end", () => answer(req, res));
};
const app = express();
app.post("/mcp", afterBody);
app.get("/health", (_req, res) => res.json({ status: "ok" }));
const listeners = {
  node: (req, res) => (req.method === "POST" ? afterBody(req, res) : app(req, res)),
  prototypes: (req, res) => {
    if (req.method !== "POST") return app(req, res);
    Object.setPrototypeOf(req, app.request);
    Object.setPrototypeOf(res, app.response);
    afterBody(req, res);
  },
  express: app,
};
createServer(listeners[mode]).listen(Number(process.env.PORT), "127.0.0.1");
