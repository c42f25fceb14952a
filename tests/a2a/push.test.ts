// Push notifications: a client names a webhook (a real HTTPS server here, trusted as client metadata
// document servers are, through CLIENT_METADATA_CA and CLIENT_METADATA_ALLOW_PRIVATE_ADDRESSES), and
// whichever instance processes the task's events posts them there, in the protocol's JSON with the token.
import { TaskState, type Task, type TaskPushNotificationConfig } from "@a2a-js/sdk";
import type { Client } from "@a2a-js/sdk/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGoal } from "../../service/training/goals.js";
import { NOTIFICATION_TOKEN_HEADER } from "../../service/a2a/push.js";
import { createAccount } from "../support/mcp.js";
import { a2aClientAt, a2aToken, discoverA2aClient, postA2a, registerA2aAgent, skillMessage, startA2aPair, type A2aPair } from "../support/a2a.js";
import { startHttpsReceiver, type HttpsReceiver } from "../support/https-receiver.js";

let receiver: HttpsReceiver;
let pair: A2aPair;
let token: string;
let onFirst: Client;
let onSecond: Client;
let goalId: string;

const webhook = (path: string, secret: string): TaskPushNotificationConfig => ({ tenant: "", id: "", taskId: "", url: `${receiver.origin}${path}`, token: secret, authentication: undefined });
const notification = (body: string) => JSON.parse(body) as Record<string, { taskId?: string; id?: string; status?: { state: string } }>;

beforeAll(async () => {
  receiver = await startHttpsReceiver();
  pair = await startA2aPair({ CLIENT_METADATA_ALLOW_PRIVATE_ADDRESSES: "true", CLIENT_METADATA_CA: receiver.certificate });
  const account = await createAccount(pair.first.pool, "a2a-push", { tenantTier: "pro", userTier: "pro" });
  const owner = { tenantId: account.tenant.id, userId: account.user.id };
  const today = new Date().toISOString().slice(0, 10);
  await createGoal(pair.first.pool, owner, { type: "distance", sport: "run", targetValue: 100_000, startDate: today, targetDate: "2027-06-30" });
  goalId = (await createGoal(pair.first.pool, owner, { type: "volume", targetValue: 100, startDate: today, targetDate: "2027-06-30" })).id;
  token = await a2aToken(pair.first, await registerA2aAgent(pair.first.pool, account));
  onFirst = await discoverA2aClient(pair.first, token);
  onSecond = await a2aClientAt(pair.second, await onFirst.getAgentCard(), token);
});
afterAll(async () => {
  await pair.close();
  await receiver.close();
});

