import type { Platform } from "../app/types.js";
import { learner as learnerId } from "../core/learner.js";
import { globEscape } from "../redis/scan.js";

/**
 * The one owner of every name pyjs uses in Redis: its own keys (all under one prefix),
 * the dedupe key, and on the BullMQ side the queue prefix, queue names and job ids.
 *
 * Per-learner keys carry the learner id in braces, a Redis Cluster hash tag: every key
 * of one learner lands in one slot, so the learner's scripts stay one atomic step on a
 * cluster too. Team keys (boards, team weeks) carry no hash tag: the review script
 * returns what to credit and lua/apply-board.lua updates each team key on its own, with
 * its marker (`applied`) in the same slot. BullMQ's prefix is hash-tagged (`{…bull}`),
 * so every key of every queue shares one slot, as BullMQ requires on a cluster.
 */

/** BullMQ queue names. One delivery queue per platform, each with its own rate limit. */
const QUEUE = {
  tick: "tick",
  weekly: "weekly",
  optimize: "optimize",
  deliveryPrefix: "deliver-",
} as const;

/**
 * Job and job-scheduler ids. BullMQ rejects ':' in custom job ids and learner ids
 * contain ':', so ids spell the learner with '|' (`learner.jobSafe`). These strings are
 * stored in Redis by running deployments: never change their format.
 */
export const jobIds = {
  /** The minute tick's job scheduler. */
  tickScheduler: "daily-tick",
  /** `daily|{learner}|{local date}`, e.g. `daily|slack|T1|U2|2026-11-29`. */
  daily: (learner: string, date: string) => `daily|${learnerId.jobSafe(learner)}|${date}`,
  /**
   * Several learners' daily deliveries in one job (jobs/delivery-batch.ts):
   * `dailies|{platform}|{digest of the learners and dates}`, so the same group enqueued
   * twice (a tick run again after a crash) is one job.
   */
  dailyBatch: (platform: Platform, digest: string) => `dailies|${platform}|${digest}`,
  /** A team's Monday job scheduler. */
  weeklyScheduler: (tenant: string) => `weekly|${tenant}`,
  /** `team + ISO week`: the post job's id, so a week is posted once per team. */
  weeklyPost: (tenant: string, week: string) => `post|${tenant}|${week}`,
  /** The weekly FSRS optimizer sweep's job scheduler. */
  optimizeScheduler: "optimize-weekly",
  /** One learner's fit: `fit|{learner}|{stamp}` (the sweep's ISO week, or `now-{epoch minute}`). */
  fitLearner: (learner: string, stamp: string) => `fit|${learnerId.jobSafe(learner)}|${stamp}`,
  /** One team prior's fit: `prior|{team}|{stamp}`. */
  fitTeam: (tenant: string, stamp: string) => `prior|${tenant}|${stamp}`,
};

/** BullMQ job names (what a job is, inside its queue). */
export const jobNames = {
  tick: "tick",
  daily: "daily",
  dailyBatch: "dailies",
  weeklySchedule: "weekly",
  weeklyPost: "post",
  optimizeSweep: "sweep",
  fitLearner: "fit-learner",
  fitTeam: "fit-team",
} as const;

export const queueNames = {
  tick: QUEUE.tick,
  weekly: QUEUE.weekly,
  optimize: QUEUE.optimize,
  delivery: (platform: Platform) => `${QUEUE.deliveryPrefix}${platform}`,
};

/** A pattern for SCAN MATCH plus the exact test a glob cannot express. */
export interface KeyScan {
  pattern: string;
  owns(key: string): boolean;
}

/** BullMQ's side, after BullMQ's own `QueueKeys`: prefix, queue names, job ids. */
export class QueueKeys {
  /**
   * The `prefix` option of every Queue and Worker: `{pyjs:bull}` for store prefix
   * `pyjs:`. The braces are a Redis Cluster hash tag, so every key of every queue is in
   * one slot (BullMQ's Lua scripts need a queue's keys together). Before issue 16 it was
   * `pyjs:bull` without braces: jobs queued under that prefix are not seen after the
   * upgrade (see docs/scale.md for the upgrade step).
   */
  readonly prefix: string;
  readonly tick = queueNames.tick;
  readonly weekly = queueNames.weekly;
  readonly optimize = queueNames.optimize;
  readonly delivery = queueNames.delivery;
  readonly ids = jobIds;
  readonly names = jobNames;

