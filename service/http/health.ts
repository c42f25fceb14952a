import { Router } from "express";
import type pg from "pg";

const READY_TIMEOUT_MS = 2_000;

/** /health is liveness (process up, no I/O); /ready also proves the database answers. */
export function healthRouter(pool: pg.Pool): Router {
  const router = Router();
  router.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/ready", async (_req, res) => {
    try {
      await withTimeout(pool.query("SELECT 1"), READY_TIMEOUT_MS);
      res.json({ status: "ready" });
    } catch {
      res.status(503).set("Retry-After", "5").json({ status: "unavailable", reason: "database unreachable" });
    }
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
