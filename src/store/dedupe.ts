import type { Redis } from "ioredis";
import { Keys } from "./keys.js";

/**
 * Remembers platform message/event ids for a while, so a redelivered event (Slack's
 * retries, a Discord gateway replay) is handled once.
 */
export class Dedupe {
  private readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    /** The key prefix, or the Keys that own it. */
    keys: Keys | string,
    private readonly ttlSeconds = 3600,
  ) {
    this.keys = typeof keys === "string" ? new Keys(keys) : keys;
  }

  /** True the first time `id` is seen within the TTL, false afterwards. */
  async first(id: string): Promise<boolean> {
    const r = await this.redis.set(this.keys.seen(id), "1", "EX", this.ttlSeconds, "NX");
    return r === "OK";
  }
}
