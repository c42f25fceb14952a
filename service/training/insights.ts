// insights (0001): analyses a user asked to keep, readable later (tools and the MCP resources).
import type { Queryable } from "../db/pool.js";
import type { Owner } from "./inputs.js";

export type InsightKind = "training_load" | "goal_progress" | "goal_feasibility" | "goal_suggestions";

export interface Insight {
  id: string;
  kind: string;
  content: unknown;
  createdAt: Date;
}

export async function saveInsight(db: Queryable, owner: Owner, kind: InsightKind, content: unknown): Promise<string> {
  const { rows } = await db.query<{ id: string }>({
    name: "training-save-insight",
    text: "INSERT INTO insights (tenant_id, user_id, kind, content) VALUES ($1, $2, $3, $4) RETURNING id",
    values: [owner.tenantId, owner.userId, kind, JSON.stringify(content)],
  });
  return rows[0].id;
}

export async function listInsights(db: Queryable, owner: Owner, options: { kind?: string; limit: number }): Promise<Insight[]> {
  const { rows } = await db.query<Insight>({
    name: "training-list-insights",
    text: `SELECT id, kind, content, created_at AS "createdAt" FROM insights
     WHERE tenant_id = $1 AND user_id = $2 AND ($3::text IS NULL OR kind = $3) ORDER BY created_at DESC LIMIT $4`,
    values: [owner.tenantId, owner.userId, options.kind ?? null, options.limit],
  });
  return rows;
}
