import { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { DeliveryError } from "../src/app/messenger.js";
import type { Part, Reply } from "../src/app/reply.js";
import type { App } from "../src/app/service.js";
import type { Actor } from "../src/app/types.js";
import { Rating } from "../src/core/scheduler.js";
import { createQueues } from "../src/jobs/queues.js";
import { runTick } from "../src/jobs/tick.js";
import {
  BullWeeklyScheduler,
  processWeekly,
  WEEKLY_QUEUE,
  weeklyQueue,
  weeklyWorker,
} from "../src/jobs/weekly.js";
import { scanKeys } from "../src/redis/scan.js";
import { makeKeys } from "../src/store/keys.js";
import { ScheduleStore } from "../src/store/schedule.js";
import { SettingsStore } from "../src/store/settings.js";
import { TeamStore } from "../src/store/teams.js";
import { testApp } from "./support/app.js";
import { seedLapsed } from "./support/leech.js";
import { RecordingMessenger, waitFor } from "./support/messenger.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const { redis } = testRedis();
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis, p);
  redis.disconnect();
});

function world(limits = { newPerDay: 3, maxReviewsPerDay: 50 }) {
  const prefix = `lb${Math.random().toString(36).slice(2, 8)}:`;
  prefixes.push(prefix);
  const queue = weeklyQueue(redis, prefix);
  const scheduler = new BullWeeklyScheduler(queue);
  const app = testApp(redis, prefix, {
    weekly: scheduler,
    limits,
  });
  return { prefix, app, queue, scheduler, teams: new TeamStore(redis, makeKeys(prefix)) };
}

/** What the weekly job needs, on a world, with a recording messenger and a pinned clock. */
function weeklyDeps(w: ReturnType<typeof world>, m: RecordingMessenger, now: Date) {
  return {
    app: w.app,
    teams: w.teams,
    queue: w.queue,
    scheduler: w.scheduler,
    messengers: new Map([["slack", m]]),
    clock: () => now,
  };
}

const slack = (user: string, extra: Partial<Actor> = {}): Actor => ({
  learner: `slack:T1:${user}`,
  platform: "slack",
  tenant: "T1",
  name: user,
  channel: "C1",
  tz: "UTC",
  ...extra,
});

function dm(r: Reply, kind: Part["kind"]) {
  return [...r.parts, ...(r.dm ?? [])].find((p) => p.kind === kind);
}

/** Answers today's session with one rating for every card; returns the replies' parts. */
async function session(
  app: App,
  actor: Actor,
  now: Date,
  rating: 1 | 2 | 3 | 4 = Rating.Good,
): Promise<void> {
  await app.handleCommand(actor, "quiz", now);
  for (let i = 0; i < 20; i++) {
    const r = await app.handleCommand(actor, "quiz", now);
    const q = dm(r, "question");
    if (q?.kind !== "question") return;
    await app.handleAction(actor, { type: "rate", promptId: q.question.promptId, rating }, now);
  }
}

async function board(app: App, actor: Actor, now: Date) {
  const p = (await app.handleCommand(actor, "leaderboard", now)).parts.find(
    (x) => x.kind === "leaderboard",
  );
  if (p?.kind !== "leaderboard") throw new Error("no board");
  return p.board;
}

