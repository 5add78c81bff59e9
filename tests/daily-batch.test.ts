import type { Job } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { DeliveryError } from "../src/app/messenger.js";
import type { Actor } from "../src/app/types.js";
import { DEFAULT_RATES, learnersPerJob } from "../src/core/rate-limits.js";
import { RateLimitedError } from "../src/errors.js";
import { deliveryBatchProcessor } from "../src/jobs/delivery-batch.js";
import {
  createQueues,
  type DeliveryBatchJob,
  deliveryLimiter,
  jobLimiter,
  limiterRate,
} from "../src/jobs/queues.js";
import { deliveryJobs, runTick } from "../src/jobs/tick.js";
import { startWorkers } from "../src/jobs/workers.js";
import { jobIds, jobNames, makeKeys } from "../src/store/keys.js";
import { ScheduleStore } from "../src/store/schedule.js";
import { SettingsStore } from "../src/store/settings.js";
import { testApp } from "./support/app.js";
import { RecordingMessenger, waitFor } from "./support/messenger.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const { redis } = testRedis();
afterAll(() => redis.disconnect());

function world() {
  const prefix = `db${Math.random().toString(36).slice(2, 8)}:`;
  const keys = makeKeys(prefix);
  return {
    prefix,
    keys,
    schedule: new ScheduleStore(redis, keys),
    settings: new SettingsStore(redis, keys),
    app: testApp(redis, prefix),
    cleanup: () => dropPrefix(redis, prefix),
  };
}

const slack = (n: number): Actor => ({ learner: `slack:T1:U${n}`, platform: "slack" });
const NOW = new Date("2026-06-01T09:00:00Z");
const DATE = "2026-06-01";

async function subscribe(w: ReturnType<typeof world>, n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await w.app.handleCommand(slack(i), "subscribe 09:00 UTC", new Date("2026-05-31T12:00:00Z"));
}

describe("learners per delivery job", () => {
  it("is one at the platforms' published rates, and groups only where thousands a second are allowed", () => {
    for (const platform of ["slack", "discord"] as const) {
      const limiter = deliveryLimiter(DEFAULT_RATES, platform);
      expect(learnersPerJob(limiterRate(limiter))).toBe(1);
      expect(jobLimiter(limiter, 1)).toEqual(limiter);
    }
    expect(learnersPerJob(1000)).toBe(10);
    expect(learnersPerJob(1_000_000)).toBe(50);
    // The same learners a second, counted in jobs of ten.
    expect(jobLimiter({ max: 1000, duration: 1000 }, 10)).toEqual({ max: 100, duration: 1000 });
  });

  it("the tick groups due learners ten to a job; the same group enqueued twice is one job", async () => {
    const w = world();
    const queues = createQueues(redis, w.prefix);
    await subscribe(w, 25);
    const deps = {
      schedule: w.schedule,
      settings: w.settings,
      queues,
      platforms: new Set(["slack" as const]),
      learnersPerJob: () => 10,
    };
    // The schedule before the tick, to play a crash after enqueueing, before it moved on.
    const before = await redis.zrange(w.keys.schedule, "0", "-1", "WITHSCORES");
    expect(await runTick(deps, NOW)).toEqual({ enqueued: 25, dropped: 0 });
    const q = queues.delivery("slack");
    const jobs = (await q.getJobs(["waiting"])) as Job<DeliveryBatchJob>[];
    expect(jobs.map((j) => j.name)).toEqual(Array(3).fill(jobNames.dailyBatch));
    const learners = jobs.flatMap((j) => j.data.learners);
    expect(new Set(learners.map((l) => l.learner)).size).toBe(25);
    expect(learners.every((l) => l.date === DATE)).toBe(true);
    // The tick runs again over the same due learners: the same groups, the same 3 jobs.
    const pairs: string[] = [];
    for (let i = 0; i < before.length; i += 2)
      pairs.push(before[i + 1] as string, before[i] as string);
    await redis.zadd(w.keys.schedule, ...pairs);
    expect(await runTick(deps, NOW)).toEqual({ enqueued: 25, dropped: 0 });
    expect(await q.getJobCountByTypes("waiting")).toBe(3);
    await queues.close();
    await w.cleanup();
  });
});

