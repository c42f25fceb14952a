// The SDK's ExecutionEventBusManager across instances. The SDK keeps a bus per task in process memory:
// the execution publishes on it, and streams (message/stream, tasks/resubscribe) and cancellations
// listen to it. Behind a load balancer the execution may run on another instance, so every bus here
// also follows its task in PostgreSQL (task-events.ts: each save NOTIFYs, the follower reads the task):
//   - running bus (an execution on this instance): takes from the store only a terminal state it did not
//     reach itself, i.e. a cancellation on another instance, so its streams end and its execution stops;
//   - follower bus (no execution here: a resubscription or cancellation of a task running elsewhere):
//     turns each stored change into the events the SDK expects: new artifacts, then the new status.
// A follower reads the task once as soon as it listens, so a change between the caller's own read and
// the LISTEN is not lost: a terminal state is passed on then; any other state only becomes the baseline
// (repeating an input-required the caller has just read would end its stream).
import { EventEmitter } from "node:events";
import type { Task, TaskState } from "@a2a-js/sdk";
import type { AgentExecutionEvent, ExecutionEventBus, ExecutionEventBusManager, ServerCallContext, TaskStore } from "@a2a-js/sdk/server";
import type { Logger } from "winston";
import { callerOf } from "./caller.js";
import type { TaskStates } from "./sdk.js";
import type { TaskEvents } from "./task-events.js";

export type IsTerminal = (state: TaskState | undefined) => boolean;

export function terminalStates(TaskState: TaskStates): IsTerminal {
  const terminal: readonly TaskState[] = [TaskState.TASK_STATE_COMPLETED, TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_CANCELED, TaskState.TASK_STATE_REJECTED];
  return (state) => state !== undefined && terminal.includes(state);
}

/** A task's bus: remembers the last state and the artifacts it carried, and says when its last listener left. */
export class TaskBus extends EventEmitter implements ExecutionEventBus {
  lastState: TaskState | undefined;
  contextId = "";
  readonly artifactIds = new Set<string>();
  onIdle: (() => void) | undefined;

  publish(event: AgentExecutionEvent): void {
    if (event.kind === "task") {
      this.lastState = event.data.status?.state;
      this.contextId = event.data.contextId;
    } else if (event.kind === "statusUpdate" && event.data.status) {
      this.lastState = event.data.status.state;
    } else if (event.kind === "artifactUpdate" && event.data.artifact) {
      this.artifactIds.add(event.data.artifact.artifactId);
    }
    this.emit("event", event);
  }

  finished(): void {
    this.emit("finished");
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- EventEmitter's own listener type
  override removeListener(eventName: string | symbol, listener: (...args: any[]) => void): this {
    super.removeListener(eventName, listener);
    if (eventName === "event" && this.listenerCount("event") === 0) this.onIdle?.();
    return this;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- EventEmitter's own listener type
  override off(eventName: string | symbol, listener: (...args: any[]) => void): this {
    return this.removeListener(eventName, listener);
  }
}

type Mode = "running" | "follower";

export class FollowingEventBuses implements ExecutionEventBusManager {
  private readonly running = new Map<string, TaskBus>();
  private readonly followers = new Map<string, TaskBus>();
  private readonly unfollow = new Map<TaskBus, () => void>();

  constructor(
    private readonly events: TaskEvents,
    private readonly store: TaskStore,
    private readonly isTerminal: IsTerminal,
    private readonly log: Logger,
  ) {}

  createOrGetByTaskId(taskId: string, context?: ServerCallContext): ExecutionEventBus {
    const key = keyOf(taskId, context);
    let bus = this.running.get(key);
    if (!bus) {
      bus = new TaskBus();
      this.running.set(key, bus);
      this.follow(taskId, bus, context!, "running");
    }
    return bus;
  }

  getByTaskId(taskId: string, context?: ServerCallContext): ExecutionEventBus | undefined {
    const key = keyOf(taskId, context);
    const existing = this.running.get(key) ?? this.followers.get(key);
    if (existing) return existing;
    const bus = new TaskBus();
    this.followers.set(key, bus);
    bus.onIdle = () => this.release(bus, () => this.followers.delete(key));
    this.follow(taskId, bus, context!, "follower");
    return bus;
  }

  cleanupByTaskId(taskId: string, context?: ServerCallContext): void {
    const key = keyOf(taskId, context);
    const bus = this.running.get(key);
    if (!bus) return;
    this.release(bus, () => this.running.delete(key));
    bus.removeAllListeners();
  }

  private release(bus: TaskBus, forget: () => void): void {
    forget();
    this.unfollow.get(bus)?.();
    this.unfollow.delete(bus);
  }

  private follow(taskId: string, bus: TaskBus, context: ServerCallContext, mode: Mode): void {
    // One read at a time per bus, in notification order.
    let chain = Promise.resolve();
    const sync = () => {
      chain = chain
        .then(() => this.sync(taskId, bus, context, mode))
        .catch((error: unknown) => void this.log.warn("following an A2A task failed", { error, taskId }));
    };
    const subscribed = this.events.subscribe(taskId, sync, () => bus.finished());
    const prime = () => {
      chain = chain
        .then(() => this.prime(taskId, bus, context))
        .catch((error: unknown) => void this.log.warn("following an A2A task failed", { error, taskId }));
    };
    let unsubscribe: (() => void) | undefined;
    let released = false;
    this.unfollow.set(bus, () => {
      released = true;
      unsubscribe?.();
    });
    subscribed.then(
      (stop) => {
        if (released) return stop();
        unsubscribe = stop;
        if (mode === "follower") prime();
      },
      (error: unknown) => {
        this.log.warn("cannot follow an A2A task", { error, taskId });
        if (mode === "follower") bus.finished();
      },
    );
  }

  /** The follower's first read: new artifacts and a terminal state are news; another state is the baseline. */
  private async prime(taskId: string, bus: TaskBus, context: ServerCallContext): Promise<void> {
    const task = await this.store.load(taskId, context);
    const state = task?.status?.state;
    if (!task || state === undefined || bus.lastState !== undefined) return;
    if (this.isTerminal(state)) return this.sync(taskId, bus, context, "follower");
    publishNewArtifacts(bus, task);
    bus.lastState = state;
  }

  private async sync(taskId: string, bus: TaskBus, context: ServerCallContext, mode: Mode): Promise<void> {
    if (this.isTerminal(bus.lastState)) return;
    const task = await this.store.load(taskId, context);
    const state = task?.status?.state;
    if (!task || state === undefined || this.isTerminal(bus.lastState)) return;
    // A running bus hears its own saves echo back; only a terminal state it did not reach is news.
    if (mode === "running" && !this.isTerminal(state)) return;
    if (mode === "follower") publishNewArtifacts(bus, task);
    if (state !== bus.lastState) bus.publish({ kind: "statusUpdate", data: { taskId: task.id, contextId: task.contextId, status: task.status, metadata: {} } });
  }
}

function publishNewArtifacts(bus: TaskBus, task: Task): void {
  for (const artifact of task.artifacts) {
    if (bus.artifactIds.has(artifact.artifactId)) continue;
    bus.publish({ kind: "artifactUpdate", data: { taskId: task.id, contextId: task.contextId, artifact, append: false, lastChunk: true, metadata: {} } });
  }
}

/** Buses are per client: a task id another client guesses never reaches this client's execution. */
function keyOf(taskId: string, context: ServerCallContext | undefined): string {
  return `${callerOf(context).clientId}|${taskId}`;
}
