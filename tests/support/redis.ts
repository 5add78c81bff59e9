import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, inject } from "vitest";
import { connectRedis } from "../../src/redis/connect.js";

/** A connection to the suite's own redis-server and a key prefix no other test uses. */
export function testRedis(): { redis: Redis; prefix: string; url: string } {
  const url = inject("redisUrl");
  return { redis: connectRedis(url), prefix: `t${randomBytes(4).toString("hex")}:`, url };
}

/** {@link testRedis} for one test file: its prefix is dropped and the connection closed after it. */
export function useTestRedis(): { redis: Redis; prefix: string; url: string } {
  const t = testRedis();
  afterAll(async () => {
    await dropPrefix(t.redis, t.prefix);
    t.redis.disconnect();
  });
  return t;
}

/** Deletes every key under `prefix` (only ever our own test prefixes). */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}
