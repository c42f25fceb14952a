// The SDK's AgentExecutor: runs the skill a message asks for (skills.ts) for the calling client's user
// and publishes the task's life on its bus: the task (submitted), working, then either an artifact with
// the result (a text part and a data part) and completed, or input-required with the question. A
// terminal status appearing on the bus meanwhile (a cancellation here or on another instance, see
// event-buses.ts) stops it from publishing anything more.
import { randomUUID } from "node:crypto";
import type { Message, Part, Task, TaskState } from "@a2a-js/sdk";
import type { AgentExecutionEvent, AgentExecutor, ExecutionEventBus, RequestContext } from "@a2a-js/sdk/server";
import type { Logger } from "winston";
import type { Queryable } from "../db/pool.js";
import { isDatabaseUnavailable } from "../db/outage.js";
import { TIERS } from "../identity/tiers.js";
import { callerOf } from "./caller.js";
import { TaskBus, type IsTerminal } from "./event-buses.js";
import type { A2aSdk } from "./sdk.js";
import { chooseSkill, type Skill, type SkillCatalog, type SkillOutcome, type SkillRequest } from "./skills.js";

export interface ExecutorDeps {
  db: Queryable;
  skills: SkillCatalog;
  log: Logger;
  /** The instant "today" is computed from. */
  now: () => number;
  sdk: A2aSdk["core"];
  isTerminal: IsTerminal;
  /** Brings the user's provider connections up to date before a skill reads their data (fitness/sync.ts), when the service has a fitness layer. */
  refreshOwner?: (owner: { tenantId: string; userId: string }) => Promise<void>;
}

export class SkillExecutor implements AgentExecutor {
  constructor(private readonly deps: ExecutorDeps) {}

  async execute(context: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const { TaskState, Role } = this.deps.sdk;
    const { taskId, contextId } = context;
    const message = context.userMessage;
    const previous = context.task;
    const fallback = previous && this.deps.skills.find(String(previous.metadata?.skill ?? ""));
    const choice = chooseSkill(this.deps.skills, skillRequestOf(message), fallback);
    const skillId = "skill" in choice ? choice.skill.id : (fallback?.id ?? "unknown");
    const task: Task = previous ?? {
      id: taskId,
      contextId,
      status: status(TaskState.TASK_STATE_SUBMITTED),
      history: [message],
      artifacts: [],
      metadata: { skill: skillId },
    };
    bus.publish({ kind: "task", data: task });
    const update = (state: TaskState, reply?: Message) => bus.publish({ kind: "statusUpdate", data: { taskId, contextId, status: status(state, reply), metadata: {} } });
    const reply = (parts: Part[]) => agentMessage(Role.ROLE_AGENT, taskId, contextId, parts);

    // The router refuses a new task's bad request before it gets here; a follow-up is answered on its task.
    if ("problem" in choice) return update(previous ? TaskState.TASK_STATE_INPUT_REQUIRED : TaskState.TASK_STATE_REJECTED, reply([textPart(choice.problem)]));
    const { skill, input } = choice;
    const principal = callerOf(context.context);
    const refusal = this.refusal(skill, principal.tier, principal.scopes);
    if (refusal) return update(TaskState.TASK_STATE_REJECTED, reply([textPart(refusal)]));

    let stopped = false;
    const watch = (event: AgentExecutionEvent) => {
      if (event.kind === "statusUpdate" && this.deps.isTerminal(event.data.status?.state)) stopped = true;
    };
    bus.on("event", watch);
    try {
      update(TaskState.TASK_STATE_WORKING);
      const outcome = await this.run(skill, input, { tenantId: principal.tenant.id, userId: principal.userId });
      if (stopped) return;
      if (outcome.state === "completed") {
        bus.publish({
          kind: "artifactUpdate",
          data: {
            taskId,
            contextId,
            artifact: { artifactId: randomUUID(), name: skill.id, description: skill.name, parts: resultParts(outcome), metadata: { skill: skill.id }, extensions: [] },
            append: false,
            lastChunk: true,
            metadata: {},
          },
        });
        update(TaskState.TASK_STATE_COMPLETED, reply([textPart(outcome.text)]));
      } else {
        update(TaskState.TASK_STATE_INPUT_REQUIRED, reply(resultParts(outcome)));
      }
    } catch (error) {
      if (stopped) return;
      const unavailable = isDatabaseUnavailable(error);
      if (!unavailable) this.deps.log.error("A2A skill failed", { error, skill: skill.id });
      update(TaskState.TASK_STATE_FAILED, reply([textPart(unavailable ? "The database cannot be reached; send the message again shortly." : "Internal error")]));
    } finally {
      bus.off("event", watch);
    }
  }

  /** Publishes the cancellation at once (the SDK's cancel path reads it from the bus), whichever instance runs the task. */
  async cancelTask(taskId: string, bus: ExecutionEventBus): Promise<void> {
    const { TaskState, Role } = this.deps.sdk;
    const contextId = bus instanceof TaskBus ? bus.contextId : "";
    const message = agentMessage(Role.ROLE_AGENT, taskId, contextId, [textPart("Canceled by the client.")]);
    bus.publish({ kind: "statusUpdate", data: { taskId, contextId, status: status(TaskState.TASK_STATE_CANCELED, message), metadata: {} } });
  }

  private async run(skill: Skill, input: Record<string, unknown>, owner: { tenantId: string; userId: string }): Promise<SkillOutcome> {
    // Every skill is an analysis over all of the user's data, as the MCP tools it names (syncsFirst).
    await this.deps.refreshOwner?.(owner);
    return skill.run(input, { db: this.deps.db, owner, nowMs: this.deps.now() });
  }

  /** Tier gating as for MCP tools (the skill's tier comes from its tools'), and the tools' scopes. */
  private refusal(skill: Skill, tier: (typeof TIERS)[number], scopes: string[]): string | undefined {
    const needed = this.deps.skills.tierOf(skill);
    if (TIERS.indexOf(needed) > TIERS.indexOf(tier)) return `${skill.id} needs the ${needed} tier; this client's user is on the ${tier} tier.`;
    const missing = this.deps.skills.scopesOf(skill).filter((scope) => !scopes.includes(scope));
    return missing.length ? `${skill.id} needs the ${missing.join(" ")} scope.` : undefined;
  }
}

/** A message's skill request, from the SDK's parts. */
export function skillRequestOf(message: Message): SkillRequest {
  const texts: string[] = [];
  const data: unknown[] = [];
  for (const part of message.parts) {
    if (part.content?.$case === "text") texts.push(part.content.value);
    else if (part.content?.$case === "data") data.push(part.content.value);
  }
  return { skill: message.metadata?.skill, texts, data };
}

function resultParts(outcome: SkillOutcome): Part[] {
  return [textPart(outcome.text), { content: { $case: "data", value: outcome.data }, mediaType: "application/json", filename: "", metadata: undefined }];
}

function textPart(text: string): Part {
  return { content: { $case: "text", value: text }, mediaType: "text/plain", filename: "", metadata: undefined };
}

function agentMessage(role: Message["role"], taskId: string, contextId: string, parts: Part[]): Message {
  return { messageId: randomUUID(), contextId, taskId, role, parts, metadata: undefined, extensions: [], referenceTaskIds: [] };
}

function status(state: TaskState, message?: Message) {
  return { state, message, timestamp: new Date().toISOString() };
}
