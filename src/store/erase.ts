import type { Redis } from "ioredis";
import type { Keys } from "./keys.js";

/**
 * Erases everything stored about a learner: settings, card states, review log,
 * prompts, counters, schedule entry, team memberships and every board entry. Returns
 * what it erased, in words, for the confirmation message.
 */
export async function eraseLearner(redis: Redis, keys: Keys, learner: string): Promise<string[]> {
  const erased: string[] = [];
  const tenants = await redis.smembers(keys.tenants(learner));
  const [settings, cards, log] = await Promise.all([
    redis.exists(keys.learner(learner)),
    redis.hlen(keys.cards(learner)),
    redis.xlen(keys.log(learner)),
  ]);
  if (settings) erased.push("your settings");
  if (cards) erased.push(`${cards} card state${cards === 1 ? "" : "s"}`);
  if (log) erased.push(`${log} review-log entr${log === 1 ? "y" : "ies"}`);
  const scanned = [
    ...(await scanKeys(redis, `${glob(keys.prompt(learner, ""))}*`)),
    ...(await scanKeys(redis, `${glob(keys.sent(learner, ""))}*`)),
  ];
  await redis.del(
    keys.learner(learner),
    keys.cards(learner),
    keys.log(learner),
    keys.current(learner),
    keys.tenants(learner),
    ...scanned,
  );
  if (await redis.zrem(keys.schedule, learner)) erased.push("your daily quiz schedule");
  let boardEntries = 0;
  for (const tenant of tenants) {
    for (const board of await scanKeys(redis, `${glob(keys.board(tenant, ""))}*`)) {
      boardEntries += await redis.zrem(board, learner);
    }
    // A team whose weekly-post channel this learner chose forgets who chose it.
    const team = keys.team(tenant);
    if ((await redis.hget(team, "setBy")) === learner) await redis.hdel(team, "setBy");
  }
  if (boardEntries)
    erased.push(`${boardEntries} leaderboard entr${boardEntries === 1 ? "y" : "ies"}`);
  return erased;
}

/** Escapes Redis glob characters, so an id is matched literally. */
export function glob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, "\\$&");
}

export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    out.push(...found);
  } while (cursor !== "0");
  return out;
}
