import { type Job, type Queue, Worker, type WorkerOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { Messenger } from "../app/messenger.js";
import type { Optimizer } from "../app/optimizer.js";
import type { App } from "../app/service.js";
import type { Platform } from "../app/types.js";
import { type Clock, systemClock } from "../core/clock.js";
import { DEFAULT_RATES, learnersPerJob, type RateSettings } from "../core/rate-limits.js";
import { type Logger, routeErrors } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { jobIds, jobNames, QueueKeys } from "../store/keys.js";
import type { ParameterStore } from "../store/parameters.js";
import type { ScheduleStore } from "../store/schedule.js";
import type { SettingsStore } from "../store/settings.js";
import type { TeamStore } from "../store/teams.js";
import { deliveryProcessor } from "./delivery.js";
import { deliveryBatchProcessor } from "./delivery-batch.js";
import { type OptimizeJob, optimizeQueue, optimizeWorker, scheduleOptimizer } from "./optimize.js";
import {
  createQueues,
  type DeliveryBatchJob,
  type DeliveryJob,
  deliveryLimiter,
  deliveryQueueName,
  jobLimiter,
  limiterRate,
  type Queues,
  TICK_QUEUE,
  tickRepeat,
} from "./queues.js";
import { runTick, type TickDeps } from "./tick.js";
import { BullWeeklyScheduler, type WeeklyJob, weeklyQueue, weeklyWorker } from "./weekly.js";

export interface WorkerDeps {
  connection: Redis;
  prefix: string;
  app: App;
  settings: SettingsStore;
  schedule: ScheduleStore;
  messengers: Map<Platform, Messenger>;
  /** With teams, the weekly leaderboard posts run here too. */
  teams?: TeamStore;
  log?: Logger;
  metrics?: Metrics;
  /** Test hook: tick every this many ms instead of on the minute (cron, production). */
  tickEvery?: number;
  /** Deliveries handled at once per worker. */
  concurrency?: number;
  /** Test hooks: a clock, and worker lock tuning. */
  clock?: Clock;
  lockDuration?: number;
  stalledInterval?: number;
  /** The platforms' rates (SLACK_MESSAGES_PER_SECOND, DISCORD_REQUESTS_PER_SECOND). */
  rates?: RateSettings;
  /** Override the delivery queues' BullMQ limiter (benchmarks, tests). */
  limiter?: { max: number; duration: number };
  /**
   * The FSRS optimizer and its store: with them (and the optimizer enabled) the weekly
   * sweep is scheduled and fits run here; disabled, the weekly sweep is removed.
   */
  optimizer?: Optimizer | undefined;
  parameters?: ParameterStore | undefined;
}

export interface Workers {
  queues: Queues;
  workers: Worker[];
  running(): boolean;
  /** Stops taking jobs, lets in-flight ones finish, closes the queues. */
  close(): Promise<void>;
}

/** Options every Worker here shares. */
type Common = Pick<WorkerOptions, "connection" | "prefix" | "lockDuration" | "stalledInterval">;

/**
 * The BullMQ side of a process: the minute tick (a job scheduler, so any number of
 * processes share one schedule) and one delivery worker per platform that has a
 * Messenger here. Any number of processes may run these against one Redis.
 */
export async function startWorkers(deps: WorkerDeps): Promise<Workers> {
  const bull = new QueueKeys(deps.prefix);
  const queues = createQueues(deps.connection, deps.prefix, deps.log);
  const clock = deps.clock ?? systemClock;
  const common: Common = {
    connection: deps.connection,
    prefix: bull.prefix,
    ...(deps.lockDuration ? { lockDuration: deps.lockDuration } : {}),
    ...(deps.stalledInterval ? { stalledInterval: deps.stalledInterval } : {}),
  };
  // The tick runs only where some platform can be served: a process without messengers
  // would have nothing to enqueue for, and must never touch the schedule.
  const serves = deps.messengers.size > 0;
  if (serves) await scheduleTick(queues, bull, deps.tickEvery);
  const workers: Worker[] = [
    ...(serves ? [tickWorker(deps, queues, common, clock)] : []),
    ...deliveryWorkers(deps, queues, common, clock),
  ];
  const weekly = deps.teams ? weeklyQueue(deps.connection, deps.prefix, deps.log) : undefined;
  if (deps.teams && weekly) workers.push(weeklyPoster(deps, deps.teams, weekly, clock));
  for (const w of workers) logFailures(w, deps.log);
  // After the others' error routes are on: this waits for Redis (the job scheduler).
  const optimize = await startOptimizer(deps, clock);
  if (optimize?.worker) {
    logFailures(optimize.worker, deps.log);
    workers.push(optimize.worker);
  }
  let open = true;
  return {
    queues,
    workers,
    running: () => open && workers.every((w) => w.isRunning()),
    async close() {
      open = false;
      await Promise.all(workers.map((w) => w.close()));
      await queues.close();
      await weekly?.close();
      await optimize?.queue.close();
    },
  };
}

/** The shared minute tick: a job scheduler, so any number of processes share one. */
/** The minute tick: a cron pattern (top of each minute), or `every` ms in tests. */
async function scheduleTick(queues: Queues, bull: QueueKeys, every?: number): Promise<void> {
  await queues.tick.upsertJobScheduler(bull.ids.tickScheduler, tickRepeat(every), {
    name: bull.names.tick,
    opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 50 } },
  });
}

