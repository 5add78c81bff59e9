import type { Redis } from "ioredis";
import { scanKeys } from "../redis/scan.js";
import type { Keys } from "./keys.js";

/** A typed answer a learner said was right, as the team has proposed it. */
export interface Proposal {
  tenant: string;
  card: string;
  key: string;
  text: string;
  count: number;
  accepted: boolean;
}

/** How many learners of a team must propose an answer before it counts for all of them. */
export const TEAM_ACCEPT_AFTER = 2;

/**
 * "I was right": the typed answer kept with its prompt, proposals per team and card,
 * and the answers a team has accepted (two learners, or one admin).
 */
export class ProposalStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** Keeps what was typed for a prompt graded Again or Hard, and marks it claimable. */
  async rememberTyped(learner: string, promptId: string, given: string): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.prompt(learner, promptId), "given", given)
      .hdel(this.keys.prompt(learner, promptId), "claimed")
      .hset(this.keys.learner(learner), "claimable", promptId)
      .exec();
  }

  /** Takes the one claim of a prompt's typed answer; false when it was taken (a double press). */
  async takeClaim(learner: string, promptId: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.keys.prompt(learner, promptId), "claimed", "1")) === 1;
  }

  /** Gives the claim back (the amend failed, so the learner may press again). */
  async releaseClaim(learner: string, promptId: string): Promise<void> {
    await this.redis.hdel(this.keys.prompt(learner, promptId), "claimed");
  }

  async typedFor(learner: string, promptId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.prompt(learner, promptId), "given")) ?? undefined;
  }

  async claimable(learner: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.learner(learner), "claimable")) ?? undefined;
  }

  /** Records one learner's proposal (once per learner); true when the team now accepts it. */
  async propose(
    p: { tenant: string; card: string; key: string; text: string; learner: string },
    admin: boolean,
  ): Promise<boolean> {
    const by = this.keys.proposers(p.tenant, p.card, p.key);
    const added = await this.redis.sadd(by, p.learner);
    const [count] = await Promise.all([
      this.redis.scard(by),
      added ? this.bump(p.tenant, p.card, p.key, p.text) : undefined,
    ]);
    if (count < TEAM_ACCEPT_AFTER && !admin) return false;
    await this.redis.sadd(this.keys.accepted(p.tenant, p.card), p.key);
    return true;
  }

  private async bump(tenant: string, card: string, key: string, text: string): Promise<void> {
    const hash = this.keys.proposals(tenant, card);
    const old = await this.redis.hget(hash, key);
    const count = Number(old?.split("\t")[0] ?? 0) + 1;
    await this.redis.hset(hash, key, `${count}\t${old?.split("\t")[1] ?? text}`);
  }

  async acceptedKeys(tenant: string, card: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.keys.accepted(tenant, card)));
  }

  /** Every proposal, optionally of one team, most proposed first. */
  async list(tenant?: string): Promise<Proposal[]> {
    const scan = this.keys.proposalScan(tenant);
    const out: Proposal[] = [];
    for (const hashKey of await scanKeys(this.redis, scan.pattern)) {
      if (!scan.owns(hashKey)) continue;
      const m = /proposals:\{([^}]*)\}:(.+)$/.exec(hashKey);
      if (!m?.[1] || !m[2]) continue;
      const [team, card] = [m[1], m[2]];
      const [fields, accepted] = await Promise.all([
        this.redis.hgetall(hashKey),
        this.acceptedKeys(team, card),
      ]);
      for (const [key, v] of Object.entries(fields)) {
        const [count, text] = v.split("\t");
        out.push({
          tenant: team,
          card,
          key,
          text: text ?? key,
          count: Number(count),
          accepted: accepted.has(key),
        });
      }
    }
    return out.sort((a, b) => b.count - a.count || a.card.localeCompare(b.card));
  }
}
