import { type Job, Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Messenger } from "../app/messenger.js";
import { fitMessage, type Optimizer } from "../app/optimizer.js";
import type { Platform } from "../app/types.js";
import type { Clock } from "../core/clock.js";
import { isoWeek } from "../core/scoring.js";
import { type Logger, routeErrors } from "../logger.js";
import { OptimizerUnavailableError } from "../optimizer/binding.js";
import { jobIds, jobNames, QueueKeys, queueNames } from "../store/keys.js";
import type { ParameterStore } from "../store/parameters.js";
import type { TeamStore } from "../store/teams.js";

/**
 * The FSRS optimizer's jobs, on their own queue so a long fit never delays a delivery:
 * a weekly sweep (a job scheduler, cron below, UTC) enqueues one fit per learner whose
 * log grew since their last fit and one prior per team with such a learner; `optimize`
 * enqueues one learner's fit with `notify`, whose result goes to their DMs. One fit at
 * a time per process: fitting is CPU-bound.
 */
export const OPTIMIZE_PATTERN = "0 3 * * 1";

/** Learner ids one team-prior job carries (the most a prior pools from). */
const MAX_TEAM_LEARNERS = 2_000;

export type OptimizeJob =
  | { kind: "sweep" }
  | { kind: "learner"; learner: string; notify?: Platform | undefined }
  | { kind: "team"; tenant: string; learners: string[] };

export function optimizeQueue(connection: Redis, prefix: string, log?: Logger): Queue<OptimizeJob> {
  const queue = new Queue<OptimizeJob>(queueNames.optimize, {
    connection,
    prefix: new QueueKeys(prefix).prefix,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: "exponential", delay: 60_000 },
      removeOnComplete: { age: 7 * 86_400, count: 1000 },
      removeOnFail: { age: 30 * 86_400, count: 1000 },
    },
  });
  routeErrors(queue, "queue optimize", log);
  return queue;
}

/** Registers the weekly sweep (idempotent: every process upserts the same scheduler). */
export async function scheduleOptimizer(queue: Queue<OptimizeJob>): Promise<void> {
  await queue.upsertJobScheduler(
    jobIds.optimizeScheduler,
    { pattern: OPTIMIZE_PATTERN, tz: "UTC" },
    { name: jobNames.optimizeSweep, data: { kind: "sweep" } },
  );
}

/** `optimize` from a chat: one learner's fit now, the result sent to their DMs. */
export class BullOptimizeRequests {
  constructor(private readonly queue: Queue<OptimizeJob>) {}

  async request(learner: string, platform: Platform, now: Date): Promise<void> {
    await this.queue.add(
      jobNames.fitLearner,
      { kind: "learner", learner, notify: platform },
      // One job per learner and minute: a repeated `optimize` joins the queued fit.
      { jobId: jobIds.fitLearner(learner, `now-${Math.floor(now.getTime() / 60_000)}`) },
    );
  }
}

export interface OptimizeDeps {
  optimizer: Optimizer;
  parameters: ParameterStore;
  teams?: TeamStore | undefined;
  queue: Queue<OptimizeJob>;
  messengers: ReadonlyMap<string, Messenger>;
  clock: Clock;
  log?: Logger | undefined;
}

/** Enqueues the week's fits: learners whose log grew, and the teams they belong to. */
export async function sweep(
  deps: OptimizeDeps,
  now: Date,
): Promise<{ learners: number; teams: number }> {
  const week = isoWeek(now, "UTC");
  const members = new Map<string, string[]>();
  const changedTeams = new Set<string>();
  let learners = 0;
  for (const learner of await deps.parameters.learners()) {
    const [p, tenants] = await Promise.all([
      deps.parameters.progress(learner),
      deps.teams?.tenantsOf(learner) ?? [],
    ]);
    if (p.length === 0) continue;
    for (const t of tenants) members.set(t, [...(members.get(t) ?? []), learner]);
    if (p.length <= p.seen) continue;
    for (const t of tenants) changedTeams.add(t);
    learners++;
    await deps.queue.add(
      jobNames.fitLearner,
      { kind: "learner", learner },
      { jobId: jobIds.fitLearner(learner, week) },
    );
  }
  for (const tenant of changedTeams) {
    const list = (members.get(tenant) ?? []).slice(0, MAX_TEAM_LEARNERS);
    await deps.queue.add(
      jobNames.fitTeam,
      { kind: "team", tenant, learners: list },
      { jobId: jobIds.fitTeam(tenant, week) },
    );
  }
  return { learners, teams: changedTeams.size };
}

export async function processOptimize(deps: OptimizeDeps, job: Job<OptimizeJob>): Promise<string> {
  const now = deps.clock();
  const data = job.data;
  if (data.kind === "sweep") {
    const n = await sweep(deps, now);
    return `enqueued ${n.learners} learner fits, ${n.teams} team priors`;
  }
  if (data.kind === "team") {
    return (await deps.optimizer.fitTeam(data.tenant, data.learners, now)).status;
  }
  const fit = await deps.optimizer.fitLearner(data.learner, now);
  const messenger = data.notify ? deps.messengers.get(data.notify) : undefined;
  if (messenger) await messenger.sendDm(data.learner, [{ kind: "text", text: fitMessage(fit) }]);
  return fit.status;
}

/** A platform without the optimizer's build fails the job for good (no retries). */
async function runJob(deps: OptimizeDeps, job: Job<OptimizeJob>): Promise<string> {
  try {
    return await processOptimize(deps, job);
  } catch (err) {
    if (err instanceof OptimizerUnavailableError) throw new UnrecoverableError(err.message);
    throw err;
  }
}

export function optimizeWorker(deps: OptimizeDeps, connection: Redis, prefix: string): Worker {
  return new Worker<OptimizeJob>(queueNames.optimize, (job) => runJob(deps, job), {
    connection,
    prefix: new QueueKeys(prefix).prefix,
    concurrency: 1,
    // A fit of 20,000 reviews takes seconds; the lock outlives it with room to spare.
    lockDuration: 5 * 60_000,
  });
}