describe("push notifications", () => {
  it("posts a task's events to the webhook named with the message, from the instance that runs each turn", async () => {
    const asked = (await onFirst.sendMessage({
      tenant: "",
      message: skillMessage("goal_feasibility"),
      configuration: { acceptedOutputModes: [], taskPushNotificationConfig: webhook("/hook/1", "secret-1"), historyLength: undefined, returnImmediately: false },
      metadata: undefined,
    })) as Task;
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const first = await receiver.waitFor(3);
    expect(first.map((request) => Object.keys(notification(request.body))[0])).toEqual(["task", "statusUpdate", "statusUpdate"]);
    expect(first[2]).toMatchObject({ method: "POST", path: "/hook/1", headers: { "content-type": "application/a2a+json", [NOTIFICATION_TOKEN_HEADER.toLowerCase()]: "secret-1" } });
    expect(notification(first[2].body).statusUpdate).toMatchObject({ taskId: asked.id, status: { state: "TASK_STATE_INPUT_REQUIRED" } });

    // The answer lands on the other instance, which reads the webhook from PostgreSQL.
    const answered = (await onSecond.sendMessage({ tenant: "", message: skillMessage(undefined, { goal_id: goalId }, { taskId: asked.id }), configuration: undefined, metadata: undefined })) as Task;
    expect(answered.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const all = await receiver.waitFor(7);
    const kinds = all.slice(3).map((request) => Object.keys(notification(request.body))[0]);
    expect(kinds).toEqual(["task", "statusUpdate", "artifactUpdate", "statusUpdate"]);
    expect(all.every((request) => request.headers[NOTIFICATION_TOKEN_HEADER.toLowerCase()] === "secret-1")).toBe(true);
    expect(notification(all[6].body).statusUpdate).toMatchObject({ taskId: asked.id, status: { state: "TASK_STATE_COMPLETED" } });
  });

  it("keeps a task's webhook configs: create, get, list and delete through the SDK client, on either instance", async () => {
    const task = (await onFirst.sendMessage({ tenant: "", message: skillMessage("goal_feasibility"), configuration: undefined, metadata: undefined })) as Task;
    const created = await onFirst.createTaskPushNotificationConfig({ ...webhook("/hook/2", "secret-2"), taskId: task.id });
    expect(created.id).not.toBe("");
    expect(await onSecond.getTaskPushNotificationConfig({ tenant: "", taskId: task.id, id: created.id })).toMatchObject({ url: `${receiver.origin}/hook/2`, token: "secret-2" });
    expect((await onSecond.listTaskPushNotificationConfig({ tenant: "", taskId: task.id, pageSize: 10, pageToken: "" })).configs.map((c) => c.id)).toEqual([created.id]);
    await onSecond.deleteTaskPushNotificationConfig({ tenant: "", taskId: task.id, id: created.id });
    expect((await onFirst.listTaskPushNotificationConfig({ tenant: "", taskId: task.id, pageSize: 10, pageToken: "" })).configs).toEqual([]);
  });

  it("refuses a webhook that is not https, before storing it", async () => {
    const task = (await onFirst.sendMessage({ tenant: "", message: skillMessage("goal_feasibility"), configuration: undefined, metadata: undefined })) as Task;
    const response = await postA2a(pair.second, {
      jsonrpc: "2.0", id: 9, method: "CreateTaskPushNotificationConfig", params: { taskId: task.id, url: "http://127.0.0.1:9/hook", token: "t" },
    }, token);
    expect(await response.json()).toMatchObject({ id: 9, error: { code: -32602, message: expect.stringContaining("must be an https URL") } });
    expect((await onFirst.listTaskPushNotificationConfig({ tenant: "", taskId: task.id, pageSize: 10, pageToken: "" })).configs).toEqual([]);
  });

  it("answers a store's database failure with a plain internal error, never PostgreSQL's text", async () => {
    const task = (await onFirst.sendMessage({ tenant: "", message: skillMessage("goal_feasibility"), configuration: undefined, metadata: undefined })) as Task;
    await pair.first.pool.query("ALTER TABLE a2a_push_configs RENAME TO a2a_push_configs_away");
    try {
      const response = await postA2a(pair.second, { jsonrpc: "2.0", id: 4, method: "ListTaskPushNotificationConfigs", params: { taskId: task.id } }, token);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ id: 4, error: { code: -32603, message: "Internal error" } });
      expect(text).not.toMatch(/a2a_push_configs|relation|does not exist/);
      expect(pair.second.logs).toContainEqual(expect.objectContaining({ message: "A2A push config load failed" }));
    } finally {
      await pair.first.pool.query("ALTER TABLE a2a_push_configs_away RENAME TO a2a_push_configs");
    }
  });

  it("answers a store's lost database connection 503 with Retry-After, as /mcp does", async () => {
    const task = (await onFirst.sendMessage({ tenant: "", message: skillMessage("goal_feasibility"), configuration: undefined, metadata: undefined })) as Task;
    // A real PostgreSQL error of the class an outage raises (57P03 cannot_connect_now), from the store's own query.
    await pair.first.pool.query(`CREATE FUNCTION refuse_now() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the database system is starting up' USING ERRCODE = '57P03'; END $$`);
    await pair.first.pool.query("CREATE TRIGGER refuse_now BEFORE INSERT ON a2a_push_configs FOR EACH STATEMENT EXECUTE FUNCTION refuse_now()");
    try {
      const response = await postA2a(pair.second, {
        jsonrpc: "2.0", id: 5, method: "CreateTaskPushNotificationConfig", params: { taskId: task.id, url: `${receiver.origin}/hook`, token: "t" },
      }, token);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.json()).toMatchObject({ id: 5, error: { message: expect.stringMatching(/^Service unavailable/) } });
    } finally {
      await pair.first.pool.query("DROP TRIGGER refuse_now ON a2a_push_configs");
      await pair.first.pool.query("DROP FUNCTION refuse_now()");
    }
  });
});
