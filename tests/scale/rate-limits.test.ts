import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiscord } from "../../adapters/discord/index.js";
import { createSlack } from "../../adapters/slack/index.js";
import type { Messenger } from "../../src/app/messenger.js";
import type { Platform } from "../../src/app/types.js";
import { loadConfig } from "../../src/config.js";
import { learner as learnerId } from "../../src/core/learner.js";
import { createQueues, DELIVERY_JOB_OPTIONS } from "../../src/jobs/queues.js";
import { startWorkers } from "../../src/jobs/workers.js";
import { createMetrics, type Metrics } from "../../src/metrics.js";
import { createStores } from "../../src/runtime.js";
import { jobIds, jobNames, makeKeys } from "../../src/store/keys.js";
import { RateBudget } from "../../src/store/rate-budget.js";
import { FakeDiscord, until } from "../fakes/discord.js";
import { FakeSlackApi, slackLimits } from "../fakes/slack-api.js";
import { maxInWindow } from "../fakes/windows.js";
import { testApp } from "../support/app.js";
import { dropPrefix, testRedis } from "../support/redis.js";

/**
 * Issue 16: platform rate limits held across processes. A 429 puts the delivery back
 * for Retry-After (not failed, not early, sent once) and is counted in /metrics; three
 * `pyjs worker` processes against the rate-limiting fakes stay under the limits together
 * and deliver every learner exactly once.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const log = pino({ level: "silent" });
const { redis, prefix, url } = testRedis();
const app = testApp(redis, prefix);
const stores = createStores(redis, prefix);
const keys = makeKeys(prefix);
const today = () => new Date().toISOString().slice(0, 10);

afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

async function subscribe(learner: string): Promise<void> {
  await stores.settings.update(learner, { subscribed: true, tz: "UTC", time: "09:00" });
}

/** Enqueues today's delivery for each learner, as the tick does. */
async function enqueue(queuePrefix: string, platform: Platform, learners: string[]) {
  const queues = createQueues(redis, queuePrefix);
  const date = today();
  await queues.delivery(platform).addBulk(
    learners.map((learner) => ({
      name: jobNames.daily,
      data: { learner, date, dueAt: Date.now() },
      opts: { ...DELIVERY_JOB_OPTIONS, jobId: jobIds.daily(learner, date) },
    })),
  );
  return queues;
}

/** Runs the delivery workers in this process with `messenger`, until `done` holds. */
async function deliverWith(messenger: Messenger, learners: string[], done: () => boolean) {
  const workers = await startWorkers({
    connection: redis,
    prefix,
    app,
    settings: stores.settings,
    schedule: stores.schedule,
    messengers: new Map([[messenger.platform, messenger]]),
  });
  const queues = await enqueue(prefix, messenger.platform, learners);
  await until(done, "deliveries", 30_000);
  const date = today();
  const jobs = await Promise.all(
    learners.map((l) => queues.delivery(messenger.platform).getJob(jobIds.daily(l, date))),
  );
  await until(async () => {
    const states = await Promise.all(jobs.map((j) => j?.getState()));
    return states.every((s) => s === "completed");
  }, "jobs completed");
  await workers.close();
  await queues.close();
  return Promise.all(
    learners.map((l) => queues.delivery(messenger.platform).getJob(jobIds.daily(l, date))),
  );
}

const metricLine = async (metrics: Metrics, platform: string, method: string) =>
  (await metrics.registry.metrics())
    .split("\n")
    .find((l) =>
      l.startsWith(`pyjs_platform_429_total{platform="${platform}",method="${method}"}`),
    );

describe("a 429 puts the delivery back for Retry-After", () => {
  it("Slack: HTTP 429 with Retry-After: 1 -> delayed, then sent once; counted", async () => {
    const fake = await new FakeSlackApi().start();
    const metrics = createMetrics({ defaults: false });
    const env = loadConfig({
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: fake.apiUrl,
    });
    const budget = new RateBudget(redis, keys);
    const slack = await createSlack({
      env,
      app,
      log,
      metrics,
      budget,
      retryConfig: { retries: 0 },
    });
    const learner = learnerId.slack(fake.team, "U0LIMIT1");
    await subscribe(learner);
    fake.rateLimit("chat.postMessage", 1, 1);
    const [job] = await deliverWith(slack.messenger, [learner], () =>
      fake.callsTo("chat.postMessage").some((c) => c.result.ok),
    );
    const posts = fake.callsTo("chat.postMessage");
    expect(posts.map((c) => c.result.status ?? 200)).toEqual([429, 200]);
    // The second try came after Retry-After, by the fake's own record.
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect([...fake.messages.values()].filter((m) => m.channel === "DU0LIMIT1")).toHaveLength(1);
    expect(job?.returnvalue).toBe("sent");
    expect(job?.failedReason).toBeFalsy();
    expect(await metricLine(metrics, "slack", "chat.postMessage")).toMatch(/ 1$/);
    await fake.close();
  });

  it("Discord: global 429 with retry_after -> delayed, then sent once; counted", async () => {
    const fake = await FakeDiscord.start();
    const metrics = createMetrics({ defaults: false });
    const budget = new RateBudget(redis, keys);
    const discord = await createDiscord({
      env: {
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
      },
      app,
      log,
      metrics,
      budget,
    });
    const user = fake.user("lin");
    const learner = learnerId.discord(user.id);
    await subscribe(learner);
    fake.rateLimit("POST /channels", 1, { retryAfter: 1, global: true });
    const sent = () =>
      fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/messages"));
    const [job] = await deliverWith(discord.messenger, [learner], () =>
      sent().some((r) => r.status === 200),
    );
    expect(sent().map((r) => r.status)).toEqual([429, 200]);
    expect((sent()[1]?.at ?? 0) - (sent()[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(fake.created(fake.dmChannel(user))).toHaveLength(1);
    expect(job?.returnvalue).toBe("sent");
    expect(await metricLine(metrics, "discord", "POST /channels/:id/messages")).toMatch(/ 1$/);
    await fake.close();
  });
});

/** `pyjs worker` from the sources, as a real process; resolves once it says it runs. */
async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main/cli.ts", "worker"], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "info", NODE_ENV: "production", PORT: "0", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d;
  });
  await until(() => stderr.includes("pyjs worker is running"), "a worker to start", 60_000);
  return child;
}

