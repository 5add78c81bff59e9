import { DelayedError, type Job, UnrecoverableError, Worker } from "bullmq";
import { DeliveryError, type Messenger } from "../app/messenger.js";
import type { App } from "../app/service.js";
import type { Clock } from "../core/clock.js";
import { learner as learnerId } from "../core/learner.js";
import { RateLimitedError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { ScheduleStore } from "../store/schedule.js";
import type { SettingsStore } from "../store/settings.js";
import type { DeliveryJob } from "./queues.js";

export interface DeliveryDeps {
  app: App;
  settings: SettingsStore;
  schedule: ScheduleStore;
  messengers: ReadonlyMap<string, Messenger>;
  log?: Logger;
  metrics?: Metrics;
  clock?: Clock;
}

export type DeliveryOutcome =
  | "sent"
  | "nothing-due"
  | "already-sent"
  | "not-subscribed"
  /** `pause 7d`: the schedule keeps ticking, nothing is sent until the first day back. */
  | "on-vacation";

/**
 * One daily delivery. Sends at most one unsolicited DM per learner per local day: a
 * `sent` marker is written after the platform accepted the message and checked before
 * sending, so a retried or re-run job never sends twice. A permanent error (user gone,
 * DMs closed, token revoked) pauses the subscription and is not retried.
 */
export async function deliver(deps: DeliveryDeps, data: DeliveryJob): Promise<DeliveryOutcome> {
  const now = deps.clock?.() ?? new Date();
  const { learner, date } = data;
  const platform = learnerId.platformOf(learner);
  const messenger = platform ? deps.messengers.get(platform) : undefined;
  if (!platform || !messenger) throw new UnrecoverableError(`no messenger for ${learner}`);
  // One read answers "already sent?", "still subscribed?" and "anything due?".
  const daily = await deps.app.daily(learner, platform, now, date);
  if (daily.outcome !== "send") {
    if (daily.outcome === "nothing-due") deps.metrics?.deliveries.inc({ outcome: "skipped" });
    return daily.outcome;
  }
  try {
    await messenger.sendDm(learner, daily.parts);
  } catch (err) {
    if (err instanceof DeliveryError && err.permanent) {
      const pausedReason = err.code ?? err.message;
      // The learner is told why at their next /pyjs (app/pause-notice.ts).
      await deps.settings.update(learner, { paused: true, pausedReason, pausedNotified: false });
      await deps.schedule.remove(learner);
      deps.log?.warn(
        { learner, code: err.code, err: err.message },
        "daily delivery failed permanently; subscription paused",
      );
      deps.metrics?.deliveries.inc({ outcome: "failed" });
      throw new UnrecoverableError(err.message);
    }
    throw err;
  }
  await deps.schedule.markSent(learner, date);
  deps.metrics?.deliveries.inc({ outcome: "sent" });
  return "sent";
}

/**
 * BullMQ processor wrapper, with job latency. A rate limit (the shared budget spent, or
 * a 429) puts the job back, neither failed nor retried early: see `holdBack`. `worker`
 * is the Worker running this processor (created after it).
 */
export function deliveryProcessor(deps: DeliveryDeps, worker?: () => Worker | undefined) {
  return async (job: Job<DeliveryJob>, token?: string): Promise<DeliveryOutcome> => {
    let outcome: DeliveryOutcome;
    try {
      outcome = await deliver(deps, job.data);
    } catch (err) {
      if (err instanceof RateLimitedError) await holdBack(err, job, token, worker?.(), deps.log);
      throw err;
    }
    observeLatency(deps, job.queueName, job.data.dueAt);
    return outcome;
  };
}

/** Seconds from when a delivery was due to when it was handled, per queue. */
export function observeLatency(deps: DeliveryDeps, queue: string, dueAt: number): void {
  deps.metrics?.jobLatency.observe({ queue }, Math.max(0, (Date.now() - dueAt) / 1000));
}

/**
 * Puts a rate-limited delivery back for `retryAfterMs`; nothing was sent. A workspace's
 * or bot's limit holds the whole queue (`worker.rateLimit` sets BullMQ's limiter key in
 * Redis, so every process's worker waits; the job returns to waiting without using an
 * attempt). One channel's limit delays only this job. Always throws BullMQ's signal.
 */
async function holdBack(
  err: RateLimitedError,
  job: Job<DeliveryJob>,
  token: string | undefined,
  worker: Worker | undefined,
  log: Logger | undefined,
): Promise<never> {
  log?.debug(
    { learner: job.data.learner, waitMs: err.retryAfterMs, platform429: err.fromPlatform },
    "delivery rate limited: put back",
  );
  if (err.shared && worker) {
    await worker.rateLimit(err.retryAfterMs);
    throw Worker.RateLimitError();
  }
  await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
  throw new DelayedError();
}