describe("points and the weekly board", () => {
  it("scores each answer once (duplicates and retries never score twice) and ranks the team", async () => {
    const w = world();
    const now = new Date("2026-11-24T10:00:00Z");
    const ann = slack("ann");
    const bob = slack("bob");
    // Ann: 3 new cards rated Easy (3 points each, Easy = Good) -> finishes -> streak bonus 1.
    await session(w.app, ann, now, Rating.Easy);
    // Bob answers one card, then the same prompt again.
    const q = dm(await w.app.handleCommand(bob, "quiz", now), "question");
    if (q?.kind !== "question") throw new Error("no question");
    await w.app.handleAction(
      bob,
      { type: "rate", promptId: q.question.promptId, rating: Rating.Hard },
      now,
    );
    await w.app.handleAction(
      bob,
      { type: "rate", promptId: q.question.promptId, rating: Rating.Hard },
      now,
    );
    const b = await board(w.app, bob, now);
    expect(b.period).toBe("2026-W48");
    expect(b.rows.map((r) => [r.rank, r.name, r.points])).toEqual([
      [1, "ann", 10],
      [2, "bob", 2],
    ]);
    expect(b.rows[0]?.streak).toBe(1);
    expect(b.me).toEqual({ rank: 2, points: 2, hidden: false });
    // Changing the rating of the answer moves the points, not adds.
    await w.app.handleAction(
      bob,
      { type: "rate", promptId: q.question.promptId, rating: Rating.Good },
      now,
    );
    expect((await board(w.app, bob, now)).me?.points).toBe(3);
  });

  it("breaks ties by who got there first", async () => {
    const w = world();
    await session(w.app, slack("late"), new Date("2026-11-24T12:00:00Z"));
    await session(w.app, slack("early"), new Date("2026-11-24T08:00:00Z"));
    const b = await board(w.app, slack("late"), new Date("2026-11-24T13:00:00Z"));
    expect(b.rows.map((r) => r.name)).toEqual(["early", "late"]);
    expect(b.rows[0]?.points).toBe(b.rows[1]?.points);
  });

  it("`leaderboard off` hides a learner but keeps their points; `on` shows them again", async () => {
    const w = world();
    const now = new Date("2026-11-24T10:00:00Z");
    await session(w.app, slack("ann"), now);
    await session(w.app, slack("bob"), now, Rating.Hard);
    await w.app.handleCommand(slack("ann"), "leaderboard off", now);
    let b = await board(w.app, slack("bob"), now);
    expect(b.rows.map((r) => [r.rank, r.name])).toEqual([[1, "bob"]]);
    expect((await board(w.app, slack("ann"), now)).me).toMatchObject({ hidden: true, points: 10 });
    await w.app.handleCommand(slack("ann"), "leaderboard on", now);
    b = await board(w.app, slack("bob"), now);
    expect(b.rows.map((r) => r.name)).toEqual(["ann", "bob"]);
  });

  it("a Discord learner counts on every server they used /pyjs in", async () => {
    const w = world();
    const now = new Date("2026-11-24T10:00:00Z");
    const inA: Actor = { learner: "discord:42", platform: "discord", tenant: "G-A", name: "kim" };
    const inB: Actor = { ...inA, tenant: "G-B" };
    await w.app.handleCommand(inB, "help", now);
    await session(w.app, inA, now);
    expect((await board(w.app, inA, now)).rows[0]).toMatchObject({ name: "kim", points: 10 });
    expect((await board(w.app, inB, now)).rows[0]).toMatchObject({ name: "kim", points: 10 });
  });
});

describe("streaks across time zones and midnight", () => {
  it("counts days in the learner's own zone", async () => {
    const w = world();
    const ny = slack("ny", { tz: "America/New_York" });
    await w.app.handleCommand(
      ny,
      "subscribe 21:00 America/New_York",
      new Date("2026-11-01T12:00:00Z"),
    );
    // 23:30 on 2 Nov and 00:30 on 3 Nov in New York: one UTC day (3 Nov), two local days.
    await session(w.app, ny, new Date("2026-11-03T04:30:00Z"));
    await session(w.app, ny, new Date("2026-11-03T05:30:00Z"));
    let s = (await w.app.handleCommand(ny, "stats", new Date("2026-11-03T05:31:00Z"))).parts[0];
    expect(s).toMatchObject({ kind: "stats", stats: { streak: 2, bestStreak: 2 } });
    // Skipping 4 Nov (local) entirely breaks it.
    s = (await w.app.handleCommand(ny, "stats", new Date("2026-11-05T06:00:00Z"))).parts[0];
    expect(s).toMatchObject({ kind: "stats", stats: { streak: 0, bestStreak: 2 } });
  });
});

