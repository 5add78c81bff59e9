import { afterAll, describe, expect, it } from "vitest";
import { TICK_PATTERN } from "../../src/jobs/queues.js";
import { startWorkers } from "../../src/jobs/workers.js";
import { createStores } from "../../src/runtime.js";
import { jobIds } from "../../src/store/keys.js";
import { testApp } from "../support/app.js";
import { RecordingMessenger } from "../support/messenger.js";
import { dropPrefix, testRedis } from "../support/redis.js";

const { redis, prefix } = testRedis();

afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe("the tick (issue 16: on the minute)", () => {
  it("is a cron job scheduler whose next run is at second 0 of a minute", async () => {
    const stores = createStores(redis, prefix);
    const workers = await startWorkers({
      connection: redis,
      prefix,
      app: testApp(redis, prefix),
      settings: stores.settings,
      schedule: stores.schedule,
      messengers: new Map([["slack", new RecordingMessenger()]]),
    });
    try {
      const scheduler = await workers.queues.tick.getJobScheduler(jobIds.tickScheduler);
      expect(scheduler?.pattern).toBe(TICK_PATTERN);
      expect(scheduler?.every ?? undefined).toBeUndefined();
      expect(Number(scheduler?.next) % 60_000).toBe(0);
      const [next] = await workers.queues.tick.getDelayed();
      expect(((next?.timestamp ?? 1) + (next?.delay ?? 0)) % 60_000).toBe(0);
    } finally {
      await workers.close();
    }
  });
});
