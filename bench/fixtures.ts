import type { ChainableCommander } from "ioredis";
import { DateTime } from "luxon";
import type { Deck } from "../src/core/deck.js";
import { learner } from "../src/core/learner.js";
import { createScheduler, encodeState, type Grade } from "../src/core/scheduler.js";
import type { Keys } from "../src/store/keys.js";

/** A small deterministic PRNG (mulberry32), so every run builds the same data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ratings as learners give them: mostly Good, some Again, Hard and Easy. */
export function rating(rand: () => number): Grade {
  const r = rand();
  if (r < 0.1) return 1;
  if (r < 0.2) return 2;
  if (r < 0.85) return 3;
  return 4;
}

/**
 * Encoded card states with a real review history (1–12 reviews through the production
 * scheduler, fuzz on, at their due times), every one due by `dueBy`: what a learner's
 * cards hash holds after some weeks of use.
 */
export function statePool(size: number, dueBy: Date, seed = 1): string[] {
  const rand = prng(seed);
  const scheduler = createScheduler();
  const out: string[] = [];
  while (out.length < size) {
    let t = new Date(dueBy.getTime() - (20 + rand() * 400) * 86_400_000);
    let card: ReturnType<typeof scheduler.review>["after"] | undefined;
    const reviews = 1 + Math.floor(rand() * 12);
    for (let i = 0; i < reviews; i++) {
      const next = scheduler.review(card, rating(rand), t).after;
      if (next.due.getTime() > dueBy.getTime()) break;
      card = next;
      // Answered some hours after it became due.
      t = new Date(next.due.getTime() + rand() * 8 * 3_600_000);
      if (t.getTime() > dueBy.getTime()) break;
    }
    if (card) out.push(encodeState(card));
  }
  return out;
}

/** `n` card ids: the deck's, then variants of them (same lengths) when the deck is smaller. */
export function cardIds(deck: Deck, n: number): string[] {
  const base = deck.cards.map((c) => c.id);
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const id = base[i % base.length] as string;
    const round = Math.floor(i / base.length);
    out.push(round === 0 ? id : `${id.slice(0, Math.max(1, id.length - 3))}-${round}x`);
  }
  return out;
}

/** A Slack-shaped team id (T + 10 characters). */
export const BENCH_TEAM = "T0BENCH0001";

/** A Slack-shaped learner id: `slack:T…:U…` with an 11-character user id, as Slack issues. */
export function slackLearner(i: number, team = BENCH_TEAM): string {
  return learner.slack(team, `U${i.toString(36).toUpperCase().padStart(10, "0")}`);
}

const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Tokyo"];

/**
 * The settings hash of a subscribed learner some weeks in, delivered at `at` (its local
 * HH:MM in one of a few zones): what `subscribe`, sessions and deliveries leave behind.
 */
export function subscribedSettings(i: number, at: Date): Record<string, string> {
  const tz = ZONES[i % ZONES.length] as string;
  const local = DateTime.fromJSDate(at, { zone: tz });
  const yesterday = local.minus({ days: 1 }).toISODate() ?? "";
  return {
    subscribed: "1",
    paused: "0",
    pausedReason: "",
    time: local.toFormat("HH:mm"),
    tz,
    name: `Learner ${i}`,
    streak: String(1 + (i % 9)),
    bestStreak: String(3 + (i % 17)),
    lastSessionDay: yesterday,
    lastDelivery: yesterday,
  };
}

/** Queues the writes of one learner with `states` (card id -> encoded) on a pipeline. */
export function writeLearner(
  p: ChainableCommander,
  keys: Keys,
  learner: string,
  states: Record<string, string>,
  opts: { settings?: Record<string, string>; scheduleAt?: number; tenant?: string } = {},
): void {
  if (Object.keys(states).length) p.hset(keys.cards(learner), states);
  if (opts.settings) p.hset(keys.learner(learner), opts.settings);
  if (opts.scheduleAt !== undefined) p.zadd(keys.schedule, opts.scheduleAt, learner);
  if (opts.tenant) p.sadd(keys.tenants(learner), opts.tenant);
}

/** `count` states for a learner, drawn from the pool at an offset that differs per learner. */
export function statesFor(
  ids: readonly string[],
  pool: readonly string[],
  learner: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  ids.forEach((id, j) => {
    out[id] = pool[(learner * 7919 + j * 104729) % pool.length] as string;
  });
  return out;
}
