// "Task changed" across instances: the task store NOTIFYs with every save (in the same statement, so a
// listener that reads the task after the notification sees that save or a later one), and each instance
// follows the tasks its streams and cancellations wait on (db/notifications.ts). The payload only names
// the task: tasks with their artifacts outgrow a NOTIFY payload.
import type { Channel, NotificationListener } from "../db/notifications.js";

export const TASK_CHANNEL = "pierre_a2a_task_events";

export interface TaskChanged {
  taskId: string;
}

export type TaskEvents = Channel<TaskChanged>;

export function createTaskEvents(notifications: NotificationListener): TaskEvents {
  return notifications.channel<TaskChanged>({ name: TASK_CHANNEL, keyOf: (event) => event.taskId });
}
