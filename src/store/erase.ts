import type { Redis } from "ioredis";
import { scanKeys } from "../redis/scan.js";
import type { KeyScan, Keys } from "./keys.js";

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
  const scanned: string[] = [];
  for (const scan of keys.learnerScans(learner)) scanned.push(...(await ownedKeys(redis, scan)));
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
    for (const board of await ownedKeys(redis, keys.boardScan(tenant))) {
      boardEntries += await redis.zrem(board, learner);
    }
    // A team whose weekly-post channel this learner chose forgets who chose it.
    const team = keys.team(tenant);
    if ((await redis.hget(team, "setBy")) === learner) await redis.hdel(team, "setBy");
  }
  if (boardEntries)
    erased.push(`${boardEntries} leaderboard entr${boardEntries === 1 ? "y" : "ies"}`);
  const proposed = await unpropose(redis, keys, learner, [...tenants, "local"]);
  if (proposed) erased.push(`your name on ${proposed} proposed answer${proposed === 1 ? "" : "s"}`);
  return erased;
}

/**
 * Takes the learner off every "I was right" proposal of their teams (terminal learners'
 * team is "local"); the proposed text and its count stay, as the team's, unnamed.
 */
async function unpropose(
  redis: Redis,
  keys: Keys,
  learner: string,
  tenants: string[],
): Promise<number> {
  let removed = 0;
  for (const tenant of tenants) {
    for (const set of await ownedKeys(redis, keys.proposerScan(tenant))) {
      removed += await redis.srem(set, learner);
    }
  }
  return removed;
}

/** The keys SCAN finds for `scan.pattern` that really are the owner's. */
async function ownedKeys(redis: Redis, scan: KeyScan): Promise<string[]> {
  return (await scanKeys(redis, scan.pattern)).filter(scan.owns);
}
