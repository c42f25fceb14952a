// Form (TSB) bands and overtraining flags as specified for Pierre (docs: shared/reference/domain.md),
// after Coggan's performance manager: TSB < -10 overreaching, -10..0 productive, 0..10 fresh, > 10
// detraining. Flags: ATL > 1.3 x CTL, ATL > 150, TSB < -10; two or more = high risk, one = moderate.

export type FormBand = "overreaching" | "productive" | "fresh" | "detraining";
export type RiskLevel = "low" | "moderate" | "high";

export function formBand(tsb: number): FormBand {
  if (tsb < -10) return "overreaching";
  if (tsb < 0) return "productive";
  if (tsb <= 10) return "fresh";
  return "detraining";
}

export interface OvertrainingAssessment {
  flags: string[];
  risk: RiskLevel;
}

export function overtrainingFlags(ctl: number, atl: number, tsb: number): OvertrainingAssessment {
  const flags: string[] = [];
  if (atl > 1.3 * ctl && atl > 0) flags.push("ATL above 1.3 x CTL: acute load far above what you are adapted to");
  if (atl > 150) flags.push("ATL above 150 TSS/day");
  if (tsb < -10) flags.push("TSB below -10: accumulated fatigue");
  return { flags, risk: flags.length >= 2 ? "high" : flags.length === 1 ? "moderate" : "low" };
}
