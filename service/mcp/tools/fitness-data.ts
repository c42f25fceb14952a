// Read tools over the synced fitness data: activities (list and one), the athlete, totals, sleep.
import { z } from "zod";
import { activityTotals, findActivity, querySleep, queryActivities, queryActivitiesWithConnections } from "../../fitness/activity-store.js";
import { activitySchema, athleteProfileSchema, providerIdSchema, sleepRecordSchema, sportSchema, STREAM_KEYS } from "../../fitness/model.js";
import { summarizeStreams } from "../../fitness/stream-summary.js";
import { decodeCursor, encodeCursor } from "../../providers/common.js";
import { freshSources, ownerOf, sourceNotes, sourceSchema } from "./fitness-sources.js";
import { defineTool, requireFitness, ToolError } from "./tool.js";

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;
const DAY_MS = 86_400_000;
const isoDate = z.iso.date();
const instantOrDate = z.union([z.iso.datetime({ offset: true }), isoDate]);
/** A bare date as a lower bound is its first instant, as an upper bound its last (UTC). */
const bound = (value: string | undefined, end: boolean) =>
  value === undefined ? undefined : value.length === 10 ? new Date(`${value}T${end ? "23:59:59.999" : "00:00:00"}Z`) : new Date(value);
const ordered = (r: { from?: string; to?: string }) => !r.from || !r.to || bound(r.from, false)! <= bound(r.to, true)!;
const providerFilter = providerIdSchema.optional().describe("Only this provider; every connected provider when omitted");

const activitySummary = activitySchema.omit({ laps: true, streams: true }).extend({
  id: z.uuid().describe("Pass to get_activity"),
  externalId: z.string().describe("The provider's own id"),
});
const cursorSchema = z.object({ t: z.string(), id: z.uuid() });

export const getActivities = defineTool({
  name: "get_activities",
  title: "List activities",
  description:
    "Lists the caller's activities (runs, rides, swims, ...) newest first, from every connected provider or one, with " +
    "optional date range and sport filters. Distances in metres, times in seconds, speeds in m/s. Returns nextCursor " +
    "when more match: pass it back as cursor with the same filters for the next page.",
  requiredScope: "fitness:read",
  annotations: READ,
  reusable: true,
  input: z
    .strictObject({
      provider: providerFilter,
      from: instantOrDate.optional().describe("Earliest start, ISO date or date-time (inclusive)"),
      to: instantOrDate.optional().describe("Latest start, ISO date or date-time (inclusive)"),
      sport: sportSchema.optional(),
      limit: z.number().int().min(1).max(200).default(20).describe("At most 200"),
      cursor: z.string().max(500).optional().describe("nextCursor of the previous page"),
    })
    .refine(ordered, { message: "from must not be after to", path: ["from"] }),
  output: z.object({ activities: z.array(activitySummary), nextCursor: z.string().nullable(), sources: z.array(sourceSchema) }),
  async run(input, context) {
    let after;
    if (input.cursor) {
      try {
        const c = decodeCursor(cursorSchema, input.cursor);
        after = { startTime: c.t, id: c.id };
      } catch {
        throw new ToolError("cursor is not a nextCursor this tool returned; omit it to start from the newest activity");
      }
    }
    const query = { provider: input.provider, sport: input.sport, from: bound(input.from, false), to: bound(input.to, true), limit: input.limit + 1, after };
    // Optimistic: connections and the page in one statement; queried again only when a sync just ran.
    const read = await queryActivitiesWithConnections(context.db, ownerOf(context), query);
    const { sources, synced } = await freshSources(context, input.provider, read.connections);
    const rows = synced ? await queryActivities(context.db, ownerOf(context), query) : read.activities;
    const page = rows.slice(0, input.limit);
    const last = page[page.length - 1];
    return {
      // The output schema drops the columns a list does not show (laps, detailFetchedAt).
      activities: page,
      nextCursor: rows.length > input.limit && last ? encodeCursor({ t: last.startTime, id: last.id }) : null,
      sources,
    };
  },
  summary: ({ activities, nextCursor, sources }) =>
    [
      `${activities.length} activit${activities.length === 1 ? "y" : "ies"}${activities[0] ? `, newest ${activities[0].startTime.slice(0, 10)}` : ""}${nextCursor ? "; more with nextCursor" : ""}.`,
      sourceNotes(sources),
    ].filter(Boolean).join("\n"),
});

const seriesSummary = z.object({ min: z.number(), avg: z.number(), max: z.number(), samples: z.number().int() });

export const getActivity = defineTool({
  name: "get_activity",
  title: "One activity in detail",
  description:
    "One activity by the id get_activities returned: its summary, laps and a summary of its sample streams (heart rate, " +
    "power, speed, altitude). Set streams to true for the full per-second samples (large).",
  requiredScope: "fitness:read",
  annotations: READ,
  reusable: true,
  input: z.strictObject({
    activityId: z.uuid().describe("The id from get_activities"),
    streams: z.boolean().default(false).describe("Include every sample (large)"),
  }),
  output: z.object({
    activity: activitySummary,
    laps: z.array(activitySchema.shape.laps.unwrap().element).nullable(),
    streamSummary: z.object({ samples: z.number().int(), durationSeconds: z.number(), series: z.partialRecord(z.enum(STREAM_KEYS), seriesSummary) }).nullable(),
    streams: activitySchema.shape.streams.unwrap().nullable(),
    note: z.string().nullable(),
  }),
  async run({ activityId, streams }, context) {
    const fitness = requireFitness(context);
    const owner = ownerOf(context);
    const stored = await findActivity(context.db, owner, activityId);
    // Another tenant's or user's id reads exactly like an id that does not exist.
    if (!stored) throw new ToolError(`No activity with id ${activityId}. Use an id from get_activities.`);
    const { connections } = await freshSources(context, stored.provider);
    const detail = await fitness.sync.detail(connections[0]!, stored, true);
    return {
      activity: stored,
      laps: detail.laps,
      streamSummary: detail.streams ? summarizeStreams(detail.streams) : null,
      streams: streams ? detail.streams : null,
      note: detail.note,
    };
  },
  summary: ({ activity, laps, streamSummary, note }) =>
    [
      `${activity.name} (${activity.sport}) on ${activity.startTime.slice(0, 10)}: ${laps?.length ?? 0} laps, ${streamSummary ? `${streamSummary.samples} samples` : "no streams"}.`,
      note,
    ].filter(Boolean).join("\n"),
});

