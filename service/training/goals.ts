// goals (0001, race_distance_meters from 0011): a user's targets, mapped to the engine's GoalInput.
import type { Queryable } from "../db/pool.js";
import { GOAL_UNITS } from "../intelligence/goals.js";
import type { GoalInput, GoalType } from "../intelligence/index.js";
import type { Owner } from "./inputs.js";

export interface StoredGoal extends GoalInput {
  unit: string;
  status: "active" | "completed" | "abandoned";
  createdAt: Date;
}

interface GoalRow {
  id: string;
  goal_type: GoalType;
  sport: string | null;
  target_value: number;
  unit: string;
  race_distance_meters: number | null;
  starts_on: string;
  ends_on: string;
  status: StoredGoal["status"];
  created_at: Date;
}

const COLUMNS = `id, goal_type, sport, target_value, unit, race_distance_meters, to_char(starts_on, 'YYYY-MM-DD') AS starts_on,
  to_char(ends_on, 'YYYY-MM-DD') AS ends_on, status, created_at`;

function toGoal(row: GoalRow): StoredGoal {
  return {
    id: row.id,
    type: row.goal_type,
    ...(row.sport !== null && { sport: row.sport }),
    targetValue: row.target_value,
    ...(row.race_distance_meters !== null && { raceDistanceMeters: row.race_distance_meters }),
    startDate: row.starts_on,
    targetDate: row.ends_on,
    unit: row.unit,
    status: row.status,
    createdAt: row.created_at,
  };
}

export async function createGoal(db: Queryable, owner: Owner, goal: Omit<GoalInput, "id">): Promise<StoredGoal> {
  const { rows } = await db.query<GoalRow>({
    name: "training-create-goal",
    text: `INSERT INTO goals (tenant_id, user_id, goal_type, sport, target_value, unit, race_distance_meters, starts_on, ends_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    values: [
      owner.tenantId,
      owner.userId,
      goal.type,
      goal.sport ?? null,
      goal.targetValue,
      GOAL_UNITS[goal.type],
      goal.raceDistanceMeters ?? null,
      goal.startDate,
      goal.targetDate,
    ],
  });
  return toGoal(rows[0]);
}

export async function listGoals(db: Queryable, owner: Owner, status: StoredGoal["status"] | null): Promise<StoredGoal[]> {
  const { rows } = await db.query<GoalRow>({
    name: "training-list-goals",
    text: `SELECT ${COLUMNS} FROM goals WHERE tenant_id = $1 AND user_id = $2 AND ($3::text IS NULL OR status = $3) ORDER BY ends_on, created_at`,
    values: [owner.tenantId, owner.userId, status],
  });
  return rows.map(toGoal);
}

/** Null when the goal does not exist or belongs to someone else. */
export async function findGoal(db: Queryable, owner: Owner, id: string): Promise<StoredGoal | null> {
  const { rows } = await db.query<GoalRow>({
    name: "training-find-goal",
    text: `SELECT ${COLUMNS} FROM goals WHERE tenant_id = $1 AND user_id = $2 AND id = $3`,
    values: [owner.tenantId, owner.userId, id],
  });
  return rows.length ? toGoal(rows[0]) : null;
}

export async function deleteGoal(db: Queryable, owner: Owner, id: string): Promise<boolean> {
  const { rowCount } = await db.query({
    name: "training-delete-goal",
    text: "DELETE FROM goals WHERE tenant_id = $1 AND user_id = $2 AND id = $3",
    values: [owner.tenantId, owner.userId, id],
  });
  return (rowCount ?? 0) > 0;
}
