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
const t0 = new Date("2026-05-04T09:00:00Z");
const day = (d: number) => new Date(t0.getTime() + d * 86_400_000);
const app = testApp(redis, prefix, { limits: { newPerDay: 3, maxReviewsPerDay: 50 } });
const reviews = new ReviewStore(redis, makeKeys(prefix));
let n = 0;
const learner = (): Actor => ({ learner: `console:ctl${++n}`, platform: "console", tz: "UTC" });

/** The cards today's session asks, answering each Easy (so none comes back today). */
async function session(actor: Actor, now: Date): Promise<string[]> {
  const asked: string[] = [];
  let q = question((await app.handleCommand(actor, "quiz", now)).dm);
  while (q && asked.length < 20) {
    asked.push(q.cardId);
    await app.handleAction(actor, { type: "show", promptId: q.promptId }, now);
    const r = await app.handleAction(
      actor,
      { type: "rate", promptId: q.promptId, rating: Rating.Easy },
      now,
    );
    q = question(r.dm);
  }
  return asked;
}

describe("skip", () => {
  it("the word buries the open card until the next local day, unrated, and asks the next", async () => {
    const a = learner();
    const q = question((await app.handleCommand(a, "quiz", t0)).dm);
    if (!q) throw new Error("no question");
    const r = await app.handleMessage(a, "skip", t0);
    expect(said(r)).toContain(`Skipped “${q.term}”: it comes back tomorrow.`);
    const next = question(r.dm);
    expect(next?.cardId).not.toBe(q.cardId);
    expect(await reviews.logLength(a.learner)).toBe(0);
    // The skipped prompt's buttons are gone.
    const show = await app.handleAction(a, { type: "show", promptId: q.promptId }, t0);
    expect(show.parts).toEqual([{ kind: "expired" }]);
    // Today's session leaves it out; it is the first card tomorrow.
    expect(await session(a, t0)).not.toContain(q.cardId);
    expect((await session(a, day(1)))[0]).toBe(q.cardId);
  });

  it("the Skip button does the same for its question; a second press does nothing", async () => {
    const a = learner();
    const q = question((await app.handleCommand(a, "quiz", t0)).dm);
    if (!q) throw new Error("no question");
    const r = await app.handleAction(a, { type: "skip", promptId: q.promptId }, t0);
    expect(question(r.dm)?.cardId).not.toBe(q.cardId);
    expect(await app.handleAction(a, { type: "skip", promptId: q.promptId }, t0)).toEqual({
      parts: [],
    });
    expect(said(await app.handleMessage(a, "skip", t0))).toContain("Skipped");
  });

  it("says so when no card is open", async () => {
    expect(said(await app.handleCommand(learner(), "skip", t0))).toContain("No open card to skip");
  });
});

describe("suspend", () => {
  it("a term suspends all its cards (and says which); never scheduled; unsuspend brings them back", async () => {
    const a = learner();
    const r = await app.handleCommand(a, "suspend pip", t0);
    expect(said(r)).toContain("Suspended 2 cards: pip-to-npm");
    expect(said(r)).toContain("npm-to-pip");
    const asked = await session(a, t0);
    expect(asked).toHaveLength(3);
    expect(asked).not.toContain("pip-to-npm");
    expect(asked).not.toContain("npm-to-pip");
    const list = said(await app.handleCommand(a, "suspended", t0));
    expect(list).toContain("Suspended (2):");
    expect(list).toContain("pip-to-npm — pip");
    expect(said(await app.handleCommand(a, "unsuspend npm-to-pip", t0))).toContain(
      "Back in your reviews: npm-to-pip",
    );
    expect(said(await app.handleCommand(a, "suspended", t0))).toContain("Suspended (1):");
    expect(await session(a, day(1))).toContain("npm-to-pip");
  });

  it("Don't ask again suspends the question's card, keeps its history and asks the next", async () => {
    const a = learner();
    let q = question((await app.handleCommand(a, "quiz", t0)).dm);
    if (!q) throw new Error("no question");
    // Learn the first card (Again: it comes back in a minute), then suspend it when asked again.
    const first = q.cardId;
    const r1 = await app.handleAction(a, { type: "answer", promptId: q.promptId, text: "?" }, t0);
    const q2 = question(r1.dm);
    if (!q2) throw new Error("no question");
    const later = new Date(t0.getTime() + 3600_000);
    await app.handleAction(a, { type: "show", promptId: q2.promptId }, later);
    const r2 = await app.handleAction(
      a,
      { type: "rate", promptId: q2.promptId, rating: Rating.Easy },
      later,
    );
    q = question(r2.dm);
    expect(q?.cardId).toBe(first);
    if (!q) throw new Error("no question");
    const r = await app.handleAction(a, { type: "suspend", promptId: q.promptId }, later);
    expect(said(r)).toContain(`Suspended 1 card: ${first}`);
    expect(question(r.dm)?.cardId).not.toBe(first);
    expect(await session(a, day(3))).not.toContain(first);
    expect((await reviews.log(a.learner)).map((e) => e.card)).toContain(first);
    expect(Object.keys(await reviews.states(a.learner))).toContain(first);
  });

  it("suspending the open question's card asks the next; unknown names are refused", async () => {
    const a = learner();
    const q = question((await app.handleCommand(a, "quiz", t0)).dm);
    if (!q) throw new Error("no question");
    const r = await app.handleMessage(a, `suspend ${q.cardId}`, t0);
    expect(question(r.dm)?.cardId).not.toBe(q.cardId);
    expect(said(await app.handleCommand(a, "suspend no-such-thing", t0))).toContain(
      "No card or term",
    );
    expect(said(await app.handleCommand(a, "unsuspend venv", t0))).toContain(
      "Nothing of “venv” is suspended.",
    );
  });
});
