import { describe, expect, it } from "vitest";
import type { Reply } from "../src/app/reply.js";
import type { Actor } from "../src/app/types.js";
import type { Deck } from "../src/core/deck.js";
import { Rating } from "../src/core/scheduler.js";
import { studyCards } from "../src/core/topics.js";
import { bundledDeck, testApp } from "./support/app.js";
import { useTestRedis } from "./support/redis.js";
import { questionIn } from "./support/replies.js";

const { redis, prefix } = useTestRedis();

const kinds = (r: Reply) => [...r.parts, ...(r.dm ?? [])].map((p) => p.kind);
const question = questionIn;

describe("a day's quiz", () => {
  it("asks the day's new cards, then says it is done until the learning steps come back", async () => {
    const app = testApp(redis, prefix, { limits: { newPerDay: 3, maxReviewsPerDay: 50 } });
    const actor: Actor = { learner: "console:day", platform: "console", tz: "UTC" };
    const t0 = new Date("2026-05-04T09:00:00Z");
    let r = await app.handleCommand(actor, "quiz", t0);
    expect(r.parts).toEqual([{ kind: "sent-to-dm" }]);
    const asked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const q = question(r.dm);
      expect(q?.remaining).toBe(3 - i);
      if (!q) break;
      asked.push(q.cardId);
      await app.handleAction(actor, { type: "show", promptId: q.promptId }, t0);
      r = await app.handleAction(
        actor,
        { type: "rate", promptId: q.promptId, rating: Rating.Easy },
        t0,
      );
    }
    expect(new Set(asked).size).toBe(3);
    // New learners start with the essentials: the seed deck's first cards.
    const first = studyCards(bundledDeck(), undefined).slice(0, 3);
    expect(first.map((c) => c.deck)).toEqual(Array(3).fill("python-for-js-devs"));
    expect(asked).toEqual(first.map((c) => c.id));
    const summary = r.dm?.find((p) => p.kind === "summary");
    expect(summary).toMatchObject({ summary: { reviewedToday: 3, correctToday: 3 } });
    // The same day, nothing new; the next day, nothing is due yet either (Easy -> days away).
    expect(kinds(await app.handleCommand(actor, "quiz", t0))).toEqual(["sent-to-dm", "summary"]);
  });

  it("re-sends the open question instead of opening a second one", async () => {
    const app = testApp(redis, prefix);
    const actor: Actor = { learner: "console:resend", platform: "console" };
    const now = new Date("2026-05-04T09:00:00Z");
    const a = question((await app.handleCommand(actor, "quiz", now)).dm);
    const b = question((await app.handleCommand(actor, "quiz", now)).dm);
    expect(b?.promptId).toBe(a?.promptId);
  });

  it("typed answers: right -> Good, typo -> Hard, wrong -> Again with the explanation", async () => {
    const deck: Deck = bundledDeck();
    const pip = deck.cards.find((c) => c.answer === "npm");
    if (!pip) throw new Error("deck has no npm card");
    const one: Deck = { cards: [pip], byId: new Map([[pip.id, pip]]), decks: [] };
    const verdicts: [string, string, string][] = [
      ["npm", "correct", "Good"],
      ["nmp", "typo", "Hard"],
      ["cargo", "wrong", "Again"],
    ];
    for (const [typed, verdict, rating] of verdicts) {
      const app = testApp(redis, prefix, { deck: one });
      const actor: Actor = { learner: `console:typed-${typed}`, platform: "console" };
      const now = new Date("2026-05-04T09:00:00Z");
      await app.handleCommand(actor, "quiz", now);
      const r = await app.handleMessage(actor, typed, now);
      expect(r.dm?.[0]).toMatchObject({
        kind: "result",
        result: { verdict, rating, given: typed },
      });
    }
  });

  it("a command typed while a question is open runs the command, the question stays", async () => {
    const app = testApp(redis, prefix);
    const actor: Actor = { learner: "console:cmd", platform: "console" };
    const now = new Date("2026-05-04T09:00:00Z");
    const q = question((await app.handleCommand(actor, "quiz", now)).dm);
    expect(kinds(await app.handleMessage(actor, "stats", now))).toEqual(["stats"]);
    expect(question((await app.handleCommand(actor, "quiz", now)).dm)?.promptId).toBe(q?.promptId);
  });

  it("stats count reviews in the learner's own day and show the subscription", async () => {
    const app = testApp(redis, prefix);
    // A chat platform: the terminal takes no subscriptions (issue 12, item 22).
    const actor: Actor = { learner: "discord:424242", platform: "discord", tz: "Asia/Kolkata" };
    // 20:00 UTC is already tomorrow (01:30) in Kolkata.
    const late = new Date("2026-05-04T20:00:00Z");
    const q = question((await app.handleCommand(actor, "quiz", late)).dm);
    if (!q) throw new Error("no question");
    await app.handleAction(
      actor,
      { type: "rate", promptId: q.promptId, rating: Rating.Good },
      late,
    );
    await app.handleCommand(actor, "subscribe 07:30", late);
    const r = await app.handleCommand(actor, "stats", late);
    const s = r.parts[0];
    expect(s?.kind).toBe("stats");
    if (s?.kind !== "stats") return;
    expect(s.stats.reviewsToday).toBe(1);
    expect(s.stats.reviewsTotal).toBe(1);
    expect(s.stats.cards.learning).toBe(1);
    expect(s.subscription).toBe("daily at 07:30 (Asia/Kolkata)");
    expect(s.stats.forecast[0]?.date).toBe("2026-05-05");
  });
});
