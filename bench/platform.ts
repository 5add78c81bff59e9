import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Redis } from "ioredis";
import type { Platform } from "../src/app/types.js";
import type { Deck } from "../src/core/deck.js";
import { learner as learnerId } from "../src/core/learner.js";
import { createQueues, DELIVERY_JOB_OPTIONS } from "../src/jobs/queues.js";
import { connectRedis } from "../src/redis/connect.js";
import { jobIds, jobNames, makeKeys } from "../src/store/keys.js";
import { FakeDiscord } from "../tests/fakes/discord.js";
import { FakeSlackApi, slackLimits } from "../tests/fakes/slack-api.js";
import { track } from "./children.js";
import {
  slackLearner,
  statePool,
  statesFor,
  subscribedSettings,
  writeLearner,
} from "./fixtures.js";
import { fmt, progress, Table } from "./report.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** One platform-limited run: who, how many, and what the fake saw. */
interface Run {
  platform: Platform;
  /** 1: no DM channel stored yet (open + post); 2: stored by day 1 (post only). */
  day: 1 | 2;
  workers: number;
  learners: number;
  /** Deliveries per second the platform's limits allow for this run. */
  allowed: number;
}

interface Outcome extends Run {
  seconds: number;
  perSecond: number;
  limited: number;
  callsPerDelivery: number;
  duplicates: number;
  losses: number;
}

/** What a fake recorded, reduced to what the table needs. */
interface Seen {
  /** Accepted message posts: [channel, time]. */
  posts: [string, number][];
  /** Every delivery request (opens and posts, refused ones too): times. */
  requests: number[];
  limited: number;
}

/**
 * The limits the fakes enforce and pyjs is configured with: Slack's workspace ceiling
 * (SLACK_MESSAGES_PER_SECOND, 50 here) and Discord's global 50/s. BENCH_PLATFORM_RATE
 * sets both lower, to see whether the machine or the budget is the limit.
 */
const RATE = Number(process.env.BENCH_PLATFORM_RATE || 50);
const SLACK_RATE = RATE;
const DISCORD_RATE = RATE;

/** `pyjs worker` from the sources, as a real process; resolves once it runs. */
async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = track(
    spawn(process.execPath, ["--import", "tsx", "src/main/cli.ts", "worker"], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "info", NODE_ENV: "production", PORT: "0", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d;
  });
  await waitUntil(() => err.includes("pyjs worker is running"), 120_000, "a worker to start");
  return child;
}

async function waitUntil(check: () => boolean, ms: number, what: string): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      progress(`platform: gave up waiting for ${what}`);
      return false;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

function slackSeen(fake: FakeSlackApi): Seen {
  const calls = fake.calls.filter((c) => c.method !== "auth.test");
  return {
    posts: calls
      .filter((c) => c.method === "chat.postMessage" && c.result.ok)
      .map((c) => [String(c.body.channel), c.at ?? 0]),
    requests: calls.map((c) => c.at ?? 0),
    limited: fake.limited.length,
  };
}

function discordSeen(fake: FakeDiscord): Seen {
  const isPost = (r: { method: string; path: string }) =>
    r.method === "POST" && /^\/channels\/\d+\/messages$/.test(r.path);
  return {
    posts: fake.requests
      .filter((r) => isPost(r) && r.status === 200)
      .map((r) => [r.path.split("/")[2] ?? "", r.at ?? 0]),
    requests: fake.requests.map((r) => r.at ?? 0),
    limited: fake.limited.length,
  };
}

/** Writes the run's learners (as day 1 leaves them on day 2) and returns their ids. */
async function writeLearners(
  url: string,
  prefix: string,
  run: Run,
  deck: Deck,
  discord: FakeDiscord,
): Promise<string[]> {
  const keys = makeKeys(prefix);
  const ids = deck.cards.slice(0, 20).map((c) => c.id);
  const pool = statePool(2000, new Date(), 3);
  const w = connectRedis(url);
  const learners: string[] = [];
  const p = w.pipeline();
  for (let i = 0; i < run.learners; i++) {
    let learner = slackLearner(i);
    let dm = `D${learner.split(":")[2]}`;
    if (run.platform === "discord") {
      const user = discord.user(`b${i}`);
      learner = learnerId.discord(user.id);
      dm = discord.dmChannel(user);
    }
    const settings = subscribedSettings(i, new Date());
    writeLearner(p, keys, learner, statesFor(ids, pool, i), {
      settings: run.day === 2 ? { ...settings, dmChannel: dm } : settings,
    });
    learners.push(learner);
  }
  await p.exec();
  w.disconnect();
  return learners;
}

