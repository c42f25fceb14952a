// Another agent uses Pierre through the A2A SDK's own client, on two instances behind one public URL: it
// discovers the card, authenticates with its client credentials and asks for every skill on the
// synthetic athlete's history. Every number is recomputed from the seeded activities with the
// independent formulas of support/training-formulas.ts. Tasks started on one instance are read,
// streamed, answered and cancelled on the other.
import { TaskState, type Artifact, type Task } from "@a2a-js/sdk";
import type { Client } from "@a2a-js/sdk/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGoal } from "../../service/training/goals.js";
import { callOk, createAccount, type Account } from "../support/mcp.js";
import { a2aClientAt, a2aToken, discoverA2aClient, registerA2aAgent, skillMessage, startA2aPair, type A2aPair } from "../support/a2a.js";
import { seedSyntheticHistory, type SeededHistory } from "../support/synthetic-history.js";
import { bestRecentRun, CONFIG, DAY_MS, dayNumber, loadThrough, vdot } from "../support/training-formulas.js";

let pair: A2aPair;
let athlete: Account;
let history: SeededHistory;
/** The client built from the discovered card: it talks to the first instance (the public URL). */
let onFirst: Client;
/** The same agent's client on the second instance. */
let onSecond: Client;
let goals: { distance: string; race: string };

const today = () => dayNumber(new Date().toISOString(), history.physiology.utcOffsetSeconds);
const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const send = (client: Client, skill: string | undefined, args?: Record<string, unknown>, options?: { text?: string; taskId?: string }) =>
  client.sendMessage({ tenant: "", message: skillMessage(skill, args, options), configuration: undefined, metadata: undefined }) as Promise<Task>;

/** The result artifact's two parts: the text a model reads and the structured data. */
function result(task: Task): { text: string; data: Record<string, unknown> } {
  expect(task.status?.state, JSON.stringify(task.status?.message)).toBe(TaskState.TASK_STATE_COMPLETED);
  expect(task.artifacts).toHaveLength(1);
  return partsOf(task.artifacts[0]);
}

function partsOf(artifact: Pick<Artifact, "parts">) {
  const [text, data] = artifact.parts.map((part) => part.content);
  if (text?.$case !== "text" || data?.$case !== "data") throw new Error(`expected a text part then a data part, got ${JSON.stringify(artifact.parts)}`);
  return { text: text.value, data: data.value as Record<string, unknown> };
}

beforeAll(async () => {
  pair = await startA2aPair();
  athlete = await createAccount(pair.first.pool, "a2a-athlete", { tenantTier: "pro", userTier: "pro" });
  history = await seedSyntheticHistory(pair.first.pool, { tenantId: athlete.tenant.id, userId: athlete.user.id }, { days: 730, streamDays: 0 });
  await callOk(pair.first.url, athlete.apiKey, "set_fitness_config", { values: CONFIG });
  const owner = { tenantId: athlete.tenant.id, userId: athlete.user.id };
  const [distance, race] = await Promise.all([
    createGoal(pair.first.pool, owner, { type: "distance", sport: "run", targetValue: 300_000, startDate: iso(today() - 27), targetDate: iso(today() + 28) }),
    createGoal(pair.first.pool, owner, { type: "race_time", sport: "run", targetValue: 2_400, raceDistanceMeters: 10_000, startDate: iso(today()), targetDate: iso(today() + 84) }),
  ]);
  goals = { distance: distance.id, race: race.id };
  const token = await a2aToken(pair.first, await registerA2aAgent(pair.first.pool, athlete));
  onFirst = await discoverA2aClient(pair.first, token);
  onSecond = await a2aClientAt(pair.second, await onFirst.getAgentCard(), token);
});
afterAll(() => pair.close());

