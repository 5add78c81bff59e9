import type { Redis } from "ioredis";
import { Charts } from "./app/charts.js";
import { Optimizer } from "./app/optimizer.js";
import { ParameterChoice } from "./app/parameters.js";
import { App } from "./app/service.js";
import { loadDecks } from "./cards/load.js";
import type { Env } from "./config.js";
import type { Deck } from "./core/deck.js";
import { createScheduler, type Scheduler } from "./core/scheduler.js";
import { RedisError } from "./errors.js";
import { forgetJobs } from "./jobs/forget-jobs.js";
import { BullOptimizeRequests, optimizeQueue } from "./jobs/optimize.js";
import { BullWeeklyScheduler, weeklyQueue } from "./jobs/weekly.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import {
  checkEvictionPolicy,
  connectRedis,
  connectRedisTarget,
  redisTargetOf,
} from "./redis/connect.js";
import { type LocalRedis, startLocalRedis } from "./redis/local-server.js";
import { ControlsStore } from "./store/controls.js";
import { Dedupe } from "./store/dedupe.js";
import { eraseLearner } from "./store/erase.js";
import { type Keys, makeKeys } from "./store/keys.js";
import { ParameterStore } from "./store/parameters.js";
import { PromptStore } from "./store/prompts.js";
import { ProposalStore } from "./store/proposals.js";
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
  proposals: ProposalStore;
  /** Fitted FSRS parameters (learner fits in their settings hash, team priors). */
  parameterStore: ParameterStore;
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
    proposals: new ProposalStore(redis, keys),
    parameterStore: new ParameterStore(redis, keys),
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
  /** The decks the app was built with. */
  deck: Deck;
  /** The FSRS optimizer (the workers run its weekly sweep and queued fits). */
  optimizer: Optimizer;
  close(): Promise<void>;
}

/**
 * The FSRS optimizer's parts: which parameters each learner's reviews use, and the
 * fitter. `enabled` false (PYJS_OPTIMIZER=off): the defaults for everyone, no fits.
 */
export function createOptimizer(
  stores: Stores,
  scheduler: Scheduler,
  opts: { enabled: boolean; defaultTz: string; log?: Logger | undefined },
): { choice: ParameterChoice; optimizer: Optimizer } {
  const choice = new ParameterChoice(scheduler, stores.parameterStore, opts.enabled);
  const optimizer = new Optimizer({
    ...stores,
    parameters: stores.parameterStore,
    choice,
    defaultTz: opts.defaultTz,
    numRelearningSteps: scheduler.options.relearningSteps.length,
    log: opts.log,
  });
  return { choice, optimizer };
}

/** Builds the app service on a Redis connection (tests call this directly). */
export function createApp(
  env: Env,
  redis: Redis,
  log?: Logger,
  metrics?: Metrics,
  deck: Deck = loadDecks(env.CARDS_DIR),
): { app: App; stores: Stores; optimizer: Optimizer; close(): Promise<void> } {
  const stores = createStores(redis, env.REDIS_PREFIX);
  const weekly = weeklyQueue(redis, env.REDIS_PREFIX, log);
  const optimize = optimizeQueue(redis, env.REDIS_PREFIX, log);
  const scheduler = createScheduler({
    retention: env.PYJS_RETENTION,
    maxInterval: env.PYJS_MAX_INTERVAL_DAYS,
    learningSteps: env.PYJS_LEARNING_STEPS,
    relearningSteps: env.PYJS_RELEARNING_STEPS,
    fuzz: env.PYJS_FUZZ,
  });
  // The App's zone for learners who never said theirs (its default, UTC).
  const defaultTz = "UTC";
  const { choice, optimizer } = createOptimizer(stores, scheduler, {
    enabled: env.PYJS_OPTIMIZER,
    defaultTz,
    log,
  });
  const app = new App({
    deck,
    scheduler,
    ...stores,
    weekly: new BullWeeklyScheduler(weekly),
    erase: eraser(redis, env.REDIS_PREFIX),
    storageUp: () => redis.status === "ready",
    limits: { newPerDay: env.PYJS_NEW_PER_DAY, maxReviewsPerDay: env.PYJS_MAX_REVIEWS_PER_DAY },
    leechThreshold: env.PYJS_LEECH_THRESHOLD,
    // Stats charts and board pictures, cached per learner/day (a failed render is logged).
    charts: new Charts(log ?? { warn: () => undefined }),
    parameters: choice,
    optimizer,
    optimizeRequests: new BullOptimizeRequests(optimize),
    ...(log ? { log } : {}),
    ...(metrics ? { metrics } : {}),
  });
  return {
    app,
    stores,
    optimizer,
    close: async () => {
      await Promise.all([weekly.close(), optimize.close()]);
    },
  };
}

