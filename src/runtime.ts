import type { Redis } from "ioredis";
import { App } from "./app/service.js";
import { loadDecks } from "./cards/load.js";
import type { Env } from "./config.js";
import { createScheduler } from "./core/scheduler.js";
import type { Logger } from "./logger.js";
import { checkEvictionPolicy, connectRedis } from "./redis/connect.js";
import { type LocalRedis, startLocalRedis } from "./redis/local-server.js";
import { Dedupe } from "./store/dedupe.js";
import { makeKeys } from "./store/keys.js";
import { PromptStore } from "./store/prompts.js";
import { ReviewStore } from "./store/reviews.js";
import { ScheduleStore } from "./store/schedule.js";
import { SettingsStore } from "./store/settings.js";

/** Everything a running pyjs process shares: config, Redis, the app service. */
export interface Runtime {
  env: Env;
  log: Logger;
  redis: Redis;
  app: App;
  close(): Promise<void>;
}

/** Builds the app service on a Redis connection (tests call this directly). */
export function createApp(env: Env, redis: Redis, log?: Logger): App {
  const keys = makeKeys(env.REDIS_PREFIX);
  return new App({
    deck: loadDecks(env.CARDS_DIR),
    scheduler: createScheduler({
      retention: env.PYJS_RETENTION,
      maxInterval: env.PYJS_MAX_INTERVAL_DAYS,
      learningSteps: env.PYJS_LEARNING_STEPS,
      relearningSteps: env.PYJS_RELEARNING_STEPS,
      fuzz: env.PYJS_FUZZ,
    }),
    settings: new SettingsStore(redis, keys),
    prompts: new PromptStore(redis, keys),
    reviews: new ReviewStore(redis, keys),
    dedupe: new Dedupe(redis, env.REDIS_PREFIX),
    schedule: new ScheduleStore(redis, keys),
    limits: { newPerDay: env.PYJS_NEW_PER_DAY, maxReviewsPerDay: env.PYJS_MAX_REVIEWS_PER_DAY },
    ...(log ? { log } : {}),
  });
}

/**
 * Connects to REDIS_URL, or starts (or reuses) a local redis-server under the data
 * folder when it is unset, then builds the app.
 */
export async function startRuntime(env: Env, log: Logger): Promise<Runtime> {
  let local: LocalRedis | undefined;
  let url = env.REDIS_URL;
  if (!url) {
    local = await startLocalRedis({ dir: env.PYJS_DATA_DIR });
    url = local.url;
    log.info(
      { url, started: local.owned },
      local.owned ? "started a local redis-server" : "reusing the local redis-server",
    );
  }
  const redis = connectRedis(url, log);
  await checkEvictionPolicy(redis, log);
  const app = createApp(env, redis, log);
  return {
    env,
    log,
    redis,
    app,
    async close() {
      await redis.quit().catch(() => redis.disconnect());
      await local?.stop();
    },
  };
}