describe("A2A skills on the synthetic athlete", () => {
  it("answers a weekly training review with the seeded history's CTL, ATL and TSB, the last 7 days and recommendations", async () => {
    const task = await send(onFirst, "weekly_training_review");
    const { text, data } = result(task);
    const expected = loadThrough(history.activities, today());
    const load = data.load as { ctl: number; atl: number; tsb: number; date: string; daily: { date: string }[] };
    expect(load.date).toBe(iso(today()));
    expect(load.ctl).toBeCloseTo(expected.ctl, 6);
    expect(load.atl).toBeCloseTo(expected.atl, 6);
    expect(load.tsb).toBeCloseTo(expected.tsb, 6);
    expect(load.daily.map((d) => d.date)).toEqual(Array.from({ length: 7 }, (_, i) => iso(today() - 6 + i)));
    const patterns = data.patterns as { rhythm: { usualDays: string[] } };
    expect(Array.isArray(patterns.rhythm.usualDays)).toBe(true);
    expect((data.recommendations as { recommendations: unknown[] }).recommendations.length).toBeGreaterThan(0);
    expect(text).toContain(`CTL ${expected.ctl.toFixed(1)}, ATL ${expected.atl.toFixed(1)}, TSB ${expected.tsb.toFixed(1)}`);
    // The task is in PostgreSQL: the other instance reads the same one.
    const read = await onSecond.getTask({ tenant: "", id: task.id, historyLength: undefined });
    expect(read.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(partsOf(read.artifacts[0]).data).toEqual(data);
  });

  it("predicts a half marathon from the best run of the last 90 days (Daniels VDOT, Riegel)", async () => {
    const { best, basisRun } = bestRecentRun(history.activities, today());
    const { text, data } = result(await send(onSecond, "race_time_prediction", { race: "half_marathon" }));
    const p = data.prediction as { targetMeters: number; basis: { vdot: number }; vdotSeconds: number; riegelSeconds: number };
    expect(p.targetMeters).toBe(21_097.5);
    expect(p.basis.vdot).toBeCloseTo(best, 9);
    const seconds = (basisRun.movingSeconds ?? basisRun.elapsedSeconds) * (21_097.5 / basisRun.distanceMeters!) ** 1.06;
    expect(p.riegelSeconds).toBeCloseTo(seconds, 6);
    expect(vdot(21_097.5, p.vdotSeconds)).toBeCloseTo(best, 3);
    expect(text).toMatch(/^21097\.5 m: \d+:\d\d:\d\d by VDOT/);
  });

  it("checks recovery on the same TSB, with the rest-day advice", async () => {
    const { tsb } = loadThrough(history.activities, today());
    const { text, data } = result(await send(onFirst, undefined, undefined, { text: "Recovery check, please." }));
    const recovery = data.recovery as { score: number; tsb: number; components: { tsb: number } };
    expect(recovery.tsb).toBeCloseTo(tsb, 6);
    expect(recovery.components.tsb).toBeCloseTo(Math.min(100, Math.max(0, 50 + 2.5 * tsb)), 6);
    const restDay = data.restDay as { recoveryScore: number; date: string };
    expect(restDay.recoveryScore).toBeCloseTo(recovery.score, 9);
    expect(restDay.date).toBe(iso(today()));
    expect(text).toContain(`TSB ${tsb.toFixed(1)}`);
  });

  it("judges a distance goal against the last 4 weeks' weekly distance", async () => {
    const done = history.activities
      .filter((a) => a.sport === "run" && dayNumber(a.startTime, a.utcOffsetSeconds) >= today() - 27)
      .reduce((sum, a) => sum + (a.distanceMeters ?? 0), 0);
    const { data } = result(await send(onFirst, "goal_feasibility", { goal_id: goals.distance }));
    const f = data.feasibility as { required: number; current: number; ratio: number; weeksRemaining: number; verdict: string };
    expect(f.weeksRemaining).toBeCloseTo(4, 9);
    expect(f.current).toBeCloseTo(done / 4, 6);
    expect(f.required).toBeCloseTo((300_000 - done) / 4, 6);
    const ratio = (300_000 - done) / done;
    expect(f.ratio).toBeCloseTo(ratio, 9);
    expect(f.verdict).toBe(ratio <= 1 ? "likely" : ratio <= 1.3 ? "possible" : "unlikely");
  });
});

describe("tasks across instances", () => {
  it("asks which goal on one instance, is read and resubscribed on the other, and completes there when answered on the first", async () => {
    const asked = await send(onFirst, "goal_feasibility");
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const question = asked.status!.message!.parts.map((part) => part.content);
    expect(question[0]).toMatchObject({ $case: "text", value: expect.stringContaining(goals.race) });
    expect((await onSecond.getTask({ tenant: "", id: asked.id, historyLength: undefined })).status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);

    const stream = onSecond.resubscribeTask({ tenant: "", id: asked.id });
    const first = await stream.next();
    expect(first.value?.payload).toMatchObject({ $case: "task", value: { id: asked.id } });
    const rest = (async () => {
      const events = [];
      for await (const event of stream) events.push(event.payload);
      return events;
    })();
    const answered = await send(onFirst, undefined, { goal_id: goals.race }, { taskId: asked.id, text: "The 10k one." });
    const required = vdot(10_000, 2_400);
    expect((result(answered).data.feasibility as { required: number }).required).toBeCloseTo(required, 6);

    const events = await rest;
    const artifact = events.find((payload) => payload?.$case === "artifactUpdate");
    expect(artifact?.$case === "artifactUpdate" && partsOf(artifact.value.artifact!).data).toMatchObject({ feasibility: { goalId: goals.race } });
    expect(events.at(-1)).toMatchObject({ $case: "statusUpdate", value: { taskId: asked.id, status: { state: TaskState.TASK_STATE_COMPLETED } } });
  });

  it("cancels on the second instance a task the first one is waiting on; both then read it canceled", async () => {
    const asked = await send(onFirst, "goal_feasibility");
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const canceled = await onSecond.cancelTask({ tenant: "", id: asked.id, metadata: undefined });
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect((await onFirst.getTask({ tenant: "", id: asked.id, historyLength: undefined })).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    // A canceled task takes no more messages, on any instance.
    await expect(send(onFirst, undefined, { goal_id: goals.race }, { taskId: asked.id })).rejects.toThrow(/terminal state/);
  });

  it("cancels on the second instance a task still running on the first; the run's late result does not undo it", async () => {
    // Holds the skill mid-run: the weekly review reads training_load_cache, locked here until the cancel is in.
    const blocker = await pair.first.pool.connect();
    let id = "";
    try {
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE training_load_cache IN ACCESS EXCLUSIVE MODE");
      const started = (await onFirst.sendMessage({
        tenant: "",
        message: skillMessage("weekly_training_review"),
        configuration: { acceptedOutputModes: [], taskPushNotificationConfig: undefined, historyLength: undefined, returnImmediately: true },
        metadata: undefined,
      })) as Task;
      id = started.id;
      expect([TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING]).toContain(started.status?.state);
      const canceled = await onSecond.cancelTask({ tenant: "", id: started.id, metadata: undefined });
      expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    } finally {
      await blocker.query("COMMIT");
      blocker.release();
    }
    // The run finishes once the lock is gone (its training_load_cache read returns); whatever it then produces,
    // the task stays canceled on both instances.
    await pair.first.pool.query("SELECT count(*) FROM training_load_cache");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await onFirst.getTask({ tenant: "", id, historyLength: undefined })).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect((await onSecond.getTask({ tenant: "", id, historyLength: undefined })).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });

  it("lists the client's tasks on either instance, newest first, filtered by state", async () => {
    const all = await onSecond.listTasks({ tenant: "", contextId: "", status: TaskState.TASK_STATE_UNSPECIFIED, pageSize: 100, pageToken: "", historyLength: undefined, statusTimestampAfter: undefined, includeArtifacts: false });
    const { rows } = await pair.first.pool.query<{ id: string }>("SELECT id FROM a2a_tasks ORDER BY updated_at DESC, id");
    expect(all.tasks.map((task) => task.id)).toEqual(rows.map((row) => row.id));
    const canceled = await onFirst.listTasks({ tenant: "", contextId: "", status: TaskState.TASK_STATE_CANCELED, pageSize: 100, pageToken: "", historyLength: undefined, statusTimestampAfter: undefined, includeArtifacts: false });
    const stored = await pair.first.pool.query<{ id: string }>("SELECT id FROM a2a_tasks WHERE status = 'canceled' ORDER BY id");
    expect(stored.rows.length).toBe(2);
    expect(canceled.tasks.map((task) => task.id).sort()).toEqual(stored.rows.map((row) => row.id));
    for (const task of canceled.tasks) expect(task.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });

  it("streams a skill's task as it runs: the task, working, the artifact, completed", async () => {
    const events = [];
    for await (const event of onSecond.sendMessageStream({ tenant: "", message: skillMessage("recovery_check"), configuration: undefined, metadata: undefined })) {
      events.push(event.payload);
    }
    expect(events.map((payload) => (payload?.$case === "statusUpdate" ? `status:${payload.value.status?.state}` : payload?.$case))).toEqual([
      "task",
      `status:${TaskState.TASK_STATE_WORKING}`,
      "artifactUpdate",
      `status:${TaskState.TASK_STATE_COMPLETED}`,
    ]);
    const task = events[0]?.$case === "task" ? events[0].value : undefined;
    expect((await onFirst.getTask({ tenant: "", id: task!.id, historyLength: undefined })).status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });
});

describe("a skill right after the athlete connected", () => {
  it("answers from the provider's history: skills sync the user's connections first, as the MCP analyses do", async () => {
    const newcomer = await createAccount(pair.first.pool, "a2a-newcomer", { tenantTier: "pro", userTier: "pro" });
    await callOk(pair.first.url, newcomer.apiKey, "connect_provider", { provider: "synthetic" });
    const client = await discoverA2aClient(pair.first, await a2aToken(pair.first, await registerA2aAgent(pair.first.pool, newcomer)));
    const { data } = result(await send(client, "weekly_training_review"));
    expect((data.load as { ctl: number }).ctl).toBeGreaterThan(10);
  });
});
