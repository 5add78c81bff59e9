import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { learner as learnerIds } from "../src/core/learner.js";
import { createQueues } from "../src/jobs/queues.js";
import { dailyJobId } from "../src/jobs/tick.js";
import { FakeSlackApi } from "./fakes/slack-api.js";
import { testApp } from "./support/app.js";
import { waitFor } from "./support/messenger.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const { redis, prefix, url } = testRedis();
const fake = new FakeSlackApi();
const children: ChildProcess[] = [];

beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await fake.close();
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** `pyjs start` as a real process, in Slack HTTP mode against the fake Web API. */
function startBot(): { child: ChildProcess; exited: Promise<number | null>; log: () => string } {
  let log = "";
  const child = spawn(process.execPath, ["--import", "tsx", "src/main/cli.ts", "start"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      REDIS_URL: url,
      REDIS_PREFIX: prefix,
      PORT: "0",
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: "test-secret",
      SLACK_API_URL: fake.apiUrl,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  child.stdout?.on("data", (d: Buffer) => {
    log += d;
  });
  child.stderr?.on("data", (d: Buffer) => {
    log += d;
  });
  const exited = new Promise<number | null>((ok) => child.once("exit", (code) => ok(code)));
  return { child, exited, log: () => log };
}

async function inFlightDelivery(user: string): Promise<{ jobId: string }> {
  const learner = learnerIds.slack(fake.team, user);
  await testApp(redis, prefix).handleCommand({ learner, platform: "slack" }, "subscribe 09:00 UTC");
  const date = new Date().toISOString().slice(0, 10);
  const jobId = dailyJobId(learner, date);
  const queues = createQueues(redis, prefix);
  await queues.delivery("slack").add("daily", { learner, date, dueAt: Date.now() }, { jobId });
  await queues.close();
  return { jobId };
}

describe("graceful shutdown", () => {
  it("SIGTERM lets the in-flight delivery finish, leaves no job active, exits 0", {
    timeout: 60_000,
  }, async () => {
    fake.reset();
    fake.delay("chat.postMessage", 1500);
    const bot = startBot();
    const { jobId } = await inFlightDelivery("U1");
    await waitFor(
      () => fake.started.includes("chat.postMessage"),
      "the delivery to be in flight",
      30_000,
    );
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
    expect(bot.log()).toContain("shutting down");
    // Logs never carry the token or the signing secret.
    expect(bot.log()).not.toContain("xoxb-test-token");
    expect(bot.log()).not.toContain("test-secret");
    const queues = createQueues(redis, prefix);
    const q = queues.delivery("slack");
    expect(await q.getJobState(jobId)).toBe("completed");
    expect((await q.getJobCounts("active")).active).toBe(0);
    expect(fake.callsTo("chat.postMessage").length).toBeGreaterThan(0);
    await queues.close();
  });

  it("a second signal forces the exit", { timeout: 60_000 }, async () => {
    fake.reset();
    fake.started.length = 0;
    fake.delay("chat.postMessage", 5000);
    const bot = startBot();
    await inFlightDelivery("U2");
    await waitFor(
      () => fake.started.includes("chat.postMessage"),
      "the delivery to be in flight",
      30_000,
    );
    bot.child.kill("SIGTERM");
    await waitFor(() => bot.log().includes("shutting down"), "the first signal to be handled");
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(130);
  });
});