/** One run: fresh fakes and keys, `workers` processes, every learner's job enqueued at once. */
async function runOnce(url: string, deck: Deck, run: Run): Promise<Outcome> {
  const prefix = `bp${randomBytes(3).toString("hex")}:`;
  const slack = await new FakeSlackApi().start();
  const discord = await FakeDiscord.start();
  slack.enforceLimits(slackLimits(SLACK_RATE));
  discord.enforceLimits({ globalPerSecond: DISCORD_RATE, channelMessages: { limit: 5, ms: 5000 } });
  const learners = await writeLearners(url, prefix, run, deck, discord);
  const env: Record<string, string> = { REDIS_URL: url, REDIS_PREFIX: prefix };
  if (run.platform === "slack")
    Object.assign(env, {
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: "bench",
      SLACK_API_URL: slack.apiUrl,
      SLACK_MESSAGES_PER_SECOND: String(SLACK_RATE),
    });
  else
    Object.assign(env, {
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_REQUESTS_PER_SECOND: String(DISCORD_RATE),
    });
  progress(
    `platform: ${run.platform} day ${run.day}, ${run.workers} worker(s), ${run.learners} learners`,
  );
  const children = await Promise.all(Array.from({ length: run.workers }, () => startWorker(env)));
  const seen = () => (run.platform === "slack" ? slackSeen(slack) : discordSeen(discord));
  const redis = connectRedis(url);
  const queues = createQueues(redis, prefix);
  const date = new Date().toISOString().slice(0, 10);
  await queues.delivery(run.platform).addBulk(
    learners.map((learner) => ({
      name: jobNames.daily,
      data: { learner, date, dueAt: Date.now() },
      opts: { ...DELIVERY_JOB_OPTIONS, jobId: jobIds.daily(learner, date) },
    })),
  );
  const budget = (run.learners / run.allowed) * 3 + 60;
  await waitUntil(() => seen().posts.length >= run.learners, budget * 1000, "every delivery");
  // A little longer: anything sent twice would show up now.
  await new Promise((r) => setTimeout(r, 2000));
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => new Promise((ok) => c.once("exit", ok))));
  const s = seen();
  await queues.close();
  redis.disconnect();
  await slack.close();
  await discord.close();
  return summarise(run, s);
}

function summarise(run: Run, s: Seen): Outcome {
  const channels = new Set(s.posts.map(([ch]) => ch));
  const times = s.posts.map(([, t]) => t);
  const first = Math.min(...s.requests);
  const seconds = (Math.max(...times) - first) / 1000;
  return {
    ...run,
    seconds,
    perSecond: s.posts.length / seconds,
    limited: s.limited,
    callsPerDelivery: s.requests.length / Math.max(1, channels.size),
    duplicates: s.posts.length - channels.size,
    losses: run.learners - channels.size,
  };
}

/**
 * Section 6: delivery against fakes that enforce Slack's and Discord's published limits
 * with real 429s, by real `pyjs worker` processes (1 and 3) sharing one budget in Redis.
 * BENCH_PLATFORM_SECONDS sets the learners per run (the allowed rate × that many seconds).
 */
export async function benchPlatform(url: string, _admin: Redis, deck: Deck, seconds: number) {
  const runs: Run[] = [];
  for (const workers of [1, 3]) {
    runs.push({
      platform: "slack",
      day: 2,
      workers,
      learners: SLACK_RATE * seconds,
      allowed: SLACK_RATE,
    });
    runs.push({
      platform: "discord",
      day: 1,
      workers,
      learners: (DISCORD_RATE / 2) * seconds,
      allowed: DISCORD_RATE / 2,
    });
    runs.push({
      platform: "discord",
      day: 2,
      workers,
      learners: DISCORD_RATE * seconds,
      allowed: DISCORD_RATE,
    });
  }
  const t = new Table(
    "6. Delivery against the platforms' rate limits (fake Slack and Discord, real 429s)",
  );
  const rows: Outcome[] = [];
  for (const run of runs) {
    const o = await runOnce(url, deck, run);
    rows.push(o);
    const what = `${o.platform} day ${o.day}, ${o.workers} worker${o.workers > 1 ? "s" : ""}`;
    t.add(
      `${what}: deliveries/s`,
      o.perSecond,
      "/s",
      `${fmt((100 * o.perSecond) / o.allowed, 0)}% of ${fmt(o.allowed)} allowed`,
    )
      .add(`${what}: 429s`, o.limited, "")
      .add(`${what}: platform calls per delivery`, o.callsPerDelivery, "")
      .add(`${what}: duplicates / losses`, `${o.duplicates} / ${o.losses}`, "");
  }
  printTable(t.report.title, rows);
  return rows;
}

function printTable(title: string, rows: Outcome[]): void {
  const head =
    "| platform | day | workers | learners | deliveries/s | allowed/s | % of allowed | 429s | calls/delivery | duplicates | losses |";
  const lines = rows.map(
    (o) =>
      `| ${o.platform} | ${o.day} | ${o.workers} | ${fmt(o.learners, 0)} | ${fmt(o.perSecond, 1)} | ${fmt(o.allowed, 0)} | ${fmt((100 * o.perSecond) / o.allowed, 0)}% | ${o.limited} | ${fmt(o.callsPerDelivery, 2)} | ${o.duplicates} | ${o.losses} |`,
  );
  const margin = `PYJS_RATE_MARGIN_MS=${process.env.PYJS_RATE_MARGIN_MS || "50 (default)"}`;
  const out = ["", `## ${title}`, "", head, `|${"---|".repeat(11)}`, ...lines, "", `- ${margin}`];
  console.log(out.join("\n"));
}
