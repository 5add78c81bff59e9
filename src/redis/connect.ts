import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../logger.js";

/**
 * One ioredis connection. `maxRetriesPerRequest: null` is what BullMQ requires, and it
 * also means commands wait for a reconnect instead of failing during a short outage;
 * callers that must answer quickly use `withTimeout`.
 */
export function connectRedis(url: string, log?: Logger, extra: RedisOptions = {}): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  };
  const redis = url.startsWith("unix://")
    ? new Redis({ ...options, path: url.slice("unix://".length) })
    : new Redis(url, options);
  if (log) {
    let down = false;
    redis.on("error", (err: Error) => {
      if (!down) log.warn({ err: err.message }, "redis connection error");
      down = true;
    });
    redis.on("ready", () => {
      if (down) log.info("redis connection restored");
      down = false;
    });
  }
  return redis;
}

/** Warns when Redis may evict keys: BullMQ and the review log need `noeviction`. */
export async function checkEvictionPolicy(redis: Redis, log: Logger): Promise<string | undefined> {
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
    const policy = reply[1];
    if (policy && policy !== "noeviction") {
      log.warn(
        { policy },
        "Redis maxmemory-policy is not noeviction: Redis may delete queue jobs and learner data under memory pressure. Set `maxmemory-policy noeviction`.",
      );
    }
    return policy;
  } catch {
    // Managed Redis services often disable CONFIG; nothing to check then.
    return undefined;
  }
}
