import type { Redis } from "ioredis";
import type { Keys } from "./keys.js";

/**
 * The delivery schedule: one sorted set, learner -> next delivery time (epoch ms).
 * The tick reads only the learners that are due, so its cost follows the learners due,
 * not all learners.
 */
export class ScheduleStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async set(learner: string, at: Date): Promise<void> {
    await this.redis.zadd(this.keys.schedule, at.getTime(), learner);
  }

  async remove(learner: string): Promise<void> {
    await this.redis.zrem(this.keys.schedule, learner);
  }

  async next(learner: string): Promise<Date | undefined> {
    const score = await this.redis.zscore(this.keys.schedule, learner);
    return score === null ? undefined : new Date(Number(score));
  }

  /** Up to `limit` learners due at `now`, oldest first, with their scheduled time. */
  async due(now: Date, limit: number): Promise<{ learner: string; at: number }[]> {
    const flat = await this.redis.zrangebyscore(
      this.keys.schedule,
      "-inf",
      now.getTime(),
      "WITHSCORES",
      "LIMIT",
      0,
      limit,
    );
    const out: { learner: string; at: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      out.push({ learner: flat[i] as string, at: Number(flat[i + 1]) });
    return out;
  }

  /**
   * Moves learners to their next time, but only those still scheduled at the time we
   * read (a learner who unsubscribed or changed time meanwhile is left alone), so two
   * ticks racing never resurrect or double-advance anyone.
   */
  async advance(moves: { learner: string; from: number; to: number }[]): Promise<void> {
    if (moves.length === 0) return;
    const args: (string | number)[] = [];
    for (const m of moves) args.push(m.learner, m.from, m.to);
    await this.redis.eval(
      `for i = 1, #ARGV, 3 do
         local cur = redis.call('ZSCORE', KEYS[1], ARGV[i])
         if cur and tonumber(cur) == tonumber(ARGV[i + 1]) then
           redis.call('ZADD', KEYS[1], 'XX', ARGV[i + 2], ARGV[i])
         end
       end
       return 1`,
      1,
      this.keys.schedule,
      ...args,
    );
  }

  async size(): Promise<number> {
    return this.redis.zcard(this.keys.schedule);
  }

  /** Marks a learner's day as delivered; false when it already was. */
  async markSent(learner: string, date: string): Promise<boolean> {
    return (
      (await this.redis.set(this.keys.sent(learner, date), "1", "EX", 3 * 86_400, "NX")) === "OK"
    );
  }
}