describe("choosing the channel and the weekly post", () => {
  it("only admins pick the channel, on Slack and on Discord", async () => {
    const w = world();
    const now = new Date("2026-11-24T10:00:00Z");
    for (const actor of [
      slack("member", { isAdmin: false }),
      {
        learner: "discord:7",
        platform: "discord" as const,
        tenant: "G1",
        channel: "C9",
        isAdmin: false,
      },
    ]) {
      const r = await w.app.handleCommand(actor, "leaderboard here", now);
      expect(r.parts[0]).toMatchObject({
        kind: "usage",
        message: expect.stringMatching(/admins.*Manage Server/),
      });
    }
    expect((await w.teams.get("T1")).channel).toBeUndefined();
    const ok = await w.app.handleCommand(
      slack("boss", { isAdmin: true, tz: "Europe/Berlin" }),
      "leaderboard here",
      now,
    );
    expect(ok.parts[0]).toMatchObject({
      kind: "text",
      text: expect.stringContaining("Monday at 09:00 (Europe/Berlin)"),
    });
    expect(await w.teams.get("T1")).toMatchObject({
      channel: "C1",
      tz: "Europe/Berlin",
      platform: "slack",
    });
    const schedulers = await w.queue.getJobSchedulers();
    expect(schedulers).toEqual([
      expect.objectContaining({ key: "weekly|T1", pattern: "0 9 * * 1", tz: "Europe/Berlin" }),
    ]);
    await w.queue.close();
  });

  it("posts last week's board exactly once per team and week, even across a restart", async () => {
    const w = world();
    const monday = new Date("2026-11-30T08:00:00Z");
    await session(w.app, slack("ann"), new Date("2026-11-24T10:00:00Z"));
    await session(w.app, slack("bob"), new Date("2026-11-17T10:00:00Z"));
    await session(w.app, slack("bob"), new Date("2026-11-25T10:00:00Z"), Rating.Again);
    await w.app.handleCommand(slack("boss", { isAdmin: true }), "leaderboard here", monday);
    const m = new RecordingMessenger("slack");
    const deps = weeklyDeps(w, m, monday);
    let worker = weeklyWorker(deps, redis, w.prefix);
    await w.queue.add("weekly", { tenant: "T1" });
    await w.queue.add("weekly", { tenant: "T1" });
    await waitFor(() => m.posts.length === 1, "the weekly post");
    await worker.close();
    worker = weeklyWorker(deps, redis, w.prefix);
    await w.queue.add("weekly", { tenant: "T1" });
    const probe = new Queue(WEEKLY_QUEUE, {
      connection: redis,
      prefix: makeKeys(w.prefix).bull.prefix,
    });
    await waitFor(
      async () => ((await probe.getJobCounts("completed")).completed ?? 0) >= 4,
      "every trigger to finish",
    );
    expect(m.posts).toHaveLength(1);
    const post = m.posts[0];
    expect(post?.channel).toBe("C1");
    const lb = post?.parts[0];
    expect(lb?.kind).toBe("leaderboard");
    if (lb?.kind !== "leaderboard") return;
    expect(lb.board.period).toBe("2026-W48");
    expect(lb.board.rows.map((r) => r.name)).toEqual(["ann", "bob"]);
    expect(lb.board.totals).toEqual({ reviews: 9, learners: 2 });
    expect(lb.board.mostImproved?.name).toBe("ann");
    await worker.close();
    await probe.close();
    await w.queue.close();
  });

  it("a channel the bot cannot post in pauses the post and tells the admin once", async () => {
    const w = world();
    const monday = new Date("2026-11-30T08:00:00Z");
    const boss = slack("boss", { isAdmin: true });
    await w.app.handleCommand(boss, "leaderboard here", monday);
    const m = new RecordingMessenger("slack");
    m.fail = () => new DeliveryError("not_in_channel", true, "not_in_channel");
    const deps = weeklyDeps(w, m, monday);
    await processWeekly(deps, {
      name: "post",
      data: { tenant: "T1", week: "2026-W48" },
    } as never).catch(() => undefined);
    expect(await w.teams.get("T1")).toMatchObject({ pausedReason: "not_in_channel" });
    expect(await w.queue.getJobSchedulers()).toEqual([]);
    // Someone else is not told; the admin who chose the channel is, once.
    expect((await w.app.handleCommand(slack("member"), "stats", monday)).parts[0]?.kind).toBe(
      "stats",
    );
    const told = await w.app.handleCommand(boss, "stats", monday);
    expect(told.parts[0]).toMatchObject({
      kind: "text",
      text: expect.stringContaining("not_in_channel"),
    });
    expect((await w.app.handleCommand(boss, "stats", monday)).parts[0]?.kind).toBe("stats");
    await w.queue.close();
  });
});

