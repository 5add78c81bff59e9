import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/app/types.js";
import { Rating } from "../../src/core/scheduler.js";
import { makeKeys } from "../../src/store/keys.js";
import { ReviewStore } from "../../src/store/reviews.js";
import { testApp } from "../support/app.js";
import { useTestRedis } from "../support/redis.js";
import { questionIn, said } from "../support/replies.js";

const { redis, prefix } = useTestRedis();

const question = questionIn;

/** Every key under `pre` with its full value (HGETALL, ZRANGE WITHSCORES, GET), but the log. */
async function dump(r: Redis, pre: string, log: string): Promise<Record<string, unknown>> {
  const keys = (await r.keys(`${pre}*`)).filter((k) => k !== log).sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const type = await r.type(k);
    if (type === "hash") out[k] = await r.hgetall(k);
    else if (type === "zset") out[k] = await r.zrange(k, "0", "-1", "WITHSCORES");
    else if (type === "string") out[k] = await r.get(k);
    else if (type === "set") out[k] = (await r.smembers(k)).sort();
    else if (type === "stream") out[k] = await r.xrange(k, "-", "+");
    else out[k] = type;
  }
  return out;
}

let n = 0;
/** A fresh app on its own sub-prefix (so a dump sees only this learner's world). */
function world(newPerDay = 2) {
  n += 1;
  const pre = `${prefix}w${n}:`;
  const app = testApp(redis, pre, { limits: { newPerDay, maxReviewsPerDay: 50 } });
  const actor: Actor = {
    learner: `slack:T${n}:U1`,
    platform: "slack",
    tenant: `T${n}`,
    tz: "UTC",
    name: "pat",
  };
  const keys = makeKeys(pre);
  return { app, actor, pre, log: keys.log(actor.learner), reviews: new ReviewStore(redis, keys) };
}

const t0 = new Date("2026-05-04T09:00:00Z");

describe("undo", () => {
  it("restores every key the review touched, exactly, twice back (answer, then the day-finishing answer)", async () => {
    const w = world(2);
    const q1 = question((await w.app.handleCommand(w.actor, "quiz", t0)).dm);
    if (!q1) throw new Error("no question");
    const before1 = await dump(redis, w.pre, w.log);
    const r1 = await w.app.handleAction(
      w.actor,
      { type: "answer", promptId: q1.promptId, text: "wrong answer" },
      t0,
    );
    const q2 = question(r1.dm);
    if (!q2) throw new Error("no second question");
    await w.app.handleAction(w.actor, { type: "show", promptId: q2.promptId }, t0);
    const before2 = await dump(redis, w.pre, w.log);
    // The second answer finishes the day: streak, its bonus, points on both boards.
    const r2 = await w.app.handleAction(
      w.actor,
      { type: "rate", promptId: q2.promptId, rating: Rating.Good },
      t0,
    );
    expect(r2.dm?.some((p) => p.kind === "summary")).toBe(true);
    const after2 = await dump(redis, w.pre, w.log);
    expect(after2).not.toEqual(before2);
    expect(JSON.stringify(after2)).toContain('"streak":"1"');
    const touched = Object.keys(after2).filter((k) => !(k in before1));
    expect(touched.some((k) => k.includes(`board:${w.actor.tenant}:all`))).toBe(true);
    expect(touched.some((k) => k.includes("teamweek:"))).toBe(true);

    const u2 = await w.app.handleAction(w.actor, { type: "undo", promptId: q2.promptId }, t0);
    expect(said(u2)).toContain("Undone: your Good");
    // Asked again: the same prompt, as it was (revealed) before the rating.
    expect(question(u2.dm)?.promptId).toBe(q2.promptId);
    expect(await dump(redis, w.pre, w.log)).toEqual(before2);

    // The word undoes the one before (now the last review), back to before the first answer.
    const u1 = await w.app.handleMessage(w.actor, "undo", t0);
    expect(said(u1)).toContain("Undone: your Again");
    expect(question(u1.dm)?.cardId).toBe(q1.cardId);
    expect(await dump(redis, w.pre, w.log)).toEqual(before1);
    // The log keeps all four entries; readers fold the undone ones away.
    expect(await redis.xlen(w.log)).toBe(4);
    expect(await w.reviews.log(w.actor.learner)).toEqual([]);
    const stats = await w.app.handleCommand(w.actor, "stats", t0);
    expect(stats.parts[0]).toMatchObject({
      kind: "stats",
      stats: { reviewsTotal: 0, reviewsToday: 0 },
    });
  });

  it("undoes once under a double click, and an amended rating as a whole", async () => {
    const w = world(3);
    const q = question((await w.app.handleCommand(w.actor, "quiz", t0)).dm);
    if (!q) throw new Error("no question");
    const before = await dump(redis, w.pre, w.log);
    await w.app.handleAction(w.actor, { type: "show", promptId: q.promptId }, t0);
    await w.app.handleAction(
      w.actor,
      { type: "rate", promptId: q.promptId, rating: Rating.Good },
      t0,
    );
    await w.app.handleAction(
      w.actor,
      { type: "rate", promptId: q.promptId, rating: Rating.Again },
      t0,
    );
    const press = () => w.app.handleAction(w.actor, { type: "undo", promptId: q.promptId }, t0);
    const replies = await Promise.all([press(), press(), press()]);
    expect(replies.filter((r) => said(r).includes("Undone")).length).toBe(1);
    expect(replies.filter((r) => r.parts.length === 0).length).toBe(2);
    const entries = await redis.xrange(w.log, "-", "+");
    expect(entries.filter(([, f]) => f.includes("undo")).length).toBe(1);
    const now = await dump(redis, w.pre, w.log);
    // The prompt is asked again with the status it had when rated (revealed); all else is as before.
    const pkey = Object.keys(before).find((k) => k.includes(q.promptId)) ?? "";
    expect(now[pkey]).toEqual({ ...(before[pkey] as object), status: "revealed" });
    expect({ ...now, [pkey]: undefined }).toEqual({ ...before, [pkey]: undefined });
  });

  it("only the last review, only today, only one's own", async () => {
    const w = world(3);
    const q1 = question((await w.app.handleCommand(w.actor, "quiz", t0)).dm);
    if (!q1) throw new Error("no question");
    const r1 = await w.app.handleAction(
      w.actor,
      { type: "answer", promptId: q1.promptId, text: "x" },
      t0,
    );
    const q2 = question(r1.dm);
    if (!q2) throw new Error("no question");
    await w.app.handleAction(w.actor, { type: "answer", promptId: q2.promptId, text: "x" }, t0);
    const older = await w.app.handleAction(w.actor, { type: "undo", promptId: q1.promptId }, t0);
    expect(said(older)).toContain("Only your last rating can be undone.");
    // Someone else pressing the learner's button finds nothing of theirs.
    const other: Actor = { ...w.actor, learner: `${w.actor.learner}X` };
    const theirs = await w.app.handleAction(other, { type: "undo", promptId: q2.promptId }, t0);
    expect(said(theirs)).not.toContain("Undone");
    expect(await w.reviews.logLength(w.actor.learner)).toBe(2);
    const tomorrow = new Date(t0.getTime() + 86_400_000);
    const late = await w.app.handleMessage(w.actor, "undo", tomorrow);
    expect(said(late)).toContain("Only today's ratings can be undone.");
    expect((await w.reviews.log(w.actor.learner)).length).toBe(2);
  });

  it("says so when there is nothing to undo", async () => {
    const w = world(1);
    expect(said(await w.app.handleCommand(w.actor, "undo", t0))).toContain("Nothing to undo");
  });
});
