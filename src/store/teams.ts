import type { Redis } from "ioredis";
import { BOARD_SHIFT } from "../core/scoring.js";
import { replyPairs } from "../redis/reply.js";
import type { Keys } from "./keys.js";

/** A team: a Slack workspace or a Discord server. */
export interface Team {
  platform?: string;
  tz?: string;
  /** Channel for the weekly post, and the admin who chose it. */
  channel?: string;
  setBy?: string;
  /** Why the weekly post stopped (e.g. not_in_channel); empty when it runs. */
  pausedReason?: string;
  /** The admin has been told about pausedReason. */
  notified?: boolean;
}

export interface BoardEntry {
  learner: string;
  points: number;
}

/** Points from a packed board score (points above, "who got there first" below). */
function boardPoints(score: string): number {
  return Math.floor(Number(score) / BOARD_SHIFT);
}

export class TeamStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** Records that a learner used pyjs in a team, and the name to show on its boards. */
  async join(learner: string, tenant: string, name?: string): Promise<void> {
    const m = this.redis.multi().sadd(this.keys.tenants(learner), tenant);
    if (name) m.hset(this.keys.learner(learner), "name", name);
    await m.exec();
  }

  async tenantsOf(learner: string): Promise<string[]> {
    return this.redis.smembers(this.keys.tenants(learner));
  }

  async get(tenant: string): Promise<Team> {
    const raw = await this.redis.hgetall(this.keys.team(tenant));
    return {
      ...(raw.platform ? { platform: raw.platform } : {}),
      ...(raw.tz ? { tz: raw.tz } : {}),
      ...(raw.channel ? { channel: raw.channel } : {}),
      ...(raw.setBy ? { setBy: raw.setBy } : {}),
      ...(raw.pausedReason ? { pausedReason: raw.pausedReason } : {}),
      notified: raw.notified === "1",
    };
  }

  async update(tenant: string, patch: Partial<Team>): Promise<void> {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(patch)) {
      if (v !== undefined) fields[k] = typeof v === "boolean" ? (v ? "1" : "0") : String(v);
    }
    if (Object.keys(fields).length > 0) await this.redis.hset(this.keys.team(tenant), fields);
  }

  /** Board entries best first (offset/limit over the sorted set). */
  async board(
    tenant: string,
    period: string,
    offset: number,
    limit: number,
  ): Promise<BoardEntry[]> {
    const flat = await this.redis.zrevrange(
      this.keys.board(tenant, period),
      offset,
      offset + limit - 1,
      "WITHSCORES",
    );
    return replyPairs(flat).map(([learner, score]) => ({ learner, points: boardPoints(score) }));
  }

  /** Every entry of a board (for "most improved"; boards are team-sized). */
  async boardAll(tenant: string, period: string): Promise<Map<string, number>> {
    const flat = await this.redis.zrevrange(this.keys.board(tenant, period), 0, -1, "WITHSCORES");
    return new Map(replyPairs(flat).map(([learner, score]) => [learner, boardPoints(score)]));
  }

  async rank(tenant: string, period: string, learner: string): Promise<number | undefined> {
    const r = await this.redis.zrevrank(this.keys.board(tenant, period), learner);
    return r === null ? undefined : r + 1;
  }

  async points(tenant: string, period: string, learner: string): Promise<number> {
    const s = await this.redis.zscore(this.keys.board(tenant, period), learner);
    return s === null ? 0 : boardPoints(s);
  }

  async weekReviews(tenant: string, week: string): Promise<number> {
    return Number((await this.redis.hget(this.keys.teamWeek(tenant, week), "reviews")) ?? 0);
  }

  /**
   * Names and board opt-outs of some learners, in one round trip (commands sent together,
   * not a pipeline object: each learner's hash is in its own slot on a cluster).
   */
  async profiles(
    learners: string[],
  ): Promise<
    Map<string, { name?: string; hidden: boolean; streak: number; lastSessionDay?: string }>
  > {
    const res = await Promise.all(
      learners.map((l) =>
        this.redis.hmget(this.keys.learner(l), "name", "boardOptOut", "streak", "lastSessionDay"),
      ),
    );
    const out = new Map<
      string,
      { name?: string; hidden: boolean; streak: number; lastSessionDay?: string }
    >();
    learners.forEach((l, i) => {
      const [name, optOut, streak, last] = res[i] ?? [];
      out.set(l, {
        ...(name ? { name } : {}),
        hidden: optOut === "1",
        streak: Number(streak ?? 0),
        ...(last ? { lastSessionDay: last } : {}),
      });
    });
    return out;
  }

  /** Remembers learners pyjs paused because the team's installation went away. */
  async holdPaused(tenant: string, learners: string[]): Promise<void> {
    if (learners.length > 0) await this.redis.sadd(this.keys.uninstallPaused(tenant), ...learners);
  }

  /** The learners {@link holdPaused} remembered, forgotten as they are read. */
  async releasePaused(tenant: string): Promise<string[]> {
    const key = this.keys.uninstallPaused(tenant);
    const [[, members]] = ((await this.redis.multi().smembers(key).del(key).exec()) ?? [
      [null, []],
    ]) as [[Error | null, string[]]];
    return members ?? [];
  }

  /** Marks a team's weekly post done; false when it already was. */
  async markPosted(tenant: string, week: string): Promise<boolean> {
    return (
      (await this.redis.set(this.keys.boardSent(tenant, week), "1", "EX", 30 * 86_400, "NX")) ===
      "OK"
    );
  }

  /** Marks a week's team-leech note to the admin as sent (or nothing to say). */
  async markLeechNoted(tenant: string, week: string): Promise<void> {
    await this.redis.set(this.keys.leechNoteSent(tenant, week), "1", "EX", 30 * 86_400);
  }

  async wasLeechNoted(tenant: string, week: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.leechNoteSent(tenant, week))) === 1;
  }

  async wasPosted(tenant: string, week: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.boardSent(tenant, week))) === 1;
  }
}