describe("team leeches with the weekly post", () => {
  /** Typed answers to the pip card (seeded as a review card), each from a fresh question. */
  async function answers(w: ReturnType<typeof world>, who: Actor, typed: string[], at: Date) {
    await seedLapsed(redis, w.prefix, who.learner, "pip-to-npm", 0, at);
    for (const [i, text] of typed.entries()) {
      const t = new Date(at.getTime() + i * 15 * 60_000);
      const q = dm(await w.app.handleCommand(who, "quiz", t), "question");
      if (q?.kind !== "question" || q.question.cardId !== "pip-to-npm") throw new Error("no pip");
      await w.app.handleAction(who, { type: "answer", promptId: q.question.promptId, text }, t);
    }
  }

  it("the admin who set the channel gets the cards most of the team keeps missing, once a week", async () => {
    const w = world({ newPerDay: 0, maxReviewsPerDay: 50 });
    const tue = new Date("2026-11-24T10:00:00Z");
    await answers(w, slack("ann"), ["yarn", "yarn"], tue);
    await answers(w, slack("bob"), ["npx", "<!channel> yarn"], tue);
    await answers(w, slack("cy"), ["yarn", "no idea"], tue);
    await answers(w, slack("dee"), ["npm"], tue);
    const monday = new Date("2026-11-30T08:00:00Z");
    await w.app.handleCommand(slack("boss", { isAdmin: true }), "leaderboard here", monday);
    const m = new RecordingMessenger("slack");
    const job = { name: "post", data: { tenant: "T1", week: "2026-W48" } } as never;
    expect(await processWeekly(weeklyDeps(w, m, monday), job)).toBe("posted");
    expect(await processWeekly(weeklyDeps(w, m, monday), job)).toBe("already-posted");
    expect(m.posts).toHaveLength(1);
    expect(m.dms.map((d) => d.learner)).toEqual(["slack:T1:boss"]);
    const note = m.dms[0]?.parts[0];
    if (note?.kind !== "team-leeches") throw new Error("no team-leech note");
    expect(note.note.cards).toEqual([
      {
        cardId: "pip-to-npm",
        term: "pip",
        prompt: "pip is the Python equivalent of ___.",
        answer: "npm",
        learners: 4,
        missing: 3,
        wrong: [
          { text: "yarn", count: 3 },
          { text: "<!channel> yarn", count: 1 },
          { text: "no idea", count: 1 },
          { text: "npx", count: 1 },
        ],
      },
    ]);
    await w.queue.close();
  });

  it("an admin who cannot be reached is skipped; the board stays on", async () => {
    const w = world({ newPerDay: 0, maxReviewsPerDay: 50 });
    const tue = new Date("2026-11-24T10:00:00Z");
    for (const who of ["ann", "bob", "cy"]) await answers(w, slack(who), ["yarn", "yarn"], tue);
    const monday = new Date("2026-11-30T08:00:00Z");
    await w.app.handleCommand(slack("boss", { isAdmin: true }), "leaderboard here", monday);
    const m = new RecordingMessenger("slack");
    m.fail = (to) =>
      to === "slack:T1:boss" ? new DeliveryError("closed", true, "cannot_dm_bot") : undefined;
    const job = { name: "post", data: { tenant: "T1", week: "2026-W48" } } as never;
    expect(await processWeekly(weeklyDeps(w, m, monday), job)).toBe("posted");
    expect(m.posts).toHaveLength(1);
    expect(await w.teams.get("T1")).not.toHaveProperty("pausedReason");
    await w.queue.close();
  });
});

