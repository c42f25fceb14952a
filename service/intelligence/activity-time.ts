import type { ActivityInput } from "./types.js";

/** Training time in seconds: moving time when recorded (pauses are not training), else elapsed. */
export function trainingSeconds(activity: Pick<ActivityInput, "movingSeconds" | "elapsedSeconds">): number {
  return activity.movingSeconds !== undefined && activity.movingSeconds > 0 ? activity.movingSeconds : activity.elapsedSeconds;
}

/** Average speed in m/s: recorded, else distance / training time; undefined without either. */
export function averageSpeed(activity: ActivityInput): number | undefined {
  if (activity.averageSpeed !== undefined && activity.averageSpeed > 0) return activity.averageSpeed;
  const seconds = trainingSeconds(activity);
  if (activity.distanceMeters !== undefined && activity.distanceMeters > 0 && seconds > 0) return activity.distanceMeters / seconds;
  return undefined;
}
