import type { Redis } from "ioredis";
import { default_w } from "ts-fsrs";
import { rng, simulateLearner } from "../../bench/fsrs-population.js";
import type { ReviewEvent } from "../../src/core/fsrs-items.js";
import type { Keys } from "../../src/store/keys.js";

/**
 * A clearly non-default learner: memories start four times as stable as FSRS's defaults
 * assume and grow faster after each recall, so the defaults under-predict their recall.
 */
export const STRONG_MEMORY: number[] = default_w.map((w, i) =>
  i <= 3 ? w * 4 : i === 8 ? w * 1.3 : w,
);

/** `days` days of that learner through pyjs's scheduler (bench/fsrs-population.ts), seeded. */
export function strongLearnerLog(days: number, seed = 7): ReviewEvent[] {
  return simulateLearner(STRONG_MEMORY, { days, newPerDay: 10, maxReviewsPerDay: 200 }, rng(seed));
}

/** A compact card state (core/scheduler.ts encoding) in the Review state, for `before`. */
const REVIEW_STATE = "0|5|5|5|0|2|0|2|0";

/** Writes events to the learner's review-log stream as the review script does. */
export async function writeLog(
  redis: Redis,
  keys: Keys,
  learner: string,
  events: readonly ReviewEvent[],
): Promise<void> {
  const pipe = redis.pipeline();
  for (const [i, e] of events.entries()) {
    pipe.xadd(
      keys.log(learner),
      `${e.at}-${i}`,
      "card",
      e.card,
      "rating",
      String(e.rating),
      "review",
      String(e.at),
      "elapsed",
      "0",
      "before",
      e.fromNew ? "" : REVIEW_STATE,
      "after",
      REVIEW_STATE,
      "prompt",
      `p${i}`,
      "amend",
      "0",
    );
  }
  await pipe.exec();
}
