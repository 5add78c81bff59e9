import type { Redis } from "ioredis";
import type { Keys } from "./keys.js";

/** Per-learner settings, one Redis hash. Everything optional: a new learner has none. */
export interface Settings {
  tz?: string;
  /** Daily delivery time, HH:MM local. */
  time?: string;
  subscribed?: boolean;
  paused?: boolean;
  boardOptOut?: boolean;
  /** Platform conversation to deliver to (e.g. a Slack DM channel id). */
  dmChannel?: string;
  streak?: number;
  bestStreak?: number;
  /** Local date of the last finished session (for streaks). */
  lastSessionDay?: string;
  /** Local date of the last daily delivery (for "yesterday's quiz was unfinished"). */
  lastDelivery?: string;
  /** Why the subscription was paused by pyjs (e.g. DMs closed), empty when not. */
  pausedReason?: string;
  /** The learner has been told why (pausedReason) at a `/pyjs` command; reset on a new pause. */
  pausedNotified?: boolean;
  /** Decks studied, comma-separated (absent: every deck). */
  topics?: string;
  /** New cards per local day (absent: the process default). */
  newPerDay?: number;
  /** Display name for boards. */
  name?: string;
  /** Today's counters, written by the review script (see store/reviews.ts). */
  dayDate?: string;
  dayNew?: number;
  dayReviews?: number;
  dayCorrect?: number;
  /** Vacation (`pause 7d`): first paused local date and the first day back. */
  vacationFrom?: string;
  pausedUntil?: string;
  /** Skipped cards: card id -> local date they come back (fields `bury:{card}`). */
  buried?: Record<string, string>;
  /** Suspended card ids (fields `susp:{card}`). */
  suspended?: string[];
  /** Leeches told: card id -> highest lapse count announced (fields `leech:{card}`). */
  leeches?: Record<string, number>;
  /** The learner's own FSRS weights (store/parameters.ts), when fitted: in use. */
  fsrsW?: string;
  /** When they were fitted (epoch ms) and on how many reviews. */
  fsrsAt?: number;
  fsrsN?: number;
  /** Review-log length at the last fit attempt: the weekly sweep refits only past it. */
  fsrsSeen?: number;
}

/** Field prefixes of the per-card controls kept in the learner hash. */
export const BURY_FIELD = "bury:";
export const SUSPEND_FIELD = "susp:";
/** Written by lua/apply-review.lua when a leech is announced. */
export const LEECH_FIELD = "leech:";

/** Folds `bury:`, `susp:` and `leech:{card}` fields into `buried`, `suspended`, `leeches`. */
function controlField(out: Settings, k: string, v: string): boolean {
  if (k.startsWith(BURY_FIELD)) {
    out.buried ??= {};
    out.buried[k.slice(BURY_FIELD.length)] = v;
    return true;
  }
  if (k.startsWith(SUSPEND_FIELD)) {
    out.suspended ??= [];
    out.suspended.push(k.slice(SUSPEND_FIELD.length));
    return true;
  }
  if (k.startsWith(LEECH_FIELD)) {
    out.leeches ??= {};
    out.leeches[k.slice(LEECH_FIELD.length)] = Number(v);
    return true;
  }
  return false;
}

const BOOL = new Set<keyof Settings>(["subscribed", "paused", "boardOptOut", "pausedNotified"]);
const NUM = new Set<keyof Settings>([
  "streak",
  "bestStreak",
  "dayNew",
  "dayReviews",
  "dayCorrect",
  "newPerDay",
  "fsrsAt",
  "fsrsN",
  "fsrsSeen",
]);

export function parseSettings(raw: Record<string, string>): Settings {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = k as keyof Settings;
    if (controlField(out as unknown as Settings, k, v)) continue;
    if (BOOL.has(key)) out[k] = v === "1";
    else if (NUM.has(key)) out[k] = Number(v);
    else out[k] = v;
  }
  return out as Settings;
}

function serialize(s: Partial<Settings>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s)) {
    if (v === undefined || typeof v === "object") continue;
    out[k] = typeof v === "boolean" ? (v ? "1" : "0") : String(v);
  }
  return out;
}

export class SettingsStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async get(learner: string): Promise<Settings> {
    return parseSettings(await this.redis.hgetall(this.keys.learner(learner)));
  }

  /**
   * What the tick needs of many learners (subscribed, paused, zone, time), one HMGET
   * each. On one Redis they go in a single pipeline (one write and one read for a batch
   * of a thousand instead of a thousand); a Cluster sends them one by one, since a
   * Cluster pipeline must stay within one slot and learners are spread over all.
   */
  async forDelivery(learners: string[]): Promise<Settings[]> {
    const fields = ["subscribed", "paused", "tz", "time"] as const;
    const parse = (v: (string | null)[]) =>
      parseSettings(
        Object.fromEntries(fields.flatMap((f, i) => (v[i] == null ? [] : [[f, v[i]]]))),
      );
    if (this.redis.isCluster || learners.length === 0) {
      return Promise.all(
        learners.map(async (l) => parse(await this.redis.hmget(this.keys.learner(l), ...fields))),
      );
    }
    const p = this.redis.pipeline();
    for (const l of learners) p.hmget(this.keys.learner(l), ...fields);
    const replies = (await p.exec()) ?? [];
    return replies.map(([err, v]) => {
      if (err) throw err;
      return parse(v as (string | null)[]);
    });
  }

  async update(learner: string, patch: Partial<Settings>): Promise<void> {
    const fields = serialize(patch);
    if (Object.keys(fields).length > 0) await this.redis.hset(this.keys.learner(learner), fields);
  }

  /** The learner's DM channel id (Slack `D…`, Discord channel id), when one was opened. */
  async dmChannel(learner: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.learner(learner), "dmChannel")) || undefined;
  }
}
