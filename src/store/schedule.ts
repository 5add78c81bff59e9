import type { Redis } from "ioredis";
import { replyPairs } from "../redis/reply.js";
import { globEscape } from "../redis/scan.js";
import type { Keys } from "./keys.js";
import { type ScriptedRedis, withScripts } from "./scripts.js";

/**
 * The delivery schedule: one sorted set, learner -> next delivery time (epoch ms).
 * The tick reads only the learners that are due, so its cost follows the learners due,
 * not all learners.
 */
export class ScheduleStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
  ) {
    this.redis = withScripts(redis);
  }

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

  /** Up to `limit` learners due at `now` (after skipping `offset`), oldest first, with their time. */
  async due(now: Date, limit: number, offset = 0): Promise<{ learner: string; at: number }[]> {
    const flat = await this.redis.zrangebyscore(
      this.keys.schedule,
      "-inf",
      now.getTime(),
      "WITHSCORES",
      "LIMIT",
      offset,
      limit,
    );
    return replyPairs(flat).map(([learner, at]) => ({ learner, at: Number(at) }));
  }

  /**
   * Moves learners to their next time, but only those still scheduled at the time we
   * read (a learner who unsubscribed or changed time meanwhile is left alone), so two
   * ticks racing never resurrect or double-advance anyone (lua/advance-schedule.lua).
   */
  async advance(moves: { learner: string; from: number; to: number }[]): Promise<void> {
    if (moves.length === 0) return;
    const packed = moves.map((m) => [m.learner, String(m.from), String(m.to)]);
    await this.redis.pyjsAdvanceSchedule(this.keys.schedule, JSON.stringify(packed));
  }

  /** Scheduled learners whose id starts with `prefix` (ZSCAN, in pages). */
  async scheduledWithPrefix(prefix: string): Promise<string[]> {
    const out = new Set<string>();
    let cursor = "0";
    do {
      const [next, flat] = await this.redis.zscan(
        this.keys.schedule,
        cursor,
        "MATCH",
        `${globEscape(prefix)}*`,
        "COUNT",
        1000,
      );
      cursor = next;
      for (const [learner] of replyPairs(flat)) if (learner.startsWith(prefix)) out.add(learner);
    } while (cursor !== "0");
    return [...out];
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
