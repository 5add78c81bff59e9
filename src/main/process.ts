import { userInfo } from "node:os";
import { runConsole } from "../../adapters/console/repl.js";
import { createDiscord, type DiscordAdapter } from "../../adapters/discord/index.js";
import type { Slack } from "../../adapters/slack/index.js";
import { createSlack } from "../../adapters/slack/index.js";
import type { Messenger } from "../app/messenger.js";
import type { Platform } from "../app/types.js";
import { type Env, slackMode } from "../config.js";
import { isTimeZone } from "../core/grammar.js";
import { learner } from "../core/learner.js";
import type { RateSettings } from "../core/rate-limits.js";
import { UsageError } from "../errors.js";
import { type Handler, type HttpServer, startHttpServer } from "../http/server.js";
import { createQueues } from "../jobs/queues.js";
import { weeklyQueue } from "../jobs/weekly.js";
import { startWorkers, type Workers } from "../jobs/workers.js";
import type { Logger } from "../logger.js";
import { createMetrics, type Metrics } from "../metrics.js";
import { type Runtime, startRuntime } from "../runtime.js";
import { makeKeys } from "../store/keys.js";
import { RateBudget } from "../store/rate-budget.js";

/** How long a graceful shutdown may take before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface Running {
  rt: Runtime;
  metrics: Metrics;
  http?: HttpServer | undefined;
  slack?: Slack | undefined;
  discord?: DiscordAdapter | undefined;
  workers?: Workers | undefined;
  /** Stops intake, closes the platforms, drains the workers, closes Redis. */
  stop(): Promise<void>;
}

async function pingWithin(rt: Runtime, ms: number): Promise<boolean> {
  if (rt.redis.status !== "ready") return false;
  const timeout = new Promise<boolean>((ok) => setTimeout(() => ok(false), ms).unref());
  return Promise.race([
    rt.redis.ping().then(
      (r) => r === "PONG",
      () => false,
    ),
    timeout,
  ]);
}

/** Waits for `step`, or only briefly when Redis is down (its close cannot complete then). */
async function within(redisUp: boolean, step: Promise<void> | undefined): Promise<void> {
  if (redisUp || !step) return step;
  const guarded = step.catch(() => undefined);
  await Promise.race([guarded, new Promise((ok) => setTimeout(ok, 1000).unref())]);
}

/**
 * Where the HTTP server listens: HOST when set; otherwise every interface only when Slack
 * must reach /slack/events (HTTP mode), and loopback when nothing outside needs it
 * (Socket Mode, Discord, `pyjs worker`). Containers set HOST=0.0.0.0.
 */
export function listenHost(env: Env, receive: boolean): string {
  if (env.HOST) return env.HOST;
  const slackHttp = receive && slackMode(env) !== undefined && !env.SLACK_APP_TOKEN;
  return slackHttp ? "0.0.0.0" : "127.0.0.1";
}

export interface StartOptions {
  /** Run the BullMQ workers in this process (`pyjs start`'s default). */
  workers: boolean;
  /** Receive platform events (false for `pyjs worker`: it only sends). */
  receive: boolean;
  /** Override the tick period (tests). */
  tickEvery?: number;
}

/** One rate budget for every process on this Redis, at the configured rates. */
function rateLimits(env: Env, rt: Runtime): { budget: RateBudget; rates: RateSettings } {
  const rates = {
    slackMessagesPerSecond: env.SLACK_MESSAGES_PER_SECOND,
    discordRequestsPerSecond: env.DISCORD_REQUESTS_PER_SECOND,
    marginMs: env.PYJS_RATE_MARGIN_MS,
  };
  return { budget: new RateBudget(rt.redis, makeKeys(env.REDIS_PREFIX)), rates };
}

