import type { Redis } from "ioredis";

/**
 * Remembers platform message/event ids for a while, so a redelivered event (Slack's
 * retries, a Discord gateway replay) is handled once.
 */
export class Dedupe {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 3600,
  ) {}

  /** True the first time `id` is seen within the TTL, false afterwards. */
  async first(id: string): Promise<boolean> {
    const r = await this.redis.set(`${this.prefix}seen:${id}`, "1", "EX", this.ttlSeconds, "NX");
    return r === "OK";
  }
}
