import { type Job, Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { WeeklyScheduler } from "../app/leaderboard.js";
import { DeliveryError, type Messenger } from "../app/messenger.js";
import type { App } from "../app/service.js";
import type { Clock } from "../core/clock.js";
import { previousIsoWeek } from "../core/scoring.js";
import { type Logger, routeErrors } from "../logger.js";
import { jobIds, jobNames, QueueKeys, queueNames } from "../store/keys.js";
import type { TeamStore } from "../store/teams.js";

export const WEEKLY_QUEUE = queueNames.weekly;

export interface WeeklyJob {
  tenant: string;
  week?: string;
}

/** A team's Monday job scheduler (ids owned by store/keys.ts). */
export const weeklySchedulerId = jobIds.weeklyScheduler;
/** `team + ISO week`: the post job's id, so a week is posted once per team. */
export const weeklyPostId = jobIds.weeklyPost;

export function weeklyQueue(connection: Redis, prefix: string, log?: Logger): Queue<WeeklyJob> {
  const queue = new Queue<WeeklyJob>(WEEKLY_QUEUE, {
    connection,
    prefix: new QueueKeys(prefix).prefix,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: "exponential", delay: 30_000 },
      removeOnComplete: { age: 30 * 86_400, count: 5000 },
      removeOnFail: { age: 30 * 86_400, count: 5000 },
    },
  });
  routeErrors(queue, "queue weekly", log);
  return queue;
}

/** Monday 09:00 in the team's zone, as a BullMQ job scheduler per team. */
export class BullWeeklyScheduler implements WeeklyScheduler {
  constructor(private readonly queue: Queue<WeeklyJob>) {}

  async schedule(tenant: string, tz: string): Promise<void> {
    await this.queue.upsertJobScheduler(
      weeklySchedulerId(tenant),
      { pattern: "0 9 * * 1", tz },
      { name: jobNames.weeklySchedule, data: { tenant } },
    );
  }

  async unschedule(tenant: string): Promise<void> {
    await this.queue.removeJobScheduler(weeklySchedulerId(tenant));
  }
}

export interface WeeklyDeps {
  app: App;
  teams: TeamStore;
  queue: Queue<WeeklyJob>;
  scheduler: WeeklyScheduler;
  messengers: ReadonlyMap<string, Messenger>;
  log?: Logger;
  clock?: Clock;
}

export type PostOutcome = "posted" | "already-posted" | "no-channel" | "enqueued";

/**
 * Posts one team's board for one finished ISO week, exactly once: a marker is checked
 * before and written after posting. A channel the bot cannot post in pauses the
 * weekly post, and the admin who chose it is told the next time they use /pyjs.
 */
export async function postWeekly(
  deps: WeeklyDeps,
  tenant: string,
  week: string,
): Promise<PostOutcome> {
  const now = deps.clock?.() ?? new Date();
  if (await deps.teams.wasPosted(tenant, week)) {
    await noteTeamLeeches(deps, tenant, week, now);
    return "already-posted";
  }
  const team = await deps.teams.get(tenant);
  const messenger = team.platform ? deps.messengers.get(team.platform) : undefined;
  if (!team.channel || team.pausedReason || !messenger) return "no-channel";
  const parts = await deps.app.weeklyBoard(tenant, week, now);
  if (!parts) return "no-channel";
  try {
    await messenger.postToChannel(tenant, team.channel, parts);
  } catch (err) {
    if (err instanceof DeliveryError && err.permanent) {
      await deps.teams.update(tenant, { pausedReason: err.code ?? err.message, notified: false });
      await deps.scheduler.unschedule(tenant);
      deps.log?.warn(
        { tenant, code: err.code },
        "weekly leaderboard post failed; paused until an admin picks a channel",
      );
      throw new UnrecoverableError(err.message);
    }
    throw err;
  }
  await deps.teams.markPosted(tenant, week);
  await noteTeamLeeches(deps, tenant, week, now);
  return "posted";
}

/**
 * After the board: the cards most of the team keeps missing, sent to the admin who set
 * the board channel (their DM, not the channel: it quotes wrong answers, and the admin
 * is who can reword a deck). Once per team and week (a marker after sending); an admin
 * who cannot be reached is logged and skipped, never pausing the board. A transient
 * failure throws, so the job's retry sends it (the board is not posted twice).
 */
export async function noteTeamLeeches(
  deps: WeeklyDeps,
  tenant: string,
  week: string,
  now: Date,
): Promise<void> {
  if (await deps.teams.wasLeechNoted(tenant, week)) return;
  const team = await deps.teams.get(tenant);
  const messenger = team.platform ? deps.messengers.get(team.platform) : undefined;
  if (!team.setBy || !messenger) return;
  const parts = await deps.app.teamLeeches(tenant, now);
  try {
    if (parts) await messenger.sendDm(team.setBy, parts);
  } catch (err) {
    if (!(err instanceof DeliveryError && err.permanent)) throw err;
    deps.log?.warn({ tenant, code: err.code }, "team-leech note: the admin cannot be reached");
  }
  await deps.teams.markLeechNoted(tenant, week);
}

/** The scheduler's Monday job enqueues the week's post under its team+week id. */
export async function processWeekly(deps: WeeklyDeps, job: Job<WeeklyJob>): Promise<PostOutcome> {
  const { tenant } = job.data;
  if (job.name === jobNames.weeklyPost && job.data.week)
    return postWeekly(deps, tenant, job.data.week);
  const tz = await deps.app.teamZone(tenant);
  const week = previousIsoWeek(deps.clock?.() ?? new Date(), tz);
  await deps.queue.add(
    jobNames.weeklyPost,
    { tenant, week },
    { jobId: weeklyPostId(tenant, week) },
  );
  return "enqueued";
}

export function weeklyWorker(
  deps: WeeklyDeps,
  connection: Redis,
  prefix: string,
): Worker<WeeklyJob> {
  return new Worker<WeeklyJob>(WEEKLY_QUEUE, (job) => processWeekly(deps, job), {
    connection,
    prefix: new QueueKeys(prefix).prefix,
    concurrency: 2,
  });
}