describe("stats and forget me", () => {
  it("stats figures on a fixed review history", async () => {
    const w = world();
    const ann = slack("ann", { tz: "Europe/Berlin" });
    await session(w.app, ann, new Date("2026-11-23T09:00:00Z"), Rating.Good); // Mon: 3 new, learning
    await session(w.app, ann, new Date("2026-11-23T09:10:00Z"), Rating.Again); // 3 due again -> Again
    await session(w.app, ann, new Date("2026-11-24T09:00:00Z"), Rating.Easy); // Tue: relearn + 3 new
    const r = await w.app.handleCommand(ann, "stats", new Date("2026-11-24T12:00:00Z"));
    const s = r.parts[0];
    if (s?.kind !== "stats") throw new Error("no stats");
    expect(s.stats.reviewsToday).toBe(6);
    expect(s.stats.reviewsThisWeek).toBe(12);
    expect(s.stats.reviewsTotal).toBe(12);
    expect(s.stats.retention30d).toBeCloseTo(9 / 12);
    expect(s.stats.cards).toEqual({ new: expect.any(Number), learning: 0, young: 6, mature: 0 });
    expect(s.stats.forecast).toHaveLength(7);
    expect(s.stats.forecast.reduce((n, f) => n + f.due, 0)).toBeGreaterThan(0);
    expect(s.stats.streak).toBe(2);
  });

  it("`forget me` asks first, then leaves no key or board entry of the learner", async () => {
    const w = world();
    const now = new Date("2026-11-24T10:00:00Z");
    const ann = slack("ann", { isAdmin: true });
    await session(w.app, ann, now);
    await session(w.app, slack("bob"), now);
    await w.app.handleCommand(ann, "subscribe 08:00 UTC", now);
    await w.app.handleCommand(ann, "leaderboard here", now);
    await w.app.handleCommand(ann, "quiz", now);
    // A daily delivery job is queued for Ann too (its id carries her learner id).
    const keys = makeKeys(w.prefix);
    const queues = createQueues(redis, w.prefix);
    const deps = {
      schedule: new ScheduleStore(redis, keys),
      settings: new SettingsStore(redis, keys),
      queues,
      platforms: new Set(["slack" as const]),
    };
    expect((await runTick(deps, new Date("2026-11-25T08:00:00Z"))).enqueued).toBe(1);
    await queues.close();
    expect((await w.app.handleCommand(ann, "forget me", now)).parts).toEqual([
      { kind: "confirm-forget" },
    ]);
    const done = await w.app.handleAction(ann, { type: "forget-confirm" }, now);
    expect(done.parts[0]).toMatchObject({
      kind: "forgotten",
      erased: expect.arrayContaining(["your settings"]),
    });
    const left = await scanKeys(redis, `${w.prefix}*`);
    expect(left.filter((k) => k.includes(ann.learner) || k.includes("slack|T1|ann"))).toEqual([]);
    for (const k of left) {
      const type = await redis.type(k);
      if (type === "zset") expect(await redis.zscore(k, ann.learner), k).toBeNull();
      if (type === "hash")
        expect(Object.values(await redis.hgetall(k)), k).not.toContain(ann.learner);
      if (type === "set") expect(await redis.sismember(k, ann.learner), k).toBe(0);
    }
    // Bob is untouched.
    expect((await board(w.app, slack("bob"), now)).rows.map((r) => r.name)).toEqual(["bob"]);
    await w.queue.close();
  });
});
