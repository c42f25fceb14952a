// Push notifications (the SDK's PushNotificationStore and PushNotificationSender): a client's webhooks per
// task in a2a_push_configs, scoped to the client like its tasks, and their delivery through the same
// SSRF guard as OAuth client metadata documents (http/public-https.ts; the router refuses a webhook URL
// that is not https or names a private address before it is stored). The instance that processes a task's
// events sends them, in order per task, in the protocol's JSON (the SDK's own serializer).
import { randomUUID } from "node:crypto";
import type { StreamResponse, Task, TaskPushNotificationConfig } from "@a2a-js/sdk";
import type { PushNotificationSender, PushNotificationStore, ServerCallContext, StoredPushNotificationConfig } from "@a2a-js/sdk/server";
import type { Logger } from "winston";
import type { Queryable } from "../db/pool.js";
import { publicHttpsRequest, type PublicHttpsOptions } from "../http/public-https.js";
import { callerOf } from "./caller.js";
import type { A2aSdk } from "./sdk.js";
import { storeCall, type StoreFailures } from "./store-errors.js";

/** The header a webhook's token travels in when it names no Authorization scheme (the SDK's default). */
export const NOTIFICATION_TOKEN_HEADER = "X-A2A-Notification-Token";
export const PUSH_DEFAULTS = { timeoutMs: 5_000, maxBytes: 4_096 } as const;

export class PostgresPushStore implements PushNotificationStore {
  constructor(
    private readonly db: Queryable,
    private readonly sdk: A2aSdk["core"],
    private readonly failures: StoreFailures,
  ) {}

  save(taskId: string, context: ServerCallContext, config: TaskPushNotificationConfig): Promise<void> {
    return storeCall(this.failures, "push config save", () => this.write(taskId, context, config));
  }

  async load(taskId: string, context: ServerCallContext): Promise<TaskPushNotificationConfig[]> {
    return (await this.loadWithMetadata(taskId, context)).map((stored) => stored.config);
  }

  loadWithMetadata(taskId: string, context: ServerCallContext): Promise<StoredPushNotificationConfig[]> {
    return storeCall(this.failures, "push config load", () => this.read(taskId, context));
  }

  delete(taskId: string, context: ServerCallContext, configId = taskId): Promise<void> {
    return storeCall(this.failures, "push config delete", () => this.remove(taskId, context, configId));
  }

  private async write(taskId: string, context: ServerCallContext, config: TaskPushNotificationConfig): Promise<void> {
    const caller = callerOf(context);
    // As the SDK's own store: a config without an id gets one, and the caller sees it.
    config.id ||= randomUUID();
    await this.db.query({
      name: "a2a-save-push-config",
      text: `INSERT INTO a2a_push_configs (client_id, tenant_id, task_id, config_id, config, wire_version) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (client_id, task_id, config_id) DO UPDATE SET config = EXCLUDED.config, wire_version = EXCLUDED.wire_version`,
      values: [caller.clientId, caller.tenant.id, taskId, config.id, this.sdk.TaskPushNotificationConfig.toJSON(config), context.requestedVersion || "1.0"],
    });
  }

  private async read(taskId: string, context: ServerCallContext): Promise<StoredPushNotificationConfig[]> {
    const caller = callerOf(context);
    const { rows } = await this.db.query<{ config: unknown; wireVersion: string }>({
      name: "a2a-load-push-configs",
      text: `SELECT config, wire_version AS "wireVersion" FROM a2a_push_configs WHERE client_id = $1 AND tenant_id = $2 AND task_id = $3 ORDER BY created_at`,
      values: [caller.clientId, caller.tenant.id, taskId],
    });
    return rows.map((row) => ({ config: this.sdk.TaskPushNotificationConfig.fromJSON(row.config), wireVersion: row.wireVersion }));
  }

  private async remove(taskId: string, context: ServerCallContext, configId: string): Promise<void> {
    const caller = callerOf(context);
    await this.db.query({
      name: "a2a-delete-push-config",
      text: "DELETE FROM a2a_push_configs WHERE client_id = $1 AND tenant_id = $2 AND task_id = $3 AND config_id = $4",
      values: [caller.clientId, caller.tenant.id, taskId, configId],
    });
  }
}

export class GuardedPushSender implements PushNotificationSender {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly store: PushNotificationStore,
    private readonly sdk: A2aSdk,
    private readonly options: PublicHttpsOptions,
    private readonly log: Logger,
  ) {}

  async send(event: StreamResponse, context: ServerCallContext, task?: Task): Promise<void> {
    const payload = event.payload;
    if (!payload) return;
    const taskId = payload.$case === "task" ? payload.value.id : payload.value.taskId;
    if (!taskId) return;
    const configs = await this.store.load(taskId, context);
    if (configs.length === 0) return;
    const { body, contentType } = new this.sdk.server.V1PushNotificationSerializer().serialize(event, task);
    const previous = this.chains.get(taskId) ?? Promise.resolve();
    const next = previous.then(() => Promise.all(configs.map((config) => this.deliver(config, body, contentType))).then(() => undefined));
    this.chains.set(taskId, next);
    await next;
    if (this.chains.get(taskId) === next) this.chains.delete(taskId);
  }

  private async deliver(config: TaskPushNotificationConfig, body: string, contentType: string): Promise<void> {
    const auth: Record<string, string> = {};
    if (config.authentication?.scheme && config.authentication.credentials) auth.authorization = `${config.authentication.scheme} ${config.authentication.credentials}`;
    else if (config.token) auth[NOTIFICATION_TOKEN_HEADER] = config.token;
    try {
      const answer = await publicHttpsRequest(new URL(config.url), this.options, { method: "POST", headers: { "content-type": contentType, ...auth }, body });
      if (answer.status < 200 || answer.status > 299) this.log.warn("A2A push notification refused", { taskId: config.taskId, status: answer.status });
    } catch (error) {
      this.log.warn("A2A push notification not delivered", { taskId: config.taskId, reason: (error as Error).message });
    }
  }
}
