import type { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { Part } from "../../src/app/reply.js";
import type { Action, Actor } from "../../src/app/types.js";
import { Rating } from "../../src/core/scheduler.js";
import { dailyJobId } from "../../src/jobs/tick.js";
import { startWorkers } from "../../src/jobs/workers.js";
import { connectRedis, connectRedisTarget, parseHostPorts } from "../../src/redis/connect.js";
import { scanKeys } from "../../src/redis/scan.js";
import { createStores } from "../../src/runtime.js";
import { makeKeys } from "../../src/store/keys.js";
import { testApp } from "../support/app.js";
import { seedLapsed } from "../support/leech.js";
import { RecordingMessenger, waitFor } from "../support/messenger.js";
import { testRedis } from "../support/redis.js";

/**
 * Issue 16: the store review, delivery and forget-me paths on a single Redis and on the
 * suite's local 3-master Redis Cluster (tests/support/local-cluster.ts), and on the
 * single Redis found through a local Sentinel (REDIS_SENTINELS, tests/support/
 * local-sentinel.ts). Without redis-cli the cluster part is skipped with the reason;
 * when Sentinel cannot start, that part is.
 */

const { prefix: base, url } = testRedis();
const nodes = inject("clusterNodes");
const skip = inject("clusterSkip");
const sentinels = inject("sentinels");
// Each backend its own key prefix (the Sentinel's primary is the single Redis).
const backends: [string, () => Redis, string][] = [
  ["single Redis", () => connectRedis(url), `${base}1:`],
];
if (nodes)
  backends.push([
    "3-master Redis Cluster",
    () => connectRedisTarget({ kind: "cluster", nodes: parseHostPorts(nodes) }),
    `${base}2:`,
  ]);
else console.warn(`cluster suite skipped: ${skip}`);
// REDIS_SENTINELS + REDIS_SENTINEL_NAME: a Sentinel over the suite's private server.
if (sentinels)
  backends.push([
    "Redis primary found through Sentinel",
    () =>
      connectRedisTarget({
        kind: "sentinel",
        sentinels: parseHostPorts(sentinels),
        name: inject("sentinelName"),
      }),
    `${base}3:`,
  ]);
else console.warn(`Sentinel suite skipped: ${inject("sentinelSkip")}`);

it.skipIf(Boolean(nodes))(`the cluster suite needs a local cluster (${skip})`, () => {});

const questionOf = (parts: Part[] | undefined) => {
  const q = parts?.find((p) => p.kind === "question");
  if (q?.kind !== "question") throw new Error(`no question in ${JSON.stringify(parts)}`);
  return q.question;
};

describe.each(backends)("on a %s", (_name, connect, prefix) => {
  const redis = connect();
  const app = testApp(redis, prefix);
  const stores = createStores(redis, prefix);
  const actor: Actor = { learner: "slack:T1:U1", platform: "slack", tenant: "T1", tz: "UTC" };
  const now = new Date("2026-11-02T08:00:00Z");

  afterAll(async () => {
    for (const key of await scanKeys(redis, `*${prefix}*`)) await redis.del(key);
    redis.disconnect();
  });

  const boardKeys = () => scanKeys(redis, `${prefix}board:T1:*`);
  const points = async () => stores.teams?.points("T1", "all", actor.learner);
  const weekReviews = async (week: string) => stores.teams?.weekReviews("T1", week);

  it("a review credits the team boards once, also when the team step is retried", async () => {
    const q = questionOf((await app.handleCommand(actor, "quiz", now)).dm);
    const rate: Action = { type: "rate", promptId: q.promptId, rating: Rating.Good };
    await app.handleAction(actor, rate, now);
    const credited = await points();
    expect(credited).toBeGreaterThan(0);
    const week = (await boardKeys()).map((k) => k.split(":").at(-1)).find((p) => p !== "all");
    expect(week).toBeDefined();
    expect(await weekReviews(week ?? "")).toBe(1);

    await app.handleAction(actor, rate, now);
    expect(await points()).toBe(credited);
    expect(await weekReviews(week ?? "")).toBe(1);

    // As if the process died between the review step and the team step: a retry finishes it.
    const k = stores.keys;
    const w = week ?? "";
    for (const key of [k.board("T1", "all"), k.board("T1", w), k.teamWeek("T1", w)]) {
      await redis.del(key);
      await redis.del(k.applied(key));
    }
    expect(await points()).toBe(0);
    await app.handleAction(actor, rate, now);
    await app.handleAction(actor, rate, now);
    expect(await points()).toBe(credited);
    expect(await weekReviews(week ?? "")).toBe(1);
    expect(await stores.reviews.logLength(actor.learner)).toBe(1);
  });

  it("a daily delivery goes through the hash-tagged BullMQ queues, once", async () => {
    const learner = { learner: "slack:T1:U2", platform: "slack" as const, tenant: "T1" };
    await app.handleCommand(learner, "subscribe 09:00 UTC", new Date("2026-11-01T12:00:00Z"));
    const m = new RecordingMessenger();
    const at = new Date("2026-11-02T09:00:30Z");
    const workers = await startWorkers({
      connection: redis,
      prefix,
      app,
      settings: stores.settings,
      schedule: stores.schedule,
      messengers: new Map([["slack", m]]),
      clock: () => at,
      tickEvery: 500,
    });
    try {
      await waitFor(async () => m.sentTo(learner.learner) === 1, "the daily DM", 30_000);
      const q = workers.queues.delivery("slack");
      const job = await q.getJob(dailyJobId(learner.learner, "2026-11-02"));
      expect(job?.opts.jobId).toBe(dailyJobId(learner.learner, "2026-11-02"));
      expect(q.opts.prefix).toBe(`{${prefix}bull}`);
    } finally {
      await workers.close();
    }
    expect(m.sentTo(learner.learner)).toBe(1);
  });

  it("daily deliveries grouped in `dailies` jobs (a high rate) reach each learner once", async () => {
    const who = [4, 5, 6, 7].map((n) => `slack:T1:U${n}`);
    for (const l of who)
      await app.handleCommand(
        { learner: l, platform: "slack", tenant: "T1" },
        "subscribe 10:00 UTC",
        new Date("2026-11-01T12:00:00Z"),
      );
    const m = new RecordingMessenger();
    const at = new Date("2026-11-02T10:00:30Z");
    const workers = await startWorkers({
      connection: redis,
      prefix,
      app,
      settings: stores.settings,
      schedule: stores.schedule,
      messengers: new Map([["slack", m]]),
      clock: () => at,
      tickEvery: 500,
      // 300 a second: three learners a job.
      limiter: { max: 300, duration: 1000 },
    });
    try {
      await waitFor(() => who.every((l) => m.sentTo(l) === 1), "the grouped daily DMs", 30_000);
    } finally {
      await workers.close();
    }
    for (const l of who) expect(m.sentTo(l)).toBe(1);
  });

  it("undo takes the review back on every team key (learner slot, then one script per key)", async () => {
    const pat: Actor = { learner: "slack:T1:U3", platform: "slack", tenant: "T1", tz: "UTC" };
    const mine = () => stores.teams?.points("T1", "all", pat.learner);
    const q = questionOf((await app.handleCommand(pat, "quiz", now)).dm);
    const week = (await boardKeys()).map((k) => k.split(":").at(-1)).find((p) => p !== "all");
    const reviewsBefore = await weekReviews(week ?? "");
    await app.handleAction(pat, { type: "rate", promptId: q.promptId, rating: Rating.Good }, now);
    expect(await mine()).toBeGreaterThan(0);
    expect(await weekReviews(week ?? "")).toBe((reviewsBefore ?? 0) + 1);
    const press = () => app.handleAction(pat, { type: "undo", promptId: q.promptId }, now);
    await Promise.all([press(), press()]);
    expect(await mine()).toBe(0);
    expect(await redis.zscore(stores.keys.board("T1", "all"), pat.learner)).toBeNull();
    expect(await weekReviews(week ?? "")).toBe(reviewsBefore);
  });

  it("a leech is told once, marked in the learner's slot, and undo takes the mark back", async () => {
    const who: Actor = { ...actor, learner: "slack:T1:U9" };
    await seedLapsed(redis, prefix, who.learner, "pip-to-npm", 7, now);
    const q = questionOf((await app.handleCommand(who, "quiz", now)).dm);
    expect(q.cardId).toBe("pip-to-npm");
    const wrong: Action = { type: "answer", promptId: q.promptId, text: "yarn" };
    const told = (await app.handleAction(who, wrong, now)).dm?.filter((p) => p.kind === "leech");
    expect(told).toHaveLength(1);
    expect((await app.handleAction(who, wrong, now)).dm ?? []).toEqual([]);
    const mark = () => redis.hget(makeKeys(prefix).learner(who.learner), "leech:pip-to-npm");
    expect(await mark()).toBe("8");
    await app.handleAction(who, { type: "undo", promptId: q.promptId }, now);
    expect(await mark()).toBeNull();
  });

  it("forget me erases the learner's keys and board entries on every master", async () => {
    expect(await points()).toBeGreaterThan(0);
    const erased = await app.handleAction(actor, { type: "forget-confirm" }, now);
    expect(JSON.stringify(erased)).toContain("leaderboard entr");
    expect(await points()).toBe(0);
    const left = await scanKeys(redis, `${prefix}*{${actor.learner}}*`);
    expect(left).toEqual([]);
  });
});
