// The SDK's TaskStore on a2a_tasks (migration 0012): the whole task as the protocol's JSON, scoped to the
// calling client in its tenant and to the user it acts for, so a task is invisible (not found) to every
// other client and tenant, and to the same client once it acts for another user. Any
// instance reads what any instance saved; each save NOTIFYs the task's followers (task-events.ts).
// A task in a terminal state is never rewritten: a cancellation that won on one instance is not undone by
// the late completion of the execution on another.
import type { ListTasksRequest, ListTasksResponse, Task, TaskState } from "@a2a-js/sdk";
import type { ServerCallContext, TaskStore } from "@a2a-js/sdk/server";
import type { Queryable } from "../db/pool.js";
import { callerOf } from "./caller.js";
import type { A2aSdk, TaskStates } from "./sdk.js";
import { storeCall, type StoreFailures } from "./store-errors.js";
import { TASK_CHANNEL } from "./task-events.js";

/** a2a_tasks.status: the protocol's states in the spelling of the A2A 0.3 JSON (the CHECK of 0012). */
function statuses(TaskState: TaskStates): Record<TaskState, string> {
  return {
    [TaskState.TASK_STATE_UNSPECIFIED]: "submitted",
    [TaskState.TASK_STATE_SUBMITTED]: "submitted",
    [TaskState.TASK_STATE_WORKING]: "working",
    [TaskState.TASK_STATE_COMPLETED]: "completed",
    [TaskState.TASK_STATE_FAILED]: "failed",
    [TaskState.TASK_STATE_CANCELED]: "canceled",
    [TaskState.TASK_STATE_INPUT_REQUIRED]: "input-required",
    [TaskState.TASK_STATE_REJECTED]: "rejected",
    [TaskState.TASK_STATE_AUTH_REQUIRED]: "auth-required",
    [TaskState.UNRECOGNIZED]: "failed",
  };
}
const TERMINAL = ["completed", "failed", "canceled", "rejected"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PAGE_SIZE = 100;

export class PostgresTaskStore implements TaskStore {
  private readonly statusOf: Record<TaskState, string>;
  private readonly Task: A2aSdk["core"]["Task"];

  constructor(
    private readonly db: Queryable,
    sdk: A2aSdk["core"],
    private readonly failures: StoreFailures,
  ) {
    this.statusOf = statuses(sdk.TaskState);
    this.Task = sdk.Task;
  }

  save(task: Task, context: ServerCallContext): Promise<void> {
    return storeCall(this.failures, "task save", () => this.write(task, context));
  }

  load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    return storeCall(this.failures, "task load", () => this.read(taskId, context));
  }

  list(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    return storeCall(this.failures, "task list", () => this.page(params, context));
  }

  private async write(task: Task, context: ServerCallContext): Promise<void> {
    const caller = callerOf(context);
    const status = task.status ? this.statusOf[task.status.state] : "submitted";
    const skill = typeof task.metadata?.skill === "string" ? task.metadata.skill : "unknown";
    await this.db.query({
      name: "a2a-save-task",
      text: `WITH saved AS (
         INSERT INTO a2a_tasks (id, client_id, tenant_id, user_id, context_id, task_type, status, task, completed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $7 = ANY($9::text[]) THEN now() END)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, task = EXCLUDED.task, updated_at = now(), completed_at = EXCLUDED.completed_at
         WHERE a2a_tasks.client_id = EXCLUDED.client_id AND a2a_tasks.tenant_id = EXCLUDED.tenant_id AND a2a_tasks.user_id = EXCLUDED.user_id
           AND NOT (a2a_tasks.status = ANY($9::text[]))
         RETURNING id)
       SELECT pg_notify($10, json_build_object('taskId', id)::text) FROM saved`,
      values: [task.id, caller.clientId, caller.tenant.id, caller.userId, task.contextId, skill, status, this.Task.toJSON(task), TERMINAL, TASK_CHANNEL],
    });
  }

  private async read(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    if (!UUID.test(taskId)) return undefined;
    const caller = callerOf(context);
    const { rows } = await this.db.query<{ task: unknown }>({
      name: "a2a-load-task",
      text: "SELECT task FROM a2a_tasks WHERE id = $1 AND client_id = $2 AND tenant_id = $3 AND user_id = $4",
      values: [taskId, caller.clientId, caller.tenant.id, caller.userId],
    });
    return rows[0] ? this.Task.fromJSON(rows[0].task) : undefined;
  }

  /** Newest first; the page token is the offset of the next page. */
  private async page(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    const caller = callerOf(context);
    const pageSize = Math.min(params.pageSize ?? 50, MAX_PAGE_SIZE);
    const offset = /^\d{1,9}$/.test(params.pageToken) ? Number(params.pageToken) : 0;
    const status = params.status ? (this.statusOf[params.status] ?? null) : null;
    const after = params.statusTimestampAfter ? new Date(params.statusTimestampAfter) : null;
    const { rows } = await this.db.query<{ task: unknown; total: number }>({
      name: "a2a-list-tasks",
      text: `SELECT task, count(*) OVER ()::int AS total FROM a2a_tasks
       WHERE client_id = $1 AND tenant_id = $2 AND user_id = $8 AND ($3::text = '' OR context_id = $3) AND ($4::text IS NULL OR status = $4)
         AND ($5::timestamptz IS NULL OR updated_at >= $5)
       ORDER BY updated_at DESC, id LIMIT $6 OFFSET $7`,
      values: [caller.clientId, caller.tenant.id, params.contextId, status, after, pageSize, offset, caller.userId],
    });
    const total = rows[0]?.total ?? 0;
    const next = offset + rows.length;
    return { tasks: rows.map((row) => this.Task.fromJSON(row.task)), nextPageToken: next < total ? String(next) : "", pageSize, totalSize: total };
  }
}