/** What the tick needs from a process's worker settings (also the fan-out bench's tick). */
export function tickDeps(deps: WorkerDeps, queues: Queues): TickDeps {
  return {
    schedule: deps.schedule,
    settings: deps.settings,
    queues,
    platforms: new Set(deps.messengers.keys()),
    learnersPerJob: (p: Platform) => learnersPerJob(limiterRate(learnerLimiter(deps, p))),
    ...(deps.log ? { log: deps.log } : {}),
  };
}

/** The minute tick: one at a time per process. */
function tickWorker(deps: WorkerDeps, queues: Queues, common: Common, clock: Clock): Worker {
  const tick = tickDeps(deps, queues);
  return new Worker(TICK_QUEUE, async () => runTick(tick, clock()), { ...common, concurrency: 1 });
}

/** Deliveries a second on a platform: the override (benchmarks, tests) or its published rate. */
function learnerLimiter(deps: WorkerDeps, platform: Platform): { max: number; duration: number } {
  return deps.limiter ?? deliveryLimiter(deps.rates ?? DEFAULT_RATES, platform);
}

/**
 * One delivery worker per platform with a Messenger here, at that platform's rate. It
 * runs both kinds of job the tick enqueues: `daily` (one learner) and `dailies` (several,
 * where the rate is high enough; jobs/delivery-batch.ts), and paces job starts so the
 * learners a second match the rate.
 */
function deliveryWorkers(deps: WorkerDeps, queues: Queues, common: Common, clock: Clock): Worker[] {
  const processorDeps = {
    app: deps.app,
    settings: deps.settings,
    schedule: deps.schedule,
    messengers: deps.messengers,
    clock,
    ...(deps.log ? { log: deps.log } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  };
  return [...deps.messengers.keys()].map((platform) => {
    // The processor holds the queue back through its own Worker (worker.rateLimit).
    let worker: Worker | undefined;
    const single = deliveryProcessor(processorDeps, () => worker);
    const batch = deliveryBatchProcessor(processorDeps, () => queues.delivery(platform));
    const limiter = learnerLimiter(deps, platform);
    worker = new Worker(
      deliveryQueueName(platform),
      async (job: Job<DeliveryJob | DeliveryBatchJob>, token?: string) =>
        job.name === jobNames.dailyBatch
          ? batch(job as Job<DeliveryBatchJob>)
          : single(job as Job<DeliveryJob>, token),
      {
        ...common,
        concurrency: deps.concurrency ?? 10,
        limiter: jobLimiter(limiter, learnersPerJob(limiterRate(limiter))),
      },
    );
    return worker;
  });
}

/** The optimizer's weekly sweep and fits (jobs/optimize.ts); off: its sweep is removed. */
async function startOptimizer(
  deps: WorkerDeps,
  clock: Clock,
): Promise<{ queue: Queue<OptimizeJob>; worker?: Worker } | undefined> {
  if (!deps.optimizer || !deps.parameters) return undefined;
  const queue = optimizeQueue(deps.connection, deps.prefix, deps.log);
  if (!deps.optimizer.enabled) {
    await queue.removeJobScheduler(jobIds.optimizeScheduler);
    return { queue };
  }
  await scheduleOptimizer(queue);
  const worker = optimizeWorker(
    {
      optimizer: deps.optimizer,
      parameters: deps.parameters,
      teams: deps.teams,
      queue,
      messengers: deps.messengers,
      clock,
      log: deps.log,
    },
    deps.connection,
    deps.prefix,
  );
  return { queue, worker };
}

/** The weekly leaderboard posts. */
function weeklyPoster(
  deps: WorkerDeps,
  teams: TeamStore,
  queue: Queue<WeeklyJob>,
  clock: Clock,
): Worker {
  return weeklyWorker(
    {
      app: deps.app,
      teams,
      queue,
      scheduler: new BullWeeklyScheduler(queue),
      messengers: deps.messengers,
      clock,
      ...(deps.log ? { log: deps.log } : {}),
    },
    deps.connection,
    deps.prefix,
  );
}

function logFailures(w: Worker, log: Logger | undefined): void {
  w.on("failed", (job, err) => {
    log?.warn(
      { queue: w.name, job: job?.id, attempts: job?.attemptsMade, err: err.message },
      "job failed",
    );
  });
  routeErrors(w, `worker ${w.name}`, log);
}
