// Efficiency factor: output per heartbeat (Allen & Coggan 2010 for power, NP / average HR; Friel's
// running form uses speed per beat, here m/min / average HR). Rising EF at the same effort = aerobic gain.
import { averageSpeed } from "./activity-time.js";
import type { ActivityInput } from "./types.js";

export function efficiencyFactor(activity: ActivityInput, power: number | null): number | null {
  const hr = activity.averageHeartRate;
  if (hr === undefined || hr <= 0) return null;
  if (power !== null) return power / hr;
  const speed = averageSpeed(activity);
  return speed === undefined ? null : (speed * 60) / hr;
}
