import { type Job, UnrecoverableError } from "bullmq";
import { DeliveryError, type Messenger } from "../app/messenger.js";
import type { App } from "../app/service.js";
import type { Clock } from "../core/clock.js";
import { learner as learnerId } from "../core/learner.js";
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

/** BullMQ processor wrapper, with job latency. */
export function deliveryProcessor(deps: DeliveryDeps) {
  return async (job: Job<DeliveryJob>): Promise<DeliveryOutcome> => {
    const outcome = await deliver(deps, job.data);
    deps.metrics?.jobLatency.observe(
      { queue: job.queueName },
      Math.max(0, (Date.now() - job.data.dueAt) / 1000),
    );
    return outcome;
  };
}
