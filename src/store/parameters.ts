import type { Redis } from "ioredis";
import { decodeWeights, encodeWeights, type ParameterSet } from "../core/parameters.js";
import { scanKeys } from "../redis/scan.js";
import type { Keys } from "./keys.js";
import type { Settings } from "./settings.js";

/**
 * Fitted FSRS parameters. A learner's own live in their settings hash (fields `fsrsW`,
 * `fsrsAt`, `fsrsN`, `fsrsSeen`): the quiz's one-trip snapshot reads them with the
 * settings, so answering a card costs no extra round trip. A team's prior is a hash of
 * its own (`Keys.teamParams`).
 */
export class ParameterStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** Saves a learner's fit (now in use) and the log length it saw. */
  async saveLearner(learner: string, fit: Fitted, seen: number): Promise<void> {
    await this.redis.hset(this.keys.learner(learner), {
      fsrsW: encodeWeights(fit.w),
      fsrsAt: String(fit.fittedAt),
      fsrsN: String(fit.reviews),
      fsrsSeen: String(seen),
    });
  }

  /** Records that a fit looked at the log up to `seen` entries and kept what was in use. */
  async markSeen(learner: string, seen: number): Promise<void> {
    await this.redis.hset(this.keys.learner(learner), "fsrsSeen", String(seen));
  }

  /** Removes a learner's own fit (back to the team prior or the defaults). */
  async clearLearner(learner: string): Promise<void> {
    await this.redis.hdel(this.keys.learner(learner), "fsrsW", "fsrsAt", "fsrsN");
  }

  async saveTeam(tenant: string, fit: Fitted & { learners: number }): Promise<void> {
    await this.redis.hset(this.keys.teamParams(tenant), {
      w: encodeWeights(fit.w),
      at: String(fit.fittedAt),
      n: String(fit.reviews),
      learners: String(fit.learners),
    });
  }

  async team(tenant: string): Promise<ParameterSet | undefined> {
    const h = await this.redis.hgetall(this.keys.teamParams(tenant));
    const w = decodeWeights(h.w);
    if (!w) return undefined;
    return { source: "team", w, fittedAt: Number(h.at), reviews: Number(h.n), team: tenant };
  }

  /** How far each learner's log has grown since their last fit attempt. */
  async progress(learner: string): Promise<{ length: number; seen: number }> {
    const [length, seen] = await Promise.all([
      this.redis.xlen(this.keys.log(learner)),
      this.redis.hget(this.keys.learner(learner), "fsrsSeen"),
    ]);
    return { length, seen: Number(seen ?? 0) };
  }

  /**
   * The time (ms) from which the last `count` log entries are read (0 when the log is
   * shorter): bounds what one fit reads.
   */
  async tailStart(learner: string, count: number): Promise<number> {
    const rows = await this.redis.xrevrange(this.keys.log(learner), "+", "-", "COUNT", count);
    if (rows.length < count) return 0;
    return Number((rows.at(-1)?.[0] ?? "0").split("-")[0]);
  }

  /** Every learner with a review log (the weekly sweep; SCAN, cluster-wide). */
  async learners(): Promise<string[]> {
    const scan = this.keys.logScan();
    const keys = await scanKeys(this.redis, scan.pattern);
    return keys.filter(scan.owns).map((k) => this.keys.learnerOfLog(k));
  }
}

export interface Fitted {
  w: readonly number[];
  fittedAt: number;
  reviews: number;
}

/** A learner's own parameters from their settings, when fitted. */
export function ownParameters(s: Settings): ParameterSet | undefined {
  const w = decodeWeights(s.fsrsW);
  if (!w) return undefined;
  return { source: "learner", w, fittedAt: s.fsrsAt, reviews: s.fsrsN };
}
