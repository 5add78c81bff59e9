import type { Redis } from "ioredis";
import type { WeeklyScheduler } from "../../src/app/leaderboard.js";
import { App } from "../../src/app/service.js";
import { loadDecks } from "../../src/cards/load.js";
import { BUNDLED_CARDS_DIR } from "../../src/config.js";
import type { Deck } from "../../src/core/deck.js";
import { createScheduler } from "../../src/core/scheduler.js";
import type { SessionLimits } from "../../src/core/session.js";
import { eraser } from "../../src/runtime.js";
import { Dedupe } from "../../src/store/dedupe.js";
import { makeKeys } from "../../src/store/keys.js";
import { PromptStore } from "../../src/store/prompts.js";
import { ReviewStore } from "../../src/store/reviews.js";
import { ScheduleStore } from "../../src/store/schedule.js";
import { SettingsStore } from "../../src/store/settings.js";
import { TeamStore } from "../../src/store/teams.js";

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
  opts: { deck?: Deck; limits?: SessionLimits; weekly?: WeeklyScheduler } = {},
): App {
  const keys = makeKeys(prefix);
  return new App({
    deck: opts.deck ?? bundledDeck(),
    scheduler: createScheduler({ fuzz: false }),
    settings: new SettingsStore(redis, keys),
    prompts: new PromptStore(redis, keys),
    reviews: new ReviewStore(redis, keys),
    dedupe: new Dedupe(redis, prefix),
    schedule: new ScheduleStore(redis, keys),
    teams: new TeamStore(redis, keys),
    erase: eraser(redis, prefix),
    ...(opts.weekly ? { weekly: opts.weekly } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
}