  constructor(prefix: string) {
    this.prefix = `{${prefix}bull}`;
  }

  /**
   * A learner's daily-delivery jobs in any delivery queue: keys of the job hashes and
   * their sub-keys (`:lock`, `:logs`). `jobOf` answers the queue and job id of a key
   * that belongs to exactly this learner, else undefined.
   */
  dailyJobsOf(learner: string): {
    pattern: string;
    jobOf(key: string): { queue: string; id: string } | undefined;
  } {
    // Job keys are `{bull prefix}:{queue}:{job id}`, optionally `:{sub-key}`.
    const head = `${this.prefix}:`;
    const idHead = jobIds.daily(learner, "");
    return {
      pattern: `${globEscape(head)}${QUEUE.deliveryPrefix}*:${globEscape(idHead)}*`,
      jobOf(key) {
        if (!key.startsWith(head)) return undefined;
        const [queue, id] = key.slice(head.length).split(":");
        if (!queue?.startsWith(QUEUE.deliveryPrefix) || !id?.startsWith(idHead)) return undefined;
        // The date part: anything with another '|' is a longer learner id's job.
        return id.slice(idHead.length).includes("|") ? undefined : { queue, id };
      },
    };
  }
}

/**
 * Keys of variable suffix (`{base}:{suffix}`) belong to a learner or team only when the
 * suffix is one segment: no ':' and no braces. `prompt:{a}:*` also matches learner
 * `a}:b`'s `prompt:{a}:b}:xyz`, which this rejects.
 */
function segmentScan(base: string): KeyScan {
  const head = `${base}:`;
  return {
    pattern: `${globEscape(head)}*`,
    owns: (key) => key.startsWith(head) && !/[:{}]/.test(key.slice(head.length)),
  };
}

export class Keys {
  readonly prefix: string;
  /** Sorted set: learner -> next delivery time (epoch ms). */
  readonly schedule: string;
  /** BullMQ names under this prefix. */
  readonly bull: QueueKeys;

  constructor(prefix: string) {
    this.prefix = prefix;
    this.schedule = `${prefix}schedule`;
    this.bull = new QueueKeys(prefix);
  }

