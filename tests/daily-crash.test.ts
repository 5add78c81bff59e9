import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { Actor } from "../src/app/types.js";
import { createQueues } from "../src/jobs/queues.js";
import { runTick } from "../src/jobs/tick.js";
import { makeKeys } from "../src/store/keys.js";
import { ScheduleStore } from "../src/store/schedule.js";
import { SettingsStore } from "../src/store/settings.js";
import { testApp } from "./support/app.js";
import { waitFor } from "./support/messenger.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const { redis, prefix, url } = testRedis();
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SCRIPT = fileURLToPath(new URL("./support/worker-process.ts", import.meta.url));

function worker(env: Record<string, string>): ChildProcess {
  // `node --import tsx` runs the script in this one process (the tsx CLI would fork a
  // grandchild that survives SIGKILL of its parent and keeps the job locks alive).
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: url, PREFIX: prefix, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return child;
}

describe("exactly one delivery per learner per day", () => {
  it("survives a worker killed mid-batch and restarted", { timeout: 90_000 }, async () => {
    const keys = makeKeys(prefix);
    const app = testApp(redis, prefix);
    const schedule = new ScheduleStore(redis, keys);
    const settings = new SettingsStore(redis, keys);
    const learners: Actor[] = Array.from({ length: 30 }, (_, i) => ({
      learner: `slack:T9:U${i}`,
      platform: "slack",
    }));
    for (const a of learners)
      await app.handleCommand(a, "subscribe 09:00 UTC", new Date("2026-07-01T12:00:00Z"));
    const due = new Date("2026-07-02T09:00:00Z");
    const queues = createQueues(redis, prefix);
    await runTick({ schedule, settings, queues, platforms: new Set(["slack"]) }, due);

    const first = worker({ HANG_AFTER: "8", NOW: due.toISOString() });
    await waitFor(
      async () => (await redis.get(`${prefix}hanging`)) === "1",
      "the first worker to hang mid-batch",
      30_000,
    );
    const active = (await queues.delivery("slack").getJobCounts("active")).active;
    expect(active).toBeGreaterThan(0);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));

    worker({ NOW: due.toISOString() });
    await waitFor(
      async () => (await queues.delivery("slack").getJobCounts("completed")).completed === 30,
      "every job to complete after the restart",
      30_000,
    );
    const delivered = await redis.lrange(`${prefix}delivered`, 0, -1);
    expect(delivered.sort()).toEqual(learners.map((l) => l.learner).sort());
    await queues.close();
  });
});
