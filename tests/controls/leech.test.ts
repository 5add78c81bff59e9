import { describe, expect, it } from "vitest";
import type { LeechNote, Reply } from "../../src/app/reply.js";
import type { Actor } from "../../src/app/types.js";
import { decodeState, Rating } from "../../src/core/scheduler.js";
import { makeKeys } from "../../src/store/keys.js";
import { ReviewStore } from "../../src/store/reviews.js";
import { testApp } from "../support/app.js";
import { seedLapsed } from "../support/leech.js";
import { useTestRedis } from "../support/redis.js";
import { questionIn, said } from "../support/replies.js";

const { redis, prefix } = useTestRedis();

const keys = makeKeys(prefix);
const reviews = new ReviewStore(redis, keys);
// No new cards: the seeded review card is the only one asked.
const app = testApp(redis, prefix, { limits: { newPerDay: 0, maxReviewsPerDay: 50 } });
const t0 = new Date("2026-05-04T09:00:00Z");
const CARD = "pip-to-npm";
let n = 0;
const learner = (): Actor => ({ learner: `console:leech${++n}`, platform: "console", tz: "UTC" });

const question = questionIn;
function leechOf(r: Reply): LeechNote | undefined {
  const p = [...r.parts, ...(r.dm ?? [])].find((x) => x.kind === "leech");
  return p?.kind === "leech" ? p.leech : undefined;
}

/** Seeds the card with `lapses`, asks it and answers it wrong (a lapse). */
async function lapse(a: Actor, lapses: number, now = t0) {
  await seedLapsed(redis, prefix, a.learner, CARD, lapses, now);
  const q = question((await app.handleCommand(a, "quiz", now)).dm);
  if (q?.cardId !== CARD) throw new Error(`expected ${CARD}, got ${q?.cardId}`);
  const r = await app.handleAction(
    a,
    { type: "answer", promptId: q.promptId, text: "no idea" },
    now,
  );
  return { q, r };
}