/** How long start-up waits for Redis before starting degraded (or failing, in the terminal). */
export const REDIS_START_WAIT_MS = 5_000;

/** REDIS_URL without its password, for messages. */
export function safeRedisUrl(url: string): string {
  if (url.startsWith("unix://")) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable REDIS_URL)";
  }
}

async function readyWithin(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === "ready") return true;
  return new Promise((ok) => {
    const timer = setTimeout(() => done(false), ms);
    const onReady = () => done(true);
    function done(v: boolean) {
      clearTimeout(timer);
      redis.off("ready", onReady);
      ok(v);
    }
    redis.once("ready", onReady);
  });
}

/** Redis did not answer at start: the terminal fails fast, a bot starts degraded. */
function unreachable(url: string, log: Logger, degraded: boolean): void {
  const where = safeRedisUrl(url);
  if (!degraded)
    throw new RedisError(
      "redis_unreachable",
      `cannot reach Redis at ${where} (check REDIS_URL, or unset it to use a local redis-server)`,
    );
  log.error(
    { redis: where },
    `cannot reach Redis at ${where}: starting degraded (lookups work, /healthz answers 503, quizzes and deliveries resume when Redis is back)`,
  );
}

/** The local server went away (someone stopped it): start it again, once at a time. */
function reviveOnLoss(redis: Redis, local: LocalRedis, log: Logger): void {
  let busy = false;
  redis.on("error", (err: NodeJS.ErrnoException) => {
    if (busy || (err.code !== "ENOENT" && err.code !== "ECONNREFUSED")) return;
    busy = true;
    local
      .revive()
      .then((started) => started && log.warn("the local redis-server had stopped: restarted it"))
      .catch((e: unknown) =>
        log.error({ err: String(e) }, "could not restart the local redis-server"),
      )
      .finally(() => {
        setTimeout(() => {
          busy = false;
        }, 1000).unref();
      });
  });
}

/**
 * Validates the decks first (a bad deck fails before anything is started), then
 * connects to REDIS_CLUSTER_NODES / REDIS_SENTINELS / REDIS_URL, or starts (or reuses) a local redis-server under the data
 * folder when it is unset, then builds the app. What it started is stopped again when
 * a later step fails.
 */
export async function startRuntime(
  env: Env,
  log: Logger,
  metrics?: Metrics,
  opts: { degraded?: boolean } = {},
): Promise<Runtime> {
  const deck = loadDecks(env.CARDS_DIR);
  let local: LocalRedis | undefined;
  let redis: Redis | undefined;
  try {
    const target = redisTargetOf(env);
    let url = env.REDIS_URL;
    if (!url && !target) {
      local = await startLocalRedis({ dir: env.PYJS_DATA_DIR });
      url = local.url;
      log.info(
        { url, data: env.PYJS_DATA_DIR, started: local.owned },
        local.owned ? "started a local redis-server" : "reusing the local redis-server",
      );
    }
    const conn = target ? connectRedisTarget(target, log) : connectRedis(url ?? "", log);
    redis = conn;
    if (local) reviveOnLoss(conn, local, log);
    if (await readyWithin(conn, REDIS_START_WAIT_MS)) await checkEvictionPolicy(conn, log);
    else
      unreachable(
        url ?? env.REDIS_CLUSTER_NODES ?? env.REDIS_SENTINELS ?? "",
        log,
        opts.degraded ?? false,
      );
    const built = createApp(env, conn, log, metrics, deck);
    return {
      env,
      log,
      redis: conn,
      stores: built.stores,
      app: built.app,
      deck,
      optimizer: built.optimizer,
      async close() {
        // Closing on purpose: no more error lines, and no reviving the local server.
        conn.removeAllListeners("error");
        conn.on("error", () => {});
        if (conn.status !== "ready") conn.disconnect(); // nothing to flush; quit would wait
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
