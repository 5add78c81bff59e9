import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/app/types.js";
import { createQueues } from "../../src/jobs/queues.js";
import { runTick } from "../../src/jobs/tick.js";
import { startWorkers } from "../../src/jobs/workers.js";
import { makeKeys } from "../../src/store/keys.js";
import { ScheduleStore } from "../../src/store/schedule.js";
import { SettingsStore } from "../../src/store/settings.js";
import { testApp } from "../support/app.js";
import { useTestRedis } from "../support/redis.js";

const { redis, prefix } = useTestRedis();

const keys = makeKeys(prefix);
const schedule = new ScheduleStore(redis, keys);
const settings = new SettingsStore(redis, keys);
const app = testApp(redis, prefix);
const slackUser: Actor = { learner: "slack:T1:U1", platform: "slack" };
const discordUser: Actor = { learner: "discord:42", platform: "discord" };

describe("issue 12.6: a process never drops learners it cannot serve", () => {
  it("a tick without a messenger for a platform leaves its learners scheduled", async () => {
    const subscribedAt = new Date("2026-03-27T22:00:00Z");
    await app.handleCommand(slackUser, "subscribe 09:00 UTC", subscribedAt);
    await app.handleCommand(discordUser, "subscribe 09:00 UTC", subscribedAt);
    const queues = createQueues(redis, prefix);
    const due = new Date("2026-03-28T09:00:00Z");
    const base = { schedule, settings, queues };
    // No platforms here at all (a `pyjs worker` without tokens): nothing is removed.
    const none = await runTick({ ...base, platforms: new Set() }, due);
    expect(none.dropped).toBe(0);
    expect(await schedule.size()).toBe(2);
    // Slack only: the Slack learner is served, the Discord one left for a Discord process.
    const slackOnly = await runTick({ ...base, platforms: new Set(["slack" as const]) }, due);
    expect(slackOnly).toMatchObject({ enqueued: 1, dropped: 0, left: 1 });
    expect((await schedule.next(discordUser.learner))?.toISOString()).toBe(
      "2026-03-28T09:00:00.000Z",
    );
    expect((await settings.get(discordUser.learner))?.subscribed).toBe(true);
    // A process that has Discord serves them later.
    const discord = await runTick({ ...base, platforms: new Set(["discord" as const]) }, due);
    expect(discord).toMatchObject({ enqueued: 1, dropped: 0 });
    await queues.close();
  });

  it("workers without messengers run no tick and schedule none", async () => {
    const own = `${prefix}w:`;
    const workers = await startWorkers({
      connection: redis,
      prefix: own,
      app,
      settings,
      schedule,
      messengers: new Map(),
      tickEvery: 200,
    });
    expect(workers.workers).toHaveLength(0);
    const schedulers = await workers.queues.tick.getJobSchedulers();
    expect(schedulers).toHaveLength(0);
    await workers.close();
  });
});
