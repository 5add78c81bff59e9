import { createHash } from "node:crypto";
import type { BulkJobOptions } from "bullmq";
import type { Platform } from "../app/types.js";
import { deliveryDate, nextDelivery } from "../core/delivery-time.js";
import { learner as learnerId } from "../core/learner.js";
import type { Logger } from "../logger.js";
import { jobIds, jobNames } from "../store/keys.js";
import type { ScheduleStore } from "../store/schedule.js";
import type { SettingsStore } from "../store/settings.js";
import {
  DELIVERY_BATCH_OPTIONS,
  type DeliveryJob,
  type DeliveryQueueJob,
  type Queues,
} from "./queues.js";

export interface TickDeps {
  schedule: ScheduleStore;
  settings: SettingsStore;
  queues: Queues;
  /** Platforms that have a Messenger in this deployment. */
  platforms: ReadonlySet<Platform>;
  log?: Logger;
  batchSize?: number;
  /**
   * Learners per delivery job on a platform (core/rate-limits.ts learnersPerJob): 1 is
   * one `daily` job per learner, more groups them into `dailies` jobs.
   */
  learnersPerJob?: (platform: Platform) => number;
}

/**
 * `daily:{learner}:{local date}`, spelled with '|' because BullMQ rejects ':' in custom
 * job ids (and learner ids contain ':'), e.g. `daily|slack|T1|U2|2026-11-29`. Owned by
 * store/keys.ts.
 */
export const dailyJobId = jobIds.daily;

export interface TickResult {
  enqueued: number;
  dropped: number;
  /** Due learners on a platform this process has no messenger for: left for one that has. */
  left?: number;
}

/**
 * nextDelivery, remembered for one tick: learners due in the same minute mostly share a
 * zone and a time, and the zone arithmetic was a tenth of a 100,000-learner tick.
 */
function nextDeliveries(): (from: number, time: string, tz: string) => number {
  const seen = new Map<string, number>();
  return (from, time, tz) => {
    const key = `${from}|${time}|${tz}`;
    let to = seen.get(key);
    if (to === undefined) {
      to = nextDelivery(new Date(from), time, tz).getTime();
      seen.set(key, to);
    }
    return to;
  };
}

/**
 * One tick: reads only the learners due now (ZRANGEBYSCORE … LIMIT, in batches),
 * enqueues one delivery job each with job id `daily:{learner}:{local date}` (so a
 * second tick, a restart or two ticking processes never enqueue twice), and moves each
 * learner to their next local delivery time.
 */
export async function runTick(deps: TickDeps, now: Date): Promise<TickResult> {
  const batch = deps.batchSize ?? 1000;
  const next = nextDeliveries();
  let enqueued = 0;
  let dropped = 0;
  let left = 0;
  for (;;) {
    // The ones left for another process stay in the set: page past them.
    const due = await deps.schedule.due(now, batch, left);
    if (due.length === 0) break;
    const settings = await deps.settings.forDelivery(due.map((d) => d.learner));
    const jobs = new Map<Platform, DeliveryJob[]>();
    const moves: { learner: string; from: number; to: number }[] = [];
    for (const [i, d] of due.entries()) {
      const s = settings[i];
      const platform = learnerId.platformOf(d.learner);
      if (platform && platform !== "console" && !deps.platforms.has(platform)) {
        // No messenger for it here: never drop a learner this process cannot serve.
        left++;
        continue;
      }
      if (!s?.subscribed || s.paused || !s.tz || !s.time || !platform) {
        // Not deliverable any more: leave the schedule.
        await deps.schedule.remove(d.learner);
        dropped++;
        continue;
      }
      const date = deliveryDate(new Date(d.at), s.tz);
      const list = jobs.get(platform) ?? [];
      list.push({ learner: d.learner, date, dueAt: d.at });
      jobs.set(platform, list);
      moves.push({
        learner: d.learner,
        from: d.at,
        to: next(Math.max(d.at, now.getTime()), s.time, s.tz),
      });
    }
    for (const [platform, list] of jobs) {
      const perJob = deps.learnersPerJob?.(platform) ?? 1;
      await deps.queues.delivery(platform).addBulk(deliveryJobs(platform, list, perJob));
      enqueued += list.length;
    }
    await deps.schedule.advance(moves);
    if (due.length < batch) break;
  }
  if (enqueued > 0 || dropped > 0 || left > 0)
    deps.log?.info({ enqueued, dropped, left }, "daily tick");
  return left > 0 ? { enqueued, dropped, left } : { enqueued, dropped };
}

/**
 * The jobs for one platform's due learners: one `daily` job each (job id `learner + local
 * date`), or `dailies` jobs of up to `perJob` learners whose id is a digest of their
 * learners and dates (the same group enqueued twice is one job; each learner's sent
 * marker still stops a second DM whatever the grouping).
 */
export function deliveryJobs(
  platform: Platform,
  list: readonly DeliveryJob[],
  perJob: number,
): { name: string; data: DeliveryQueueJob; opts: BulkJobOptions }[] {
  if (perJob <= 1) {
    return list.map((data) => ({
      name: jobNames.daily,
      data,
      opts: { jobId: dailyJobId(data.learner, data.date) },
    }));
  }
  const out: { name: string; data: DeliveryQueueJob; opts: BulkJobOptions }[] = [];
  for (let i = 0; i < list.length; i += perJob) {
    const learners = list.slice(i, i + perJob);
    const digest = createHash("sha256");
    for (const l of learners) digest.update(`${l.learner}\n${l.date}\n`);
    out.push({
      name: jobNames.dailyBatch,
      data: { learners },
      opts: {
        ...DELIVERY_BATCH_OPTIONS,
        jobId: jobIds.dailyBatch(platform, digest.digest("base64url").slice(0, 22)),
      },
    });
  }
  return out;
}