/** What the workers take from the runtime (its connection, stores and optimizer). */
function workerDeps(env: Env, rt: Runtime, opts: StartOptions) {
  return {
    connection: rt.redis,
    prefix: env.REDIS_PREFIX,
    app: rt.app,
    settings: rt.stores.settings,
    schedule: rt.stores.schedule,
    teams: rt.stores.teams,
    optimizer: rt.optimizer,
    parameters: rt.stores.parameterStore,
    ...(opts.tickEvery ? { tickEvery: opts.tickEvery } : {}),
  };
}

/**
 * Assembles a process: Redis, the configured platforms, the HTTP server (/healthz,
 * /readyz, /metrics, Slack's /slack/events) and, unless told otherwise, the workers.
 */
export async function startProcess(env: Env, log: Logger, opts: StartOptions): Promise<Running> {
  const metrics = createMetrics();
  const rt = await startRuntime(env, log, metrics, { degraded: true });
  const messengers = new Map<Platform, Messenger>();
  let slack: Slack | undefined;
  let discord: DiscordAdapter | undefined;
  let http: HttpServer | undefined;
  let workers: Workers | undefined;
  let admin: Awaited<ReturnType<typeof adminDashboard>> | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      // Stop intake first, then the platforms, then drain jobs, then Redis. Workers
      // still waiting for Redis (a degraded start) close when they come up. Without
      // Redis there is nothing to drain: BullMQ's close would wait for it, so don't.
      await http?.close();
      await Promise.allSettled([slack?.stop(), discord?.stop()]);
      const up = rt.redis.status === "ready";
      await within(up, workers?.close());
      await within(up, admin?.close());
      await within(up, rt.close());
    })();
    return stopped;
  };
  const { budget, rates } = rateLimits(env, rt);
  try {
    if (slackMode(env)) {
      slack = await createSlack({ env, app: rt.app, log, metrics, redis: rt.redis, budget, rates });
      messengers.set("slack", slack.messenger);
    }
    if (env.DISCORD_TOKEN) {
      discord = await createDiscord({ env, app: rt.app, log, metrics, budget, rates });
      messengers.set("discord", discord.messenger);
    }
    if (env.ADMIN_TOKEN)
      admin = await adminDashboard(env, env.ADMIN_TOKEN, rt, [...messengers.keys()], log);
    http = await startHttpServer({
      port: env.PORT,
      host: listenHost(env, opts.receive),
      ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
      log,
      metrics,
      healthy: () => pingWithin(rt, 1000),
      ready: async () =>
        (await pingWithin(rt, 1000)) &&
        (!opts.receive || ((slack?.ready() ?? true) && (discord?.ready() ?? true))) &&
        (!opts.workers || (workers?.running() ?? false)),
      routes: opts.receive ? { ...slack?.routes } : {},
      ...(admin ? { mounts: admin.mounts } : {}),
    });
    if (opts.receive) {
      await slack?.start();
      await discord?.start();
    }
    if (opts.workers) {
      const starting = startWorkers({
        ...workerDeps(env, rt, opts),
        messengers,
        log,
        metrics,
        rates,
      }).then((w) => {
        if (stopped) return void w.close();
        workers = w;
        metrics.queues = () => w.queues.all();
      });
      // Degraded (Redis unreachable): the workers start once Redis answers.
      if (rt.redis.status === "ready") await starting;
      else
        starting.catch((err: unknown) =>
          log.error({ err: String(err) }, "workers failed to start"),
        );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { rt, metrics, http, slack, discord, workers, stop };
}

/**
 * The queue dashboard at /admin/queues (only with ADMIN_TOKEN): bull-board over this
 * deployment's queues — the tick, a delivery queue per platform served here, the weekly
 * posts — through Queue handles of its own. Loaded on demand (express, bull-board).
 */
async function adminDashboard(
  env: Env,
  token: string,
  rt: Runtime,
  platforms: Platform[],
  log: Logger,
): Promise<{ mounts: Record<string, Handler>; close(): Promise<void> }> {
  const { ADMIN_PATH, queueDashboard } = await import("../http/admin.js");
  const queues = createQueues(rt.redis, env.REDIS_PREFIX, log);
  for (const p of platforms) queues.delivery(p);
  const weekly = weeklyQueue(rt.redis, env.REDIS_PREFIX, log);
  const shown = [...queues.all(), weekly];
  return {
    mounts: { [ADMIN_PATH]: queueDashboard(token, shown) },
    close: async () => {
      await Promise.all([queues.close(), weekly.close()]);
    },
  };
}

/** SIGTERM/SIGINT: graceful stop within the grace period, exit 0; a second signal forces exit. */
export function onSignals(log: Logger, stop: () => Promise<void>): void {
  let signalled = false;
  const handler = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(130);
    }
    signalled = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      log.error("shutdown took too long: exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}

/** `pyjs start | head -1`: the reader went away; stop (and let go of Redis) without a trace. */
function exitQuietlyOnClosedOutput(close: () => Promise<void>): void {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    close().finally(() => process.exit(0));
  });
}