  /** Settings hash, with the day counters the review script keeps. */
  readonly learner = (id: string) => this.tagged("learner", id);
  /** Hash: card id -> encoded FSRS state. */
  readonly cards = (id: string) => this.tagged("cards", id);
  /** Stream: the review log. */
  readonly log = (id: string) => this.tagged("log", id);
  /** Hash per prompt (question sent). */
  readonly prompt = (id: string, promptId: string) => `${this.tagged("prompt", id)}:${promptId}`;
  /** String: id of the learner's open question. */
  readonly current = (id: string) => this.tagged("current", id);
  /** Marks a day's delivery as sent (learner + local date). */
  readonly sent = (id: string, date: string) => `${this.tagged("sent", id)}:${date}`;
  /** Set of teams (Slack workspace / Discord server) a learner has used pyjs in. */
  readonly tenants = (id: string) => this.tagged("tenants", id);
  /** Team settings: zone, weekly-post channel, who set it, platform, pause state. */
  readonly team = (tenant: string) => `${this.prefix}team:${tenant}`;
  /** Sorted set per team and period ("2026-W48" or "all"): learner -> packed score. */
  readonly board = (tenant: string, period: string) => `${this.prefix}board:${tenant}:${period}`;
  /** Hash per team and ISO week: reviews counted. */
  readonly teamWeek = (tenant: string, week: string) => `${this.prefix}teamweek:${tenant}:${week}`;
  /**
   * Sorted set (token -> ms) of reviews already credited to a team key: `{teamKey}:applied`
   * hashes to the team key's own slot (its hash tag is the whole team key).
   */
  readonly applied = (teamKey: string) => `{${teamKey}}:applied`;
  /**
   * Hash (token -> value before it, '' for none) beside `applied`, in the same slot: what
   * a credited review found on the team key, so undo can put the key back exactly.
   */
  readonly prior = (teamKey: string) => `{${teamKey}}:prior`;
  /**
   * Hash per team: its FSRS prior (`w`, `at`, `n` reviews, `learners`), fitted on the
   * pooled reviews of its learners. A learner's own fit lives in their settings hash.
   */
  readonly teamParams = (tenant: string) => `${this.prefix}fsrsprior:${tenant}`;
  /** Every learner's review log, for the optimizer's weekly sweep. */
  logScan(): KeyScan {
    const head = `${this.prefix}log:{`;
    return {
      pattern: `${globEscape(head)}*`,
      owns: (key) => key.startsWith(head) && key.endsWith("}"),
    };
  }
  /** The learner id of a review-log key from `logScan`. */
  learnerOfLog(key: string): string {
    return key.slice(`${this.prefix}log:{`.length, -1);
  }
  /** Marks a team's weekly post as done. */
  readonly boardSent = (tenant: string, week: string) =>
    `${this.prefix}boardsent:${tenant}:${week}`;
  /** Marks a team's weekly team-leech note (to the admin) as sent. */
  readonly leechNoteSent = (tenant: string, week: string) =>
    `${this.prefix}leechnote:${tenant}:${week}`;
  /** Hash per team and card: proposed answer key -> `count\ttext` ("I was right"). */
  readonly proposals = (tenant: string, card: string) =>
    `${this.prefix}proposals:{${tenant}}:${card}`;
  /** Set per team, card and answer key: the learners who proposed it. */
  readonly proposers = (tenant: string, card: string, answerKey: string) =>
    `${this.prefix}proposers:{${tenant}}:${card}:${answerKey}`;
  /** Set per team and card: answer keys accepted for everyone in the team. */
  readonly accepted = (tenant: string, card: string) =>
    `${this.prefix}accepted:{${tenant}}:${card}`;
  /** A team's proposer sets (who proposed each answer), for `forget me`. */
  proposerScan(tenant: string): KeyScan {
    const head = `${this.prefix}proposers:{${tenant}}:`;
    return { pattern: `${globEscape(head)}*`, owns: (key) => key.startsWith(head) };
  }
  /** Every team's proposal hashes, for `pyjs cards proposals`. */
  proposalScan(tenant?: string): KeyScan {
    const head = tenant ? `${this.prefix}proposals:{${tenant}}:` : `${this.prefix}proposals:`;
    return { pattern: `${globEscape(head)}*`, owns: (key) => key.startsWith(head) };
  }
  /**
   * Hash per Slack workspace installed through OAuth: `sealed` (the installation, tokens
   * included, encrypted: src/crypto.ts), `teamName`, `installedBy`, `installedAt`.
   */
  readonly slackInstall = (team: string) => `${this.prefix}slackinstall:${team}`;
  /** Every Slack installation hash (`pyjs slack reencrypt`). */
  slackInstallScan(): KeyScan {
    return segmentScan(`${this.prefix}slackinstall`);
  }
  /** String per OAuth `state` handed out by /slack/install: the install options, one use. */
  readonly oauthState = (id: string) => `${this.prefix}oauthstate:${id}`;
  /** Set per team: learners whose daily quiz was paused because the app was uninstalled. */
  readonly uninstallPaused = (tenant: string) => `${this.prefix}uninstallpaused:${tenant}`;
  /**
   * Sorted set per rate budget (store/rate-budget.ts): `scope` is a Slack workspace
   * (`slack-T…`) or a Discord bot (`discord-{application id}`), `name` the budget in it
   * (`method:chat.postMessage`, `channel:D…`, `global`). The scope is the hash tag, so
   * every budget one request takes from is in one Cluster slot.
   */
  readonly rate = (scope: string, name: string) => `${this.prefix}rate:{${scope}}:${name}`;
  /** Marks a platform event id as handled (redelivery dedupe). */
  readonly seen = (eventId: string) => `${this.prefix}seen:${eventId}`;

  /** A learner's keys with a per-key suffix: prompts and daily-sent markers. */
  learnerScans(id: string): KeyScan[] {
    return [segmentScan(this.tagged("prompt", id)), segmentScan(this.tagged("sent", id))];
  }

  /** A team's boards, every period. */
  boardScan(tenant: string): KeyScan {
    return segmentScan(`${this.prefix}board:${tenant}`);
  }

  private tagged(kind: string, id: string): string {
    return `${this.prefix}${kind}:{${id}}`;
  }
}

export function makeKeys(prefix: string): Keys {
  return new Keys(prefix);
}