describe("leeches", () => {
  it("the 8th lapse is told once, with the card, its explanation and link", async () => {
    const a = learner();
    const { q, r } = await lapse(a, 7);
    const note = leechOf(r);
    expect(note).toMatchObject({ cardId: CARD, promptId: q.promptId, lapses: 8, nextReminder: 12 });
    expect(note?.answer.explain.length).toBeGreaterThan(0);
    expect(note?.answer.link).toMatch(/^https:/);
    // The note follows the result in the DM.
    expect(r.dm?.map((p) => p.kind).slice(0, 2)).toEqual(["result", "leech"]);
    const after = await reviews.states(a.learner);
    expect(decodeState(after[CARD] ?? "").lapses).toBe(8);
    expect(await redis.hget(keys.learner(a.learner), `leech:${CARD}`)).toBe("8");
    // The same answer again (a retry, a double submit) is not told twice.
    const again = await app.handleAction(
      a,
      { type: "answer", promptId: q.promptId, text: "no idea" },
      t0,
    );
    expect(leechOf(again)).toBeUndefined();
    const rate = await app.handleAction(
      a,
      { type: "rate", promptId: q.promptId, rating: Rating.Again },
      t0,
    );
    expect(leechOf(rate)).toBeUndefined();
  });

  it("a lapse below the threshold, or a Good at it, says nothing", async () => {
    expect(leechOf((await lapse(learner(), 6)).r)).toBeUndefined();
    const a = learner();
    await seedLapsed(redis, prefix, a.learner, CARD, 7, t0);
    const q = question((await app.handleCommand(a, "quiz", t0)).dm);
    if (!q) throw new Error("no question");
    await app.handleAction(a, { type: "show", promptId: q.promptId }, t0);
    const good = await app.handleAction(
      a,
      { type: "rate", promptId: q.promptId, rating: Rating.Good },
      t0,
    );
    expect(leechOf(good)).toBeUndefined();
  });

  it("again every 4 further lapses (12, 16), not in between", async () => {
    const a = learner();
    expect(leechOf((await lapse(a, 7)).r)?.lapses).toBe(8);
    const seen: number[] = [];
    for (let lapses = 8; lapses < 16; lapses++) {
      const day = new Date(t0.getTime() + (lapses - 7) * 86_400_000);
      const told = leechOf((await lapse(a, lapses, day)).r);
      if (told) seen.push(told.lapses);
    }
    expect(seen).toEqual([12, 16]);
  });

  it("an amend to Good and back to Again does not tell it again", async () => {
    const a = learner();
    const { q, r } = await lapse(a, 7);
    expect(leechOf(r)?.lapses).toBe(8);
    const good = await app.handleAction(
      a,
      { type: "rate", promptId: q.promptId, rating: Rating.Good },
      t0,
    );
    expect(good.dm?.[0]).toMatchObject({ kind: "result", result: { amended: true } });
    const back = await app.handleAction(
      a,
      { type: "rate", promptId: q.promptId, rating: Rating.Again },
      t0,
    );
    expect(back.dm?.[0]).toMatchObject({ kind: "result", result: { rating: "Again" } });
    expect(leechOf(back)).toBeUndefined();
  });

  it("undo takes the mark back with the lapse, so the next 8th lapse is told again", async () => {
    const a = learner();
    const { q } = await lapse(a, 7);
    const undone = await app.handleAction(a, { type: "undo", promptId: q.promptId }, t0);
    expect(said(undone)).toContain("Undone");
    expect(await redis.hget(keys.learner(a.learner), `leech:${CARD}`)).toBeNull();
    const again = question(undone.dm);
    if (again?.cardId !== CARD) throw new Error("the card is not asked again");
    const r = await app.handleAction(
      a,
      { type: "answer", promptId: again.promptId, text: "no idea" },
      t0,
    );
    expect(leechOf(r)?.lapses).toBe(8);
  });

  it("Don't ask again on the note suspends the card, keeps the open question, once", async () => {
    const a = learner();
    const { q, r } = await lapse(a, 7);
    const note = leechOf(r);
    if (!note) throw new Error("no leech note");
    const s = await app.handleAction(a, { type: "suspend", promptId: note.promptId }, t0);
    expect(said(s)).toContain(`Suspended 1 card: ${CARD}`);
    expect(s.dm).toBeUndefined();
    expect(await app.handleAction(a, { type: "suspend", promptId: q.promptId }, t0)).toEqual({
      parts: [],
    });
    const list = said(await app.handleCommand(a, "suspended", t0));
    expect(list).toContain("Suspended (1):");
    expect(list).toContain(`Leeches, cards forgotten 8 times or more (1):`);
    expect(list).toContain(`${CARD} — pip`);
    expect(list).toContain("8 lapses");
  });

  it("the threshold is configurable; 0 turns leeches off", async () => {
    const a = learner();
    const low = testApp(redis, prefix, {
      limits: { newPerDay: 0, maxReviewsPerDay: 50 },
      leechThreshold: 3,
    });
    await seedLapsed(redis, prefix, a.learner, CARD, 2, t0);
    const q = question((await low.handleCommand(a, "quiz", t0)).dm);
    if (!q) throw new Error("no question");
    const r = await low.handleAction(a, { type: "answer", promptId: q.promptId, text: "?" }, t0);
    expect(leechOf(r)).toMatchObject({ lapses: 3, nextReminder: 4 });
    const off = testApp(redis, prefix, {
      limits: { newPerDay: 0, maxReviewsPerDay: 50 },
      leechThreshold: 0,
    });
    const b = learner();
    await seedLapsed(redis, prefix, b.learner, CARD, 7, t0);
    const q2 = question((await off.handleCommand(b, "quiz", t0)).dm);
    if (!q2) throw new Error("no question");
    const r2 = await off.handleAction(b, { type: "answer", promptId: q2.promptId, text: "?" }, t0);
    expect(leechOf(r2)).toBeUndefined();
    expect(said(await off.handleCommand(b, "suspended", t0))).not.toContain("Leeches");
  });

  it("the review log keeps the typed answer, bounded", async () => {
    const a = learner();
    await lapse(a, 1);
    const [entry] = await reviews.log(a.learner);
    expect(entry?.given).toBe("no idea");
  });
});
