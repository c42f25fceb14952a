// The synthetic provider: a deterministic athlete per user, behind the same FitnessProvider contract as the
// real ones, with no browser, no account and no network. Its "authorization" redirects straight back with a
// code that names the user's seed; its token is that seed, so it never expires and has nothing to revoke.
import { z } from "zod";
import type { Activity } from "../../fitness/model.js";
import { decodeCursor, encodeCursor } from "../common.js";
import { AccessTokenRejectedError, BadResponseError, UnsupportedOperationError } from "../errors.js";
import type { FitnessProvider, ProviderAuth } from "../types.js";
import { physiology, profileOf } from "./athlete.js";
import { generateHistory, type History } from "./history.js";
import { seedFor } from "./random.js";

const PAGE_SIZE = 200;
const DAY_MS = 86_400_000;
const TOKEN_PREFIX = "synthetic.";
const cursorSchema = z.object({ after: z.string().nullable() });

export interface SyntheticDeps {
  now: () => number;
}

interface Indexed extends History {
  byId: Map<string, Activity>;
}

function subjectOf(auth: ProviderAuth): string {
  if (!auth.accessToken.startsWith(TOKEN_PREFIX)) throw new AccessTokenRejectedError("synthetic", "token", 401);
  return Buffer.from(auth.accessToken.slice(TOKEN_PREFIX.length), "base64url").toString("utf8");
}

/** A copy without the parts a list does not carry (laps, and streams unless asked for). */
function trimmed(a: Activity, keep: { laps: boolean; streams: boolean }): Activity {
  const copy = { ...a };
  if (!keep.laps) delete copy.laps;
  if (!keep.streams) delete copy.streams;
  return copy;
}

export function createSyntheticProvider(deps: SyntheticDeps): FitnessProvider {
  // The last histories generated: a sync pages through one history several times. Two, because a history
  // with its streams holds a few MB.
  const cache = new Map<string, Indexed>();

  function history(auth: ProviderAuth) {
    const p = physiology(seedFor(subjectOf(auth)));
    // The window ends with the athlete's local yesterday: today's sessions may not have happened yet.
    const lastDay = Math.floor((deps.now() + p.utcOffsetSeconds * 1000) / DAY_MS) - 1;
    const key = `${p.seed}:${lastDay}`;
    let h = cache.get(key);
    if (!h) {
      const generated = generateHistory(p, lastDay);
      h = { ...generated, byId: new Map(generated.activities.map((a) => [a.id, a])) };
      if (cache.size >= 2) cache.delete(cache.keys().next().value!);
      cache.set(key, h);
    }
    return { p, h };
  }

  return {
    id: "synthetic",
    capabilities: {
      browser: false,
      pkce: false,
      activityById: true,
      streams: true,
      sleep: true,
      hrv: true,
      revoke: false,
    },

    authorizationUrl({ state, redirectUri, subject }) {
      const url = new URL(redirectUri);
      url.searchParams.set("code", Buffer.from(subject).toString("base64url"));
      url.searchParams.set("state", state);
      return url;
    },

    async exchangeCode({ code }) {
      if (!/^[A-Za-z0-9_-]+$/.test(code))
        throw new BadResponseError("synthetic", "oauth.code", 400, "not a synthetic code");
      const accessToken = `${TOKEN_PREFIX}${code}`;
      return {
        accessToken,
        refreshToken: null,
        expiresAt: null,
        refreshTokenExpiresAt: null,
        scopes: ["synthetic"],
        externalUserId: profileOf(physiology(seedFor(subjectOf({ accessToken })))).externalId,
      };
    },

    async refresh() {
      throw new UnsupportedOperationError("synthetic", "oauth.refresh");
    },

    async revoke() {
      // Nothing is held anywhere else: deleting the stored token is the whole disconnect.
    },

    async listActivities(auth, { cursor }) {
      const { after } = cursor ? decodeCursor(cursorSchema, cursor) : { after: null };
      const all = history(auth).h.activities;
      const from = after === null ? 0 : all.findIndex((a) => a.startTime > after);
      const page = from < 0 ? [] : all.slice(from, from + PAGE_SIZE);
      const last = page.length ? page[page.length - 1]!.startTime : after;
      return {
        activities: page.map((a) => trimmed(a, { laps: false, streams: false })),
        cursor: encodeCursor({ after: last }),
        hasMore: from >= 0 && from + PAGE_SIZE < all.length,
      };
    },

    async getActivity(auth, id, { streams }) {
      const activity = history(auth).h.byId.get(id);
      if (!activity) throw new BadResponseError("synthetic", "activities.get", 404, "no such activity");
      return trimmed(activity, { laps: true, streams });
    },

    async getAthlete(auth) {
      return profileOf(history(auth).p);
    },

    async listSleep(auth, range) {
      return history(auth).h.sleep.filter((s) => s.date >= range.from && s.date <= range.to);
    },

    async listHrv(auth, range) {
      return history(auth).h.hrv.filter((s) => s.date >= range.from && s.date <= range.to);
    },
  };
}
