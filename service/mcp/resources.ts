// MCP resources: read-only views of the caller's own data that clients can attach to a conversation. The
// list is fixed (the URIs name no user: each read is the caller's own), so resources/list is built once.
import type { ListResourcesResult, ReadResourceResult, Resource } from "@modelcontextprotocol/sdk/types.js";
import { analyzeTrainingLoad } from "../intelligence/index.js";
import { trainingBasis, withThresholds } from "../training/analytics.js";
import { listActivities } from "../training/data.js";
import type { ToolContext } from "./tools/index.js";
import { now, ownerOf } from "./tools/training-support.js";

const RECENT_ACTIVITIES = 20;
const RECENT_WINDOW_MS = 60 * 86_400_000;

interface ResourceSpec extends Resource {
  read(context: ToolContext): Promise<unknown>;
}

const RESOURCES: ResourceSpec[] = [
  {
    uri: "pierre://athlete/profile",
    name: "athlete-profile",
    title: "Athlete profile",
    description: "The fitness configuration (tenant default merged with the user's own) and the thresholds in use, configured or estimated.",
    mimeType: "application/json",
    async read({ principal, db }) {
      const { config, thresholds } = await trainingBasis(db, ownerOf(principal), now());
      return { configuration: config.merged, sources: config.sources, thresholds };
    },
  },
  {
    uri: "pierre://activities/recent",
    name: "recent-activities",
    title: "Recent activities",
    description: `The ${RECENT_ACTIVITIES} latest stored activities of the last 60 days, newest first, without streams.`,
    mimeType: "application/json",
    async read({ principal, db }) {
      const activities = await listActivities(db, ownerOf(principal), { since: new Date(now() - RECENT_WINDOW_MS), streamsSince: null });
      return { activities: activities.slice(-RECENT_ACTIVITIES).reverse() };
    },
  },
  {
    uri: "pierre://training/load",
    name: "training-load",
    title: "Current training load",
    description: "Today's CTL, ATL, TSB, form band and overtraining flags, with the last 7 days.",
    mimeType: "application/json",
    async read({ principal, db }) {
      const basis = await trainingBasis(db, ownerOf(principal), now());
      return withThresholds(basis, analyzeTrainingLoad(basis.series, basis.today, 7));
    },
  },
];

const byUri = new Map(RESOURCES.map((spec) => [spec.uri, spec]));

export const RESOURCE_LIST: ListResourcesResult = Object.freeze({
  resources: RESOURCES.map(({ uri, name, title, description, mimeType }) => ({ uri, name, title, description, mimeType })),
});

/** undefined when no resource has that URI. */
export async function readResource(uri: string, context: ToolContext): Promise<ReadResourceResult | undefined> {
  const spec = byUri.get(uri);
  if (!spec) return undefined;
  // Every resource is a view of the synced data: bring the caller's connections up to date first, as the analyses do.
  await context.fitness?.sync.refreshOwner(ownerOf(context.principal));
  return { contents: [{ uri, mimeType: "application/json", text: JSON.stringify(await spec.read(context)) }] };
}
