// Provider sport types vary ("Run", "TrailRun", "running", "VirtualRide"...); formulas only care which
// family an activity belongs to: power-based TSS is a cycling FTP, pace-based TSS is for foot sports.

export type SportFamily = "run" | "ride" | "swim" | "walk" | "other";

const FAMILIES: Array<[RegExp, SportFamily]> = [
  [/run|jog/i, "run"],
  [/ride|cycl|bik|velo/i, "ride"],
  [/swim/i, "swim"],
  [/walk|hik/i, "walk"],
];

export function sportFamily(sport: string): SportFamily {
  for (const [pattern, family] of FAMILIES) if (pattern.test(sport)) return family;
  return "other";
}

/** Whether `sport` matches a requested sport filter (a family name or an exact provider type). */
export function matchesSport(sport: string, filter: string | undefined): boolean {
  if (filter === undefined) return true;
  return sport.toLowerCase() === filter.toLowerCase() || sportFamily(sport) === sportFamily(filter);
}
