import type { Redis } from "ioredis";
import { encodeState, State } from "../../src/core/scheduler.js";
import { makeKeys } from "../../src/store/keys.js";

/**
 * Puts `card` in the learner's deck as a review card forgotten `lapses` times, due a
 * day before `now` (so today's session asks it first): the state a long history of
 * lapses leaves, without replaying weeks of reviews.
 */
export async function seedLapsed(
  redis: Redis,
  prefix: string,
  learner: string,
  card: string,
  lapses: number,
  now: Date,
): Promise<void> {
  const day = 86_400_000;
  const state = encodeState({
    due: new Date(now.getTime() - day),
    stability: 3,
    difficulty: 8,
    elapsed_days: 0,
    scheduled_days: 3,
    learning_steps: 0,
    reps: lapses * 3 + 2,
    lapses,
    state: State.Review,
    last_review: new Date(now.getTime() - 4 * day),
  });
  await redis.hset(makeKeys(prefix).cards(learner), card, state);
}