export const getAthlete = defineTool({
  name: "get_athlete",
  title: "Athlete profile",
  description: "The athlete's profile at each connected provider (or one): name, sex, weight, FTP, max and resting heart rate.",
  requiredScope: "fitness:read",
  annotations: READ,
  reusable: true,
  input: z.strictObject({ provider: providerFilter }),
  output: z.object({ profiles: z.array(athleteProfileSchema), sources: z.array(sourceSchema) }),
  async run({ provider }, context) {
    const fitness = requireFitness(context);
    const { connections, sources } = await freshSources(context, provider);
    const profiles = await Promise.all(connections.filter((c) => c.status === "connected").map((c) => fitness.sync.profile(c).catch(() => null)));
    return { profiles: profiles.filter((p) => p !== null), sources };
  },
  summary: ({ profiles, sources }) =>
    [profiles.map((p) => `${p.provider}: ${p.displayName ?? "unnamed"}${p.weightKg ? `, ${p.weightKg} kg` : ""}${p.ftpWatts ? `, FTP ${p.ftpWatts} W` : ""}`).join("\n"), sourceNotes(sources)]
      .filter(Boolean)
      .join("\n"),
});

export const getStats = defineTool({
  name: "get_stats",
  title: "Training totals",
  description:
    "Totals per sport and calendar period (week, month or year, by the activity's local date): count, distance (m), " +
    "moving time (s), elevation gain (m), calories. Defaults to the last 12 months by month.",
  requiredScope: "fitness:read",
  annotations: READ,
  reusable: true,
  input: z
    .strictObject({
      period: z.enum(["week", "month", "year"]).default("month"),
      from: isoDate.optional().describe("First day (inclusive); 365 days ago when omitted"),
      to: isoDate.optional().describe("Last day (inclusive); today when omitted"),
      provider: providerFilter,
    })
    .refine(ordered, { message: "from must not be after to", path: ["from"] }),
  output: z.object({
    period: z.enum(["week", "month", "year"]),
    from: isoDate,
    to: isoDate,
    totals: z.array(
      z.object({
        period: isoDate.describe("First day of the period"),
        sport: sportSchema,
        count: z.number().int(),
        distanceMeters: z.number(),
        movingSeconds: z.number(),
        elevationGainMeters: z.number(),
        calories: z.number(),
      }),
    ),
    sources: z.array(sourceSchema),
  }),
  async run(input, context) {
    const { sources } = await freshSources(context, input.provider);
    const to = input.to ?? new Date().toISOString().slice(0, 10);
    const from = input.from ?? new Date(Date.parse(to) - 365 * DAY_MS).toISOString().slice(0, 10);
    const totals = await activityTotals(context.db, ownerOf(context), { period: input.period, from, to, provider: input.provider });
    return { period: input.period, from, to, totals, sources };
  },
  summary: ({ totals, period, from, to, sources }) => {
    const bySport = new Map<string, { count: number; km: number }>();
    for (const t of totals) {
      const s = bySport.get(t.sport) ?? { count: 0, km: 0 };
      bySport.set(t.sport, { count: s.count + t.count, km: s.km + t.distanceMeters / 1000 });
    }
    const line = [...bySport].map(([sport, s]) => `${sport} ${s.count}× ${Math.round(s.km)} km`).join(", ");
    return [`${from} to ${to} by ${period}: ${line || "no activities"}.`, sourceNotes(sources)].filter(Boolean).join("\n");
  },
});

export const getSleep = defineTool({
  name: "get_sleep",
  title: "Sleep and HRV",
  description:
    "Sleep records per night (the local date the sleep ended) in a date range of at most 366 days: minutes asleep and " +
    "awake, stages where the provider detects them, and that night's HRV (RMSSD, ms) where measured.",
  requiredScope: "fitness:read",
  annotations: READ,
  reusable: true,
  input: z
    .strictObject({ from: isoDate, to: isoDate, provider: providerFilter })
    .refine(ordered, { message: "from must not be after to", path: ["from"] })
    .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 366 * DAY_MS, { message: "the range may span at most 366 days", path: ["to"] }),
  output: z.object({
    nights: z.array(sleepRecordSchema.omit({ id: true }).extend({ hrvRmssdMs: z.number().nullable() })),
    sources: z.array(sourceSchema),
  }),
  async run({ from, to, provider }, context) {
    const { sources } = await freshSources(context, provider);
    return { nights: await querySleep(context.db, ownerOf(context), { from, to, provider }), sources };
  },
  summary: ({ nights, sources }) => {
    const main = nights.filter((n) => n.isMainSleep);
    const avg = main.length ? main.reduce((sum, n) => sum + n.minutesAsleep, 0) / main.length : 0;
    return [`${nights.length} sleep records; main sleep averages ${Math.floor(avg / 60)} h ${Math.round(avg % 60)} min.`, sourceNotes(sources)].filter(Boolean).join("\n");
  },
});
