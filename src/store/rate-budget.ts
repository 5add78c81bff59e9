import type { Redis } from "ioredis";
import type { Platform } from "../app/types.js";
import type { RateBucket } from "../core/rate-limits.js";
import { RateLimitedError } from "../errors.js";
import type { Metrics } from "../metrics.js";
import type { Keys } from "./keys.js";
import { randomId } from "./random-ids.js";
import { type ScriptedRedis, withScripts } from "./scripts.js";

/** What asking the budget answered: go now, or wait this long for that bucket. */
export type RateGrant = { ok: true } | { ok: false; waitMs: number; bucket: RateBucket };

/**
 * Rate budgets shared by every process on one Redis: sliding windows counted on the
 * Redis server's clock (lua/take-rate.lua), so three `pyjs worker`s together stay under
 * a platform's limit, not three times it. One round trip per request; a request takes
 * from all its buckets (workspace method ceiling, channel, …) or from none.
 */
export class RateBudget {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
  ) {
    this.redis = withScripts(redis);
  }

  /** Takes one request from every bucket of `scope`, or says how long to wait. */
  async take(scope: string, buckets: RateBucket[]): Promise<RateGrant> {
    if (buckets.length === 0) return { ok: true };
    const keys = buckets.map((b) => this.keys.rate(scope, b.name));
    const args = buckets.flatMap((b) => [b.window.limit, b.window.ms]);
    const id = randomId(8, "hex");
    const [waitMs, which] = await this.redis.pyjsTakeRate(keys.length, ...keys, id, ...args);
    const bucket = buckets[which - 1];
    return waitMs > 0 && bucket ? { ok: false, waitMs, bucket } : { ok: true };
  }
}

/** Asks the budget before a platform request; a spent budget throws, nothing is sent. */
export interface RateGate {
  /** Resolves when `buckets` had room (and took one); else throws RateLimitedError. */
  pass(method: string, buckets: RateBucket[]): Promise<void>;
}

/** Budget names that belong to one channel: only that channel's requests wait. */
const isChannelBucket = (b: RateBucket) => b.name.startsWith("channel:");

/**
 * The gate of one scope (a Slack workspace, a Discord bot). A refusal is counted in
 * `pyjs_rate_deferred_total` and thrown as RateLimitedError: shared unless only a
 * channel's own bucket was full.
 */
export function rateGate(
  budget: RateBudget,
  scope: string,
  platform: Platform,
  metrics?: Metrics,
): RateGate {
  return {
    async pass(method, buckets) {
      const grant = await budget.take(scope, buckets);
      if (grant.ok) return;
      metrics?.rateDeferred.inc({ platform, method });
      const what = `${platform} ${method}`;
      throw new RateLimitedError(grant.waitMs, !isChannelBucket(grant.bucket), false, what);
    },
  };
}
