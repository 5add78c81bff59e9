import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { RateBucket } from "../../src/core/rate-limits.js";
import { DEFAULT_RATES, slackBuckets } from "../../src/core/rate-limits.js";
import { RateLimitedError } from "../../src/errors.js";
import { connectRedis, connectRedisTarget, parseHostPorts } from "../../src/redis/connect.js";
import { makeKeys } from "../../src/store/keys.js";
import { RateBudget, rateGate } from "../../src/store/rate-budget.js";
import { testRedis } from "../support/redis.js";

/**
 * Issue 16: the shared rate budget (lua/take-rate.lua) on a single Redis and on the
 * suite's 3-master Cluster: sliding windows, all-or-nothing across a request's buckets,
 * independent scopes, and the wait it answers. Two connections stand for two processes.
 */

const { url } = testRedis();
const nodes = inject("clusterNodes");
const backends: [string, () => Redis][] = [["single Redis", () => connectRedis(url)]];
if (nodes)
  backends.push([
    "3-master Redis Cluster",
    () => connectRedisTarget({ kind: "cluster", nodes: parseHostPorts(nodes) }),
  ]);

const minute = (name: string, limit: number): RateBucket => ({
  name,
  window: { limit, ms: 60_000 },
});

describe.each(backends)("the rate budget on a %s", (_name, connect) => {
  const a = connect();
  const b = connect();
  const keys = makeKeys(`rb${randomBytes(3).toString("hex")}:`);
  afterAll(() => {
    a.disconnect();
    b.disconnect();
  });

  it("two processes share one window: the limit holds across them", async () => {
    const one = new RateBudget(a, keys);
    const two = new RateBudget(b, keys);
    const bucket = [minute("method:conversations.open", 5)];
    const grants = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).take("slack-T1", bucket)),
    );
    expect(grants.filter((g) => g.ok)).toHaveLength(5);
    const refused = grants.find((g) => !g.ok);
    if (!refused || refused.ok) throw new Error("nothing refused");
    // Refused for about the window: the oldest grant leaves it in up to 60 s.
    expect(refused.waitMs).toBeGreaterThan(50_000);
    expect(refused.waitMs).toBeLessThanOrEqual(60_001);
    expect(refused.bucket.name).toBe("method:conversations.open");
  });

  it("a request takes from all its buckets or from none", async () => {
    const budget = new RateBudget(a, keys);
    const ceiling = minute("method:chat.postMessage", 3);
    expect((await budget.take("slack-T2", [ceiling, minute("channel:D1", 1)])).ok).toBe(true);
    // The channel is full: refused, and the workspace ceiling is not charged for it.
    const again = await budget.take("slack-T2", [ceiling, minute("channel:D1", 1)]);
    expect(again.ok ? "" : again.bucket.name).toBe("channel:D1");
    expect((await budget.take("slack-T2", [ceiling, minute("channel:D2", 1)])).ok).toBe(true);
    expect((await budget.take("slack-T2", [ceiling, minute("channel:D3", 1)])).ok).toBe(true);
    const full = await budget.take("slack-T2", [ceiling, minute("channel:D4", 1)]);
    expect(full.ok ? "" : full.bucket.name).toBe("method:chat.postMessage");
    // Another workspace has its own budget.
    expect((await budget.take("slack-T3", [ceiling])).ok).toBe(true);
  });

  it("the gate throws RateLimitedError: shared for a workspace budget, not for a channel", async () => {
    const gate = rateGate(new RateBudget(a, keys), "slack-T4", "slack");
    const refusal = (p: Promise<void>) => p.then(() => undefined).catch((e: unknown) => e);
    const post = (perSecond: number, channel: string) =>
      gate.pass(
        "chat.postMessage",
        slackBuckets(
          { ...DEFAULT_RATES, slackMessagesPerSecond: perSecond },
          "chat.postMessage",
          channel,
        ),
      );
    // One channel, twice, under a roomy workspace ceiling: only that channel waits.
    await post(100, "D8");
    const channel = await refusal(post(100, "D8"));
    expect(channel).toBeInstanceOf(RateLimitedError);
    expect(channel).toMatchObject({ shared: false, fromPlatform: false });
    // The workspace ceiling (1/s) spent by another channel: every job must wait.
    const gate2 = rateGate(new RateBudget(a, keys), "slack-T5", "slack");
    const tight = (ch: string) =>
      gate2.pass(
        "chat.postMessage",
        slackBuckets({ ...DEFAULT_RATES, slackMessagesPerSecond: 1 }, "chat.postMessage", ch),
      );
    await tight("D1");
    const shared = await refusal(tight("D2"));
    expect(shared).toMatchObject({ shared: true, fromPlatform: false });
    expect((shared as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
    // Methods without a published limit here pass untouched.
    await expect(
      gate.pass("chat.update", slackBuckets(DEFAULT_RATES, "chat.update")),
    ).resolves.toBe(undefined);
  });
});
