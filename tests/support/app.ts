import type { Redis } from "ioredis";
import type { ChartMaker } from "../../src/app/charts.js";
import type { WeeklyScheduler } from "../../src/app/leaderboard.js";
import type { OptimizeRequests } from "../../src/app/optimizer.js";
import { App } from "../../src/app/service.js";
import { loadDecks } from "../../src/cards/load.js";
import { BUNDLED_CARDS_DIR } from "../../src/config.js";
import type { Deck } from "../../src/core/deck.js";
import { createScheduler } from "../../src/core/scheduler.js";
import type { SessionLimits } from "../../src/core/session.js";
import { createOptimizer, createStores, eraser } from "../../src/runtime.js";

let bundled: Deck | undefined;

/** The deck shipped in cards/, loaded once per test file. */
export function bundledDeck(): Deck {
  bundled ??= loadDecks(BUNDLED_CARDS_DIR);
  return bundled;
}

/** The real app service on a test Redis, fuzz off so intervals are exact. */
export function testApp(
  redis: Redis,
  prefix: string,
  opts: {
    deck?: Deck;
    limits?: SessionLimits;
    weekly?: WeeklyScheduler;
    charts?: ChartMaker;
    leechThreshold?: number;
    /** Wire the FSRS optimizer as production does (runtime.createOptimizer). */
    optimizer?: { enabled: boolean; requests?: OptimizeRequests };
  } = {},
): App {
  // The same stores production wires (runtime.createStores), on the test prefix.
  const all = createStores(redis, prefix);
  const { keys: _keys, ...stores } = all;
  const scheduler = createScheduler({ fuzz: false });
  const fsrs = opts.optimizer
    ? createOptimizer(all, scheduler, { enabled: opts.optimizer.enabled, defaultTz: "UTC" })
    : undefined;
  return new App({
    deck: opts.deck ?? bundledDeck(),
    scheduler,
    ...stores,
    ...(fsrs ? { parameters: fsrs.choice, optimizer: fsrs.optimizer } : {}),
    ...(opts.optimizer?.requests ? { optimizeRequests: opts.optimizer.requests } : {}),
    erase: eraser(redis, prefix),
    ...(opts.weekly ? { weekly: opts.weekly } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.charts ? { charts: opts.charts } : {}),
    ...(opts.leechThreshold !== undefined ? { leechThreshold: opts.leechThreshold } : {}),
  });
}
