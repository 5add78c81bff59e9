import { type Job, type Queue, UnrecoverableError } from "bullmq";
import { RateLimitedError } from "../errors.js";
import { jobIds, jobNames } from "../store/keys.js";
import { type DeliveryDeps, type DeliveryOutcome, deliver, observeLatency } from "./delivery.js";
import { DELIVERY_JOB_OPTIONS, type DeliveryBatchJob, type DeliveryJob } from "./queues.js";

/** What a `dailies` job did, learner by learner. */
export type BatchOutcome = Partial<Record<DeliveryOutcome | "failed" | "retried", number>>;

/** First wait of a learner's retry job: the single job's first backoff step. */
const RETRY_DELAY_MS = DELIVERY_JOB_OPTIONS.backoff.delay;

/**
 * A `dailies` job: its learners' daily deliveries one after another, each exactly as a
 * single `daily` job would (deliver(): the sent marker, the permanent-failure pause).
 * A learner that fails for a passing reason is not retried with the whole group: it
 * gets its own `daily` job (id `learner + local date`, the usual attempts and backoff),
 * so the others are neither held back nor sent twice. A rate limit hands the learner
 * and all the rest to single jobs delayed by the wait, which the queue's limiter then
 * paces. When the process dies half-way, BullMQ runs the job again and the learners
 * already sent answer "already-sent".
 */
export function deliveryBatchProcessor(deps: DeliveryDeps, queue: () => Queue | undefined) {
  return async (job: Job<DeliveryBatchJob>): Promise<BatchOutcome> => {
    const out: BatchOutcome = {};
    const count = (k: keyof BatchOutcome, n = 1) => {
      out[k] = (out[k] ?? 0) + n;
    };
    const learners = job.data.learners;
    for (const [i, one] of learners.entries()) {
      try {
        count(await deliver(deps, one));
        observeLatency(deps, job.queueName, one.dueAt);
      } catch (err) {
        // deliver() already paused the learner and said why.
        if (err instanceof UnrecoverableError) count("failed");
        else if (err instanceof RateLimitedError) {
          const rest = learners.slice(i);
          await retryAlone(queue(), rest, err.retryAfterMs);
          count("retried", rest.length);
          break;
        } else {
          deps.log?.warn(
            { learner: one.learner, err: (err as Error).message },
            "daily delivery failed; retried on its own",
          );
          await retryAlone(queue(), [one], RETRY_DELAY_MS);
          count("retried");
        }
      }
    }
    return out;
  };
}

/** Single `daily` jobs for these learners, after `delayMs`. */
async function retryAlone(
  queue: Queue | undefined,
  learners: readonly DeliveryJob[],
  delayMs: number,
): Promise<void> {
  if (!queue) throw new Error("no delivery queue to retry on");
  await queue.addBulk(
    learners.map((data) => ({
      name: jobNames.daily,
      data,
      opts: {
        ...DELIVERY_JOB_OPTIONS,
        jobId: jobIds.daily(data.learner, data.date),
        delay: delayMs,
      },
    })),
  );
}
