import { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { forgetJobs } from "../../src/jobs/forget-jobs.js";
import { scanKeys } from "../../src/redis/scan.js";
import { eraseLearner } from "../../src/store/erase.js";
import { makeKeys } from "../../src/store/keys.js";
import { dropPrefix, testRedis } from "../support/redis.js";

const { redis } = testRedis();
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis, p);
  redis.disconnect();
});

function fresh() {
  const { prefix } = testRedis();
  prefixes.push(prefix);
  return { prefix, keys: makeKeys(prefix) };
}

/** A learner with a setting, a card, a prompt, a sent marker and points on team T1's boards. */
async function seed(keys: ReturnType<typeof makeKeys>, learner: string): Promise<void> {
  await redis
    .multi()
    .hset(keys.learner(learner), "tz", "UTC")
    .hset(keys.cards(learner), "c1", "s")
    .hset(keys.prompt(learner, "AAAAAAAAAAAA"), "card", "c1", "status", "open")
    .set(keys.sent(learner, "2026-12-01"), "1")
    .sadd(keys.tenants(learner), "T1")
    .zadd(keys.board("T1", "all"), 5, learner)
    .zadd(keys.board("T1", "2026-W48"), 5, learner)
    .sadd(keys.proposers("T1", "c1", "npm i"), learner)
    .exec();
}

/** Which of the keys `seed` writes for `learner` exist. */
async function keysOf(keys: ReturnType<typeof makeKeys>, learner: string): Promise<string[]> {
  const all = [
    keys.learner(learner),
    keys.cards(learner),
    keys.prompt(learner, "AAAAAAAAAAAA"),
    keys.sent(learner, "2026-12-01"),
    keys.tenants(learner),
  ];
  const exists = await Promise.all(all.map((k) => redis.exists(k)));
  return all.filter((_, i) => exists[i] === 1);
}

describe("forget me: exact key ownership", () => {
  it("erasing `a` leaves every key of learner `a}:b` (whose keys `prompt:{a}:*` also matches)", async () => {
    const { keys } = fresh();
    await seed(keys, "a");
    await seed(keys, "a}:b");
    // Without the exact test, SCAN's pattern for `a`'s prompts finds `a}:b`'s too.
    const pattern = keys.learnerScans("a")[0]?.pattern ?? "";
    expect(await scanKeys(redis, pattern)).toContain(keys.prompt("a}:b", "AAAAAAAAAAAA"));
    const before = await keysOf(keys, "a}:b");
    expect(before).toHaveLength(5);
    const erased = await eraseLearner(redis, keys, "a");
    expect(erased).toEqual(expect.arrayContaining(["your settings", "1 card state"]));
    expect(await keysOf(keys, "a")).toEqual([]);
    expect(await keysOf(keys, "a}:b")).toEqual(before);
    expect(await redis.hgetall(keys.prompt("a}:b", "AAAAAAAAAAAA"))).toMatchObject({
      card: "c1",
    });
    expect(await redis.exists(keys.sent("a}:b", "2026-12-01"))).toBe(1);
    expect(await redis.zscore(keys.board("T1", "all"), "a}:b")).toBe("5");
    expect(await redis.zscore(keys.board("T1", "all"), "a")).toBeNull();
    // Off the team's "I was right" proposals too; the other proposer stays.
    expect(erased).toContain("your name on 1 proposed answer");
    expect(await redis.smembers(keys.proposers("T1", "c1", "npm i"))).toEqual(["a}:b"]);
  });

  it("matches glob characters in an id literally", async () => {
    const { keys } = fresh();
    await seed(keys, "a*");
    await seed(keys, "ab");
    await seed(keys, "a[b]?\\");
    await eraseLearner(redis, keys, "a*");
    expect(await keysOf(keys, "a*")).toEqual([]);
    expect(await keysOf(keys, "ab")).toHaveLength(5);
    expect(await keysOf(keys, "a[b]?\\")).toHaveLength(5);
  });

  it("boards of team `T1:x` are not team `T1`'s", async () => {
    const { keys } = fresh();
    await seed(keys, "a");
    await redis.zadd(keys.board("T1:x", "all"), 7, "a");
    expect(keys.boardScan("T1").owns(keys.board("T1:x", "all"))).toBe(false);
    await eraseLearner(redis, keys, "a");
    expect(await redis.zscore(keys.board("T1:x", "all"), "a")).toBe("7");
  });

  it("forgetJobs removes only this learner's daily jobs", async () => {
    const { prefix, keys } = fresh();
    const q = new Queue(keys.bull.delivery("slack"), {
      connection: redis,
      prefix: keys.bull.prefix,
    });
    const add = (learner: string) =>
      q.add("daily", { learner }, { jobId: keys.bull.ids.daily(learner, "2026-12-01") });
    await add("slack:T1:U1");
    await add("slack:T1:U1:X");
    await add("slack:T1:U10");
    expect(await forgetJobs(redis, prefix, "slack:T1:U1")).toBe(1);
    expect(await q.getJob("daily|slack|T1|U1|2026-12-01")).toBeUndefined();
    expect(await q.getJob("daily|slack|T1|U1|X|2026-12-01")).toBeDefined();
    expect(await q.getJob("daily|slack|T1|U10|2026-12-01")).toBeDefined();
    await q.close();
  });
});