describe("three `pyjs worker` processes share one budget", () => {
  const children: ChildProcess[] = [];
  let slack: FakeSlackApi;
  let discord: FakeDiscord;
  // Small limits keep the test short; the fakes enforce exactly what pyjs is told.
  const SLACK_PER_SECOND = 5;
  const DISCORD_PER_SECOND = 10;
  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    discord = await FakeDiscord.start();
  });
  afterAll(async () => {
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map((c) => new Promise((ok) => c.once("exit", ok))));
    await slack.close();
    await discord.close();
  });

  it("no window over the limit, every learner delivered exactly once", {
    timeout: 180_000,
  }, async () => {
    slack.enforceLimits(slackLimits(SLACK_PER_SECOND));
    discord.enforceLimits({
      globalPerSecond: DISCORD_PER_SECOND,
      channelMessages: { limit: 5, ms: 5000 },
    });
    const env = {
      REDIS_URL: url,
      REDIS_PREFIX: prefix,
      SLACK_BOT_TOKEN: "xoxb-three",
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: slack.apiUrl,
      SLACK_MESSAGES_PER_SECOND: String(SLACK_PER_SECOND),
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_REQUESTS_PER_SECOND: String(DISCORD_PER_SECOND),
      // This machine runs the fakes, three workers and other suites at once: requests
      // granted 1 s apart can arrive a few hundred ms closer together.
      PYJS_RATE_MARGIN_MS: "500",
    };
    for (let i = 0; i < 3; i++) children.push(await startWorker(env));

    const slackLearners = Array.from({ length: 30 }, (_, i) =>
      learnerId.slack(slack.team, `U0THREE${i}`),
    );
    const users = Array.from({ length: 30 }, (_, i) => discord.user(`three${i}`));
    const discordLearners = users.map((u) => learnerId.discord(u.id));
    for (const l of [...slackLearners, ...discordLearners]) await subscribe(l);
    const slackQueues = await enqueue(prefix, "slack", slackLearners);
    const discordQueues = await enqueue(prefix, "discord", discordLearners);

    const slackPosts = () => slack.callsTo("chat.postMessage").filter((c) => c.result.ok);
    const discordPosts = () =>
      discord.requests.filter(
        (r) => r.method === "POST" && r.path.endsWith("/messages") && r.status === 200,
      );
    await until(
      () => slackPosts().length >= 30 && discordPosts().length >= 30,
      "every delivery",
      120_000,
    );
    const date = today();
    await until(async () => {
      const sent = await Promise.all(
        [...slackLearners, ...discordLearners].map((l) => redis.exists(keys.sent(l, date))),
      );
      return sent.every((n) => n === 1);
    }, "sent markers");

    // Slack: no call refused, no window over a limit (all calls, from the fake's record).
    const times = (method: string) => slack.callsTo(method).map((c) => c.at ?? 0);
    // (On failure: each refused call with the gaps, in ms, back to the calls before it.)
    const before = (at: number) =>
      times("chat.postMessage")
        .filter((t) => t < at && t > at - 1000)
        .map((t) => Math.round(at - t));
    expect(slack.limited.map((c) => ({ method: c.method, gaps: before(c.at ?? 0) }))).toEqual([]);
    expect(maxInWindow(times("chat.postMessage"), 1000)).toBeLessThanOrEqual(SLACK_PER_SECOND);
    expect(maxInWindow(times("conversations.open"), 60_000)).toBeLessThanOrEqual(50);
    // The budget was what paced them: 30 messages at 5/s cannot fit in fewer windows.
    expect(maxInWindow(times("chat.postMessage"), 1000)).toBeGreaterThanOrEqual(3);
    // Exactly once each.
    const perChannel = new Map<string, number>();
    for (const c of slackPosts()) {
      const ch = String(c.body.channel);
      perChannel.set(ch, (perChannel.get(ch) ?? 0) + 1);
    }
    expect(perChannel.size).toBe(30);
    expect([...perChannel.values()].every((n) => n === 1)).toBe(true);

    // Discord: the global limit across the three processes, and once per user.
    const bot = discord.requests.filter((r) => !r.path.startsWith("/interactions/"));
    expect(discord.limited).toHaveLength(0);
    expect(
      maxInWindow(
        bot.map((r) => r.at ?? 0),
        1000,
      ),
    ).toBeLessThanOrEqual(DISCORD_PER_SECOND);
    for (const u of users) expect(discord.created(discord.dmChannel(u))).toHaveLength(1);

    await slackQueues.close();
    await discordQueues.close();
  });
});
