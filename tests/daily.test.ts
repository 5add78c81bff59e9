import { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { DeliveryError } from "../src/app/messenger.js";
import type { App } from "../src/app/service.js";
import type { Actor } from "../src/app/types.js";
import { deliver } from "../src/jobs/delivery.js";
import { createQueues, deliveryQueueName } from "../src/jobs/queues.js";
import { dailyJobId, runTick } from "../src/jobs/tick.js";
import { startWorkers } from "../src/jobs/workers.js";
import { connectRedis } from "../src/redis/connect.js";
import { makeKeys } from "../src/store/keys.js";
import { ScheduleStore } from "../src/store/schedule.js";
import { SettingsStore } from "../src/store/settings.js";
import { testApp } from "./support/app.js";
import { RecordingMessenger, waitFor } from "./support/messenger.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const { redis, url } = testRedis();
const conns = [redis];
afterAll(async () => {
  for (const c of conns) c.disconnect();
});

/** A fresh key space for one test: stores, app and queues on it. */
function world(prefix = `d${Math.random().toString(36).slice(2, 8)}:`) {
  const keys = makeKeys(prefix);
  const schedule = new ScheduleStore(redis, keys);
  const settings = new SettingsStore(redis, keys);
  const app = testApp(redis, prefix);
  const cleanup = () => dropPrefix(redis, prefix);
  return { prefix, keys, schedule, settings, app, cleanup };
}

/** What `deliver` needs, on a world's stores, with a recording messenger and a pinned clock. */
function deliveryDeps(w: ReturnType<typeof world>, app: App, m: RecordingMessenger, now: Date) {
  return {
    app,
    settings: w.settings,
    schedule: w.schedule,
    messengers: new Map([["slack", m]]),
    clock: () => now,
  };
}

const slack = (n: number): Actor => ({ learner: `slack:T1:U${n}`, platform: "slack" });

describe("subscriptions and the tick", () => {
  it.each([
    ["UTC", "2026-03-28T09:00:00.000Z", "2026-03-29T09:00:00.000Z"],
    ["Europe/Berlin", "2026-03-28T08:00:00.000Z", "2026-03-29T07:00:00.000Z"],
    ["America/New_York", "2026-03-28T13:00:00.000Z", "2026-03-29T13:00:00.000Z"],
    ["Asia/Kolkata", "2026-03-28T03:30:00.000Z", "2026-03-29T03:30:00.000Z"],
    ["Pacific/Auckland", "2026-03-28T20:00:00.000Z", "2026-03-29T20:00:00.000Z"],
  ])(
    "%s: delivered at the right UTC instant, then moved to the next local 09:00",
    async (tz, first, second) => {
      const w = world();
      const queues = createQueues(redis, w.prefix);
      const actor = slack(1);
      // Subscribed on Friday 27 March 2026, 22:00 UTC.
      await w.app.handleCommand(actor, `subscribe 09:00 ${tz}`, new Date("2026-03-27T22:00:00Z"));
      expect((await w.schedule.next(actor.learner))?.toISOString()).toBe(first);
      const deps = {
        schedule: w.schedule,
        settings: w.settings,
        queues,
        platforms: new Set(["slack" as const]),
      };
      // A minute before: nothing. At the instant: one job, and the learner moves on.
      expect(await runTick(deps, new Date(new Date(first).getTime() - 60_000))).toEqual({
        enqueued: 0,
        dropped: 0,
      });
      expect(await runTick(deps, new Date(first))).toEqual({ enqueued: 1, dropped: 0 });
      expect((await w.schedule.next(actor.learner))?.toISOString()).toBe(second);
      const q = queues.delivery("slack");
      const localDay = tz === "Pacific/Auckland" ? "2026-03-29" : "2026-03-28";
      expect(await q.getJob(dailyJobId(actor.learner, localDay))).toBeDefined();
      await queues.close();
      await w.cleanup();
    },
  );

  it("two tick processes racing enqueue exactly one job per learner per day", async () => {
    const w = world();
    const other = connectRedis(url);
    conns.push(other);
    const qa = createQueues(redis, w.prefix);
    const qb = createQueues(other, w.prefix);
    const at = new Date("2026-06-01T07:00:00Z");
    for (let i = 0; i < 300; i++) {
      await w.app.handleCommand(
        slack(i),
        "subscribe 09:00 Europe/Berlin",
        new Date("2026-05-31T12:00:00Z"),
      );
    }
    const deps = (queues: typeof qa, s: ScheduleStore) => ({
      schedule: s,
      settings: w.settings,
      queues,
      platforms: new Set(["slack" as const]),
      batchSize: 50,
    });
    const results = await Promise.all([
      runTick(deps(qa, w.schedule), at),
      runTick(deps(qb, new ScheduleStore(other, w.keys)), at),
      runTick(deps(qa, w.schedule), at),
    ]);
    expect(results.reduce((n, r) => n + r.enqueued, 0)).toBeGreaterThanOrEqual(300);
    const counts = await qa
      .delivery("slack")
      .getJobCounts("waiting", "active", "delayed", "completed");
    expect(counts.waiting).toBe(300);
    // Every learner now waits for tomorrow 09:00 Berlin, none is left due.
    expect(await w.schedule.due(at, 10)).toEqual([]);
    expect((await w.schedule.next(slack(7).learner))?.toISOString()).toBe(
      "2026-06-02T07:00:00.000Z",
    );
    await qa.close();
    await qb.close();
    await w.cleanup();
  });

  it("an unsubscribed or paused learner leaves the schedule and gets nothing", async () => {
    const w = world();
    const queues = createQueues(redis, w.prefix);
    const now = new Date("2026-06-01T12:00:00Z");
    await w.app.handleCommand(slack(1), "subscribe 09:00 UTC", now);
    await w.app.handleCommand(slack(2), "subscribe 09:00 UTC", now);
    await w.app.handleCommand(slack(1), "unsubscribe", now);
    await w.app.handleCommand(slack(2), "pause", now);
    expect(await w.schedule.size()).toBe(0);
    await w.app.handleCommand(slack(2), "resume", now);
    expect((await w.schedule.next(slack(2).learner))?.toISOString()).toBe(
      "2026-06-02T09:00:00.000Z",
    );
    await queues.close();
    await w.cleanup();
  });
});

describe("delivery", () => {
  it("sends a greeting and the first question; a second run the same day sends nothing", async () => {
    const w = world();
    const m = new RecordingMessenger();
    const now = new Date("2026-06-01T09:00:00Z");
    await w.app.handleCommand(slack(1), "subscribe 09:00 UTC", new Date("2026-05-31T12:00:00Z"));
    const deps = deliveryDeps(w, w.app, m, now);
    expect(
      await deliver(deps, { learner: slack(1).learner, date: "2026-06-01", dueAt: now.getTime() }),
    ).toBe("sent");
    expect(
      await deliver(deps, { learner: slack(1).learner, date: "2026-06-01", dueAt: now.getTime() }),
    ).toBe("already-sent");
    expect(m.dms).toHaveLength(1);
    expect(m.dms[0]?.parts.map((p) => p.kind)).toEqual(["greeting", "question"]);
    expect(m.dms[0]?.parts[0]).toEqual({
      kind: "greeting",
      greeting: { due: 0, fresh: 5, unfinishedYesterday: false },
    });
    // The next day, yesterday's untouched session is mentioned once.
    const tomorrow = new Date("2026-06-02T09:00:00Z");
    await deliver(
      { ...deps, clock: () => tomorrow },
      { learner: slack(1).learner, date: "2026-06-02", dueAt: tomorrow.getTime() },
    );
    expect(m.dms[1]?.parts[0]).toMatchObject({ greeting: { unfinishedYesterday: true } });
    await w.cleanup();
  });

  it("sends nothing when nothing is due and no new card is left", async () => {
    const w = world();
    const app = testApp(redis, w.prefix, { limits: { newPerDay: 0, maxReviewsPerDay: 50 } });
    const m = new RecordingMessenger();
    const now = new Date("2026-06-01T09:00:00Z");
    await app.handleCommand(slack(1), "subscribe 09:00 UTC", now);
    const deps = deliveryDeps(w, app, m, now);
    expect(
      await deliver(deps, { learner: slack(1).learner, date: "2026-06-01", dueAt: now.getTime() }),
    ).toBe("nothing-due");
    expect(m.dms).toHaveLength(0);
    await w.cleanup();
  });

  it("a permanent error pauses the subscription and is not retried; a transient one is", async () => {
    const w = world();
    const m = new RecordingMessenger();
    const now = new Date("2026-06-01T09:00:00Z");
    await w.app.handleCommand(slack(1), "subscribe 09:00 UTC", new Date("2026-05-31T12:00:00Z"));
    await w.app.handleCommand(slack(2), "subscribe 09:00 UTC", new Date("2026-05-31T12:00:00Z"));
    let transientFailures = 2;
    m.fail = (learner) => {
      if (learner === slack(1).learner)
        return new DeliveryError("cannot_dm_user", true, "cannot_dm_user");
      if (transientFailures-- > 0) return new DeliveryError("ratelimited", false, "ratelimited");
      return undefined;
    };
    const workers = await startWorkers({
      connection: redis,
      prefix: w.prefix,
      app: w.app,
      settings: w.settings,
      schedule: w.schedule,
      messengers: new Map([["slack", m]]),
      clock: () => now,
      tickEvery: 60_000,
    });
    const q = workers.queues.delivery("slack");
    await q.addBulk(
      [1, 2].map((n) => ({
        name: "daily",
        data: { learner: slack(n).learner, date: "2026-06-01", dueAt: now.getTime() },
        opts: {
          jobId: dailyJobId(slack(n).learner, "2026-06-01"),
          backoff: { type: "fixed", delay: 10 },
        },
      })),
    );
    await waitFor(
      async () => (await q.getJobCounts("completed", "failed")).completed === 1,
      "the transient job to succeed",
    );
    await waitFor(
      async () => (await q.getJobCounts("failed")).failed === 1,
      "the permanent job to fail",
    );
    const failed = await q.getJob(dailyJobId(slack(1).learner, "2026-06-01"));
    expect(failed?.attemptsMade).toBe(1);
    expect(await w.settings.get(slack(1).learner)).toMatchObject({
      paused: true,
      pausedReason: "cannot_dm_user",
    });
    expect(await w.schedule.next(slack(1).learner)).toBeUndefined();
    const ok = await q.getJob(dailyJobId(slack(2).learner, "2026-06-01"));
    expect(ok?.attemptsMade).toBe(3);
    expect(m.sentTo(slack(2).learner)).toBe(1);
    await workers.close();
    await w.cleanup();
  });

  it("graceful shutdown finishes the in-flight delivery and leaves no job active", async () => {
    const w = world();
    const m = new RecordingMessenger();
    m.delayMs = 400;
    const now = new Date("2026-06-01T09:00:00Z");
    await w.app.handleCommand(slack(1), "subscribe 09:00 UTC", new Date("2026-05-31T12:00:00Z"));
    const workers = await startWorkers({
      connection: redis,
      prefix: w.prefix,
      app: w.app,
      settings: w.settings,
      schedule: w.schedule,
      messengers: new Map([["slack", m]]),
      clock: () => now,
    });
    const q = workers.queues.delivery("slack");
    await q.add(
      "daily",
      { learner: slack(1).learner, date: "2026-06-01", dueAt: now.getTime() },
      { jobId: dailyJobId(slack(1).learner, "2026-06-01") },
    );
    await waitFor(async () => (await q.getJobCounts("active")).active === 1, "the job to start");
    await workers.close();
    const probe = new Queue(deliveryQueueName("slack"), {
      connection: redis,
      prefix: makeKeys(w.prefix).bull.prefix,
    });
    expect(await probe.getJobCounts("active", "completed")).toEqual({ active: 0, completed: 1 });
    expect(m.dms).toHaveLength(1);
    await probe.close();
    await w.cleanup();
  });
});
