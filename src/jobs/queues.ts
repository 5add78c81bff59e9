import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Platform } from "../app/types.js";
import { deliveryJobsPerSecond, type RateSettings } from "../core/rate-limits.js";
import { type Logger, routeErrors } from "../logger.js";
import { QueueKeys, queueNames } from "../store/keys.js";

/** Queue names (owned by store/keys.ts). One delivery queue per platform, each rate-limited. */
export const TICK_QUEUE = queueNames.tick;
export const deliveryQueueName = queueNames.delivery;

export interface DeliveryJob {
  learner: string;
  /** Learner's local date of this delivery (the job id carries it too). */
  date: string;
  /** When it was due (epoch ms), for latency metrics. */
  dueAt: number;
}

/** Several learners' daily deliveries in one job (see core/rate-limits.ts learnersPerJob). */
export interface DeliveryBatchJob {
  learners: DeliveryJob[];
}

/** What a delivery queue's jobs carry: one learner (`daily`) or several (`dailies`). */
export type DeliveryQueueJob = DeliveryJob | DeliveryBatchJob;

/**
 * How much longer BullMQ's window is than the budget's. BullMQ's limiter is a fixed
 * window from the first job start, the budget a sliding one from each grant, taken a
 * few ms into the job; on the same window the next second's first job often met a full
 * budget and was put back, which cost 14–19 % of the rate at 10/s. 25 ms more (2.4 % of
 * a second) brought 81–86 % to 90–96 % (BENCHMARKS §7).
 */
const PAD_MS = 25;

/**
 * The delivery queue's BullMQ limiter: jobs started per second across every process
 * (BullMQ keeps the counter in Redis per queue), at the platform's message rate (Slack's
 * workspace ceiling SLACK_MESSAGES_PER_SECOND, Discord's 50/s). It only paces job starts:
 * each request still takes from the shared budget (store/rate-budget.ts), which knows
 * workspaces, methods and channels, and a spent budget or a 429 puts the queue on hold
 * with `worker.rateLimit` (jobs/delivery.ts).
 */
export function deliveryLimiter(
  rates: RateSettings,
  platform: Platform,
): { max: number; duration: number } {
  // The budget's window (1 s + margin) and a little more, so job starts stay just inside
  // the budget and a job is hardly ever fetched only to be put back.
  return { max: deliveryJobsPerSecond(rates, platform), duration: 1000 + rates.marginMs + PAD_MS };
}

/** Deliveries a second a limiter allows. */
export function limiterRate(limiter: { max: number; duration: number }): number {
  return (limiter.max * 1000) / limiter.duration;
}

/**
 * The limiter for jobs of `perJob` learners each: the same deliveries a second, counted
 * in jobs (BullMQ's limiter counts job starts).
 */
export function jobLimiter(
  limiter: { max: number; duration: number },
  perJob: number,
): { max: number; duration: number } {
  return { max: Math.max(1, Math.ceil(limiter.max / perJob)), duration: limiter.duration };
}

/** The tick's cron pattern: second 0 of every minute, whenever the process started. */
export const TICK_PATTERN = "* * * * *";

/**
 * The tick job scheduler's repeat: on the minute (a cron pattern, so a 09:00 quiz is
 * enqueued at 09:00:00, not up to a minute late), or every `everyMs` (a test hook).
 */
export function tickRepeat(everyMs?: number): { pattern: string } | { every: number } {
  return everyMs ? { every: everyMs } : { pattern: TICK_PATTERN };
}

export const DELIVERY_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: "exponential" as const, delay: 5_000 },
  // Bounded retention: a day of finished jobs at most, and never more than these counts.
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

/**
 * A batch job is removed once done: it names learners, and `forget me` finds a learner's
 * jobs by their ids (jobs/forget-jobs.ts), which a batch's id does not carry. Its
 * learners' retries are single `daily` jobs with the options above.
 */
export const DELIVERY_BATCH_OPTIONS = {
  ...DELIVERY_JOB_OPTIONS,
  removeOnComplete: true,
  removeOnFail: { age: 24 * 3600, count: 1_000 },
};

export interface Queues {
  tick: Queue;
  delivery(platform: Platform): Queue<DeliveryQueueJob>;
  all(): Queue[];
  close(): Promise<void>;
}

/** BullMQ queues under the store's BullMQ prefix (`{prefix}bull`), sharing one connection. */
export function createQueues(connection: Redis, prefix: string, log?: Logger): Queues {
  const bull = new QueueKeys(prefix);
  const tick = new Queue(bull.tick, {
    connection,
    prefix: bull.prefix,
    defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  routeErrors(tick, "queue tick", log);
  const deliveries = new Map<Platform, Queue<DeliveryQueueJob>>();
  return {
    tick,
    delivery(platform) {
      let q = deliveries.get(platform);
      if (!q) {
        q = new Queue<DeliveryQueueJob>(bull.delivery(platform), {
          connection,
          prefix: bull.prefix,
          defaultJobOptions: DELIVERY_JOB_OPTIONS,
        });
        routeErrors(q, `queue delivery ${platform}`, log);
        deliveries.set(platform, q);
      }
      return q;
    },
    all: () => [tick, ...deliveries.values()],
    async close() {
      await Promise.all([tick, ...deliveries.values()].map((q) => q.close()));
    },
  };
}
