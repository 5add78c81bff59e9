/**
 * A delivery worker in its own process, for the "kill a worker mid-batch" test. Its
 * messenger records deliveries in a Redis list; with HANG_AFTER=n it hangs forever on
 * every send after the n-th, so the parent can SIGKILL it with jobs in flight.
 */
import type { Messenger } from "../../src/app/messenger.js";
import type { Part } from "../../src/app/reply.js";
import { startWorkers } from "../../src/jobs/workers.js";
import { connectRedis } from "../../src/redis/connect.js";
import { makeKeys } from "../../src/store/keys.js";
import { ScheduleStore } from "../../src/store/schedule.js";
import { SettingsStore } from "../../src/store/settings.js";
import { testApp } from "./app.js";

const url = process.env.REDIS_URL ?? "";
const prefix = process.env.PREFIX ?? "";
const hangAfter = Number(process.env.HANG_AFTER ?? "0");
const now = new Date(process.env.NOW ?? "");
const redis = connectRedis(url);
const keys = makeKeys(prefix);

const messenger: Messenger = {
  platform: "slack",
  async sendDm(learner: string, _parts: Part[]) {
    if (hangAfter > 0 && (await redis.llen(`${prefix}delivered`)) >= hangAfter) {
      await redis.set(`${prefix}hanging`, "1");
      await new Promise(() => {});
    }
    await redis.rpush(`${prefix}delivered`, learner);
  },
  async postToChannel() {},
};

await startWorkers({
  connection: redis,
  prefix,
  app: testApp(redis, prefix),
  settings: new SettingsStore(redis, keys),
  schedule: new ScheduleStore(redis, keys),
  messengers: new Map([["slack", messenger]]),
  clock: () => now,
  lockDuration: 1000,
  stalledInterval: 500,
  limiter: { max: 1000, duration: 1000 },
});
process.stdout.write("ready\n");