describe("a group of deliveries (dailies job)", () => {
  it("sends each learner once; a passing failure is retried alone, a refused DM pauses only that learner, a rate limit hands the rest to single jobs", async () => {
    const w = world();
    await subscribe(w, 24);
    const m = new RecordingMessenger();
    const failOnce = new Set([slack(2).learner, slack(15).learner]);
    m.fail = (learner) => {
      if (learner === slack(1).learner)
        return new DeliveryError("cannot_dm_user", true, "cannot_dm_user");
      if (!failOnce.delete(learner)) return undefined;
      return learner === slack(2).learner
        ? new DeliveryError("socket hang up", false)
        : new RateLimitedError(300, true, true, "chat.postMessage");
    };
    const workers = await startWorkers({
      connection: redis,
      prefix: w.prefix,
      app: w.app,
      settings: w.settings,
      schedule: w.schedule,
      messengers: new Map([["slack", m]]),
      clock: () => NOW,
      tickEvery: 3_600_000,
      // 1,000 a second: ten learners a job.
      limiter: { max: 1000, duration: 1000 },
    });
    const q = workers.queues.delivery("slack");
    const tick = await runTick(
      {
        schedule: w.schedule,
        settings: w.settings,
        queues: workers.queues,
        platforms: new Set(["slack"]),
        learnersPerJob: () => learnersPerJob(1000),
      },
      NOW,
    );
    expect(tick.enqueued).toBe(24);
    await waitFor(() => m.dms.length === 23, "23 learners to get their DM", 30_000);
    for (let i = 0; i < 24; i++) expect(m.sentTo(slack(i).learner)).toBe(i === 1 ? 0 : 1);
    expect(await w.settings.get(slack(1).learner)).toMatchObject({
      paused: true,
      pausedReason: "cannot_dm_user",
    });
    // The one that failed in passing was retried as its own `daily` job.
    const alone = await q.getJob(jobIds.daily(slack(2).learner, DATE));
    expect(alone?.name).toBe(jobNames.daily);
    await waitFor(
      async () => (await q.getJobCounts("waiting", "delayed", "active")).active === 0,
      "the queue to settle",
    );
    expect(await q.getJobCounts("waiting", "delayed", "failed")).toEqual({
      waiting: 0,
      delayed: 0,
      failed: 0,
    });
    await workers.close();
    await w.cleanup();
  });

  it("run again after a crash, sends nobody twice", async () => {
    const w = world();
    await subscribe(w, 6);
    const m = new RecordingMessenger();
    const queues = createQueues(redis, w.prefix);
    const q = queues.delivery("slack");
    const learners = Array.from({ length: 6 }, (_, i) => ({
      learner: slack(i).learner,
      date: DATE,
      dueAt: NOW.getTime(),
    }));
    const [spec] = deliveryJobs("slack", learners, 10);
    if (!spec) throw new Error("no job");
    await q.add(spec.name, spec.data, spec.opts);
    const job = (await q.getJobs(["waiting"]))[0] as Job<DeliveryBatchJob>;
    const run = deliveryBatchProcessor(
      {
        app: w.app,
        settings: w.settings,
        schedule: w.schedule,
        messengers: new Map([["slack", m]]),
        clock: () => NOW,
      },
      () => q,
    );
    expect(await run(job)).toEqual({ sent: 6 });
    // BullMQ runs a stalled job again from the start: everyone was already sent.
    expect(await run(job)).toEqual({ "already-sent": 6 });
    expect(m.dms).toHaveLength(6);
    await queues.close();
    await w.cleanup();
  });
});