/**
 * Last line of defence for a long-running process: a promise nobody caught or an
 * exception thrown from a callback is logged (one JSON line) instead of ending the
 * process with its workers, ticks and connections. Installed once.
 */
let guarded = false;
export function guardProcess(log: Logger): void {
  if (guarded) return;
  guarded = true;
  process.on("unhandledRejection", (err: unknown) => {
    log.error({ err }, "unhandled promise rejection (kept running)");
  });
  process.on("uncaughtException", (err: Error, origin: string) => {
    log.error({ err, origin }, "uncaught exception (kept running)");
  });
}

function localZone(env: Env): string {
  const tz = env.PYJS_TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return tz && isTimeZone(tz) ? tz : "UTC";
}

/** The terminal learner, `console:{PYJS_USER}`; a name that can't be an id is refused. */
function consoleLearner(raw: string): string {
  const name = learner.consoleName(raw);
  if (!name)
    throw new UsageError(
      `PYJS_USER: "${raw.slice(0, 64)}" can't name a learner: use letters, digits and . _ @ + - (at most 64)`,
    );
  return learner.console(name);
}

/** `pyjs start`: the platforms from the environment, or the terminal quiz when none is set. */
export async function start(env: Env, log: Logger): Promise<number> {
  const platforms = Boolean(slackMode(env) || env.DISCORD_TOKEN);
  if (!platforms) {
    // The terminal: no HTTP server or workers, just the quiz for the local user.
    const rt = await startRuntime(env, log);
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= rt.close();
      return closing;
    };
    onSignals(log, close);
    exitQuietlyOnClosedOutput(close);
    try {
      const name = env.PYJS_USER ?? userInfo().username ?? "me";
      await runConsole({ app: rt.app, learner: consoleLearner(name), tz: localZone(env) });
    } finally {
      await close();
    }
    return 0;
  }
  guardProcess(log);
  const running = await startProcess(env, log, { workers: env.PYJS_WORKERS, receive: true });
  onSignals(log, running.stop);
  log.info(
    { slack: running.slack?.mode, discord: Boolean(running.discord), workers: env.PYJS_WORKERS },
    "pyjs is running",
  );
  await new Promise(() => {});
  return 0;
}

/** `pyjs worker`: BullMQ workers only (plus /healthz and /metrics), for scaling out. */
export async function worker(env: Env, log: Logger): Promise<number> {
  if (!slackMode(env) && !env.DISCORD_TOKEN)
    log.warn(
      "pyjs worker has no platform tokens (SLACK_BOT_TOKEN or SLACK_CLIENT_ID, DISCORD_TOKEN): it can deliver nothing and does not run the daily tick; the schedule is left for a worker that can",
    );
  guardProcess(log);
  const running = await startProcess(env, log, { workers: true, receive: false });
  onSignals(log, running.stop);
  log.info(
    { platforms: [...(running.slack ? ["slack"] : []), ...(running.discord ? ["discord"] : [])] },
    "pyjs worker is running",
  );
  await new Promise(() => {});
  return 0;
}
