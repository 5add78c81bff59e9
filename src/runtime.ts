import type { Redis } from "ioredis";
import { App } from "./app/service.js";
import { loadDecks } from "./cards/load.js";
import type { Env } from "./config.js";
import type { Deck } from "./core/deck.js";
import { createScheduler } from "./core/scheduler.js";
import { forgetJobs } from "./jobs/forget-jobs.js";
import { BullWeeklyScheduler, weeklyQueue } from "./jobs/weekly.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import { checkEvictionPolicy, connectRedis } from "./redis/connect.js";
import { type LocalRedis, startLocalRedis } from "./redis/local-server.js";
import { ControlsStore } from "./store/controls.js";
import { Dedupe } from "./store/dedupe.js";
import { eraseLearner } from "./store/erase.js";
import { type Keys, makeKeys } from "./store/keys.js";
import { PromptStore } from "./store/prompts.js";
import { ReviewStore } from "./store/reviews.js";
import { ScheduleStore } from "./store/schedule.js";
import { SettingsStore } from "./store/settings.js";
import { SnapshotStore } from "./store/snapshot.js";
import { TeamStore } from "./store/teams.js";

/** The stores on one Redis connection, under one prefix. */
export interface Stores {
  keys: Keys;
  settings: SettingsStore;
  prompts: PromptStore;
  reviews: ReviewStore;
  schedule: ScheduleStore;
  teams: TeamStore;
  snapshots: SnapshotStore;
  dedupe: Dedupe;
  controls: ControlsStore;
}

export function createStores(redis: Redis, prefix: string): Stores {
  const keys = makeKeys(prefix);
  return {
    keys,
    settings: new SettingsStore(redis, keys),
    prompts: new PromptStore(redis, keys),
    reviews: new ReviewStore(redis, keys),
    schedule: new ScheduleStore(redis, keys),
    teams: new TeamStore(redis, keys),
    snapshots: new SnapshotStore(redis, keys),
    dedupe: new Dedupe(redis, prefix),
    controls: new ControlsStore(redis, keys),
  };
}

/** `forget me`: the learner's keys and board entries, then their queued jobs. */
export function eraser(redis: Redis, prefix: string): (learner: string) => Promise<string[]> {
  const keys = makeKeys(prefix);
  return async (learner) => {
    const erased = await eraseLearner(redis, keys, learner);
    await forgetJobs(redis, prefix, learner);
    return erased;
  };
}

/** Everything a running pyjs process shares: config, Redis, stores, the app service. */
export interface Runtime {
  env: Env;
  log: Logger;
  redis: Redis;
  stores: Stores;
  app: App;
  close(): Promise<void>;
}

/** Builds the app service on a Redis connection (tests call this directly). */
export function createApp(
  env: Env,
  redis: Redis,
  log?: Logger,
  metrics?: Metrics,
  deck: Deck = loadDecks(env.CARDS_DIR),
): { app: App; stores: Stores; close(): Promise<void> } {
  const stores = createStores(redis, env.REDIS_PREFIX);
  const weekly = weeklyQueue(redis, env.REDIS_PREFIX);
  const app = new App({
    deck,
    scheduler: createScheduler({
      retention: env.PYJS_RETENTION,
      maxInterval: env.PYJS_MAX_INTERVAL_DAYS,
      learningSteps: env.PYJS_LEARNING_STEPS,
      relearningSteps: env.PYJS_RELEARNING_STEPS,
      fuzz: env.PYJS_FUZZ,
    }),
    ...stores,
    weekly: new BullWeeklyScheduler(weekly),
    erase: eraser(redis, env.REDIS_PREFIX),
    storageUp: () => redis.status === "ready",
    limits: { newPerDay: env.PYJS_NEW_PER_DAY, maxReviewsPerDay: env.PYJS_MAX_REVIEWS_PER_DAY },
    ...(log ? { log } : {}),
    ...(metrics ? { metrics } : {}),
  });
  return { app, stores, close: () => weekly.close() };
}

/**
 * Validates the decks first (a bad deck fails before anything is started), then
 * connects to REDIS_URL, or starts (or reuses) a local redis-server under the data
 * folder when it is unset, then builds the app. What it started is stopped again when
 * a later step fails.
 */
export async function startRuntime(env: Env, log: Logger, metrics?: Metrics): Promise<Runtime> {
  const deck = loadDecks(env.CARDS_DIR);
  let local: LocalRedis | undefined;
  let redis: Redis | undefined;
  try {
    let url = env.REDIS_URL;
    if (!url) {
      local = await startLocalRedis({ dir: env.PYJS_DATA_DIR });
      url = local.url;
      log.info(
        { url, started: local.owned },
        local.owned ? "started a local redis-server" : "reusing the local redis-server",
      );
    }
    const conn = connectRedis(url, log);
    redis = conn;
    await checkEvictionPolicy(conn, log);
    const built = createApp(env, conn, log, metrics, deck);
    return {
      env,
      log,
      redis: conn,
      stores: built.stores,
      app: built.app,
      async close() {
        await built.close();
        await conn.quit().catch(() => conn.disconnect());
        await local?.stop();
      },
    };
  } catch (err) {
    redis?.disconnect();
    await local?.stop();
    throw err;
  }
}
